/**
 * Queues every worker shares (Python's `multiprocessing.Queue`, `JoinableQueue` and
 * `SimpleQueue`): any number of producers and consumers, in any workers, on one ring buffer in a
 * SharedArrayBuffer.
 *
 * Items are copied in the structured clone format (`node:v8` `serialize`): numbers, bigints,
 * strings, plain objects and arrays, Map, Set, Date, typed arrays and errors travel; functions,
 * symbols and shared objects do not (pass a Value or a Lock to a task as an argument instead), and a
 * class instance arrives as a plain object. An item that cannot travel throws a TypeError at `put`.
 *
 * Blocking forms (`put`, `get`) sleep with `Atomics.wait`; async forms (`putAsync`, `getAsync`,
 * `for await`) let the event loop run. Every wait takes `{ timeout, signal }`. On the main thread
 * prefer the async forms: a blocking wait freezes the event loop, and with it the Pool, which sends
 * tasks to its workers only after the current tick (a `Process` starts at once).
 *
 * Unlike Python's, `close()` closes the queue for everyone: later puts throw
 * {@linkcode QueueClosedError}, gets drain what is left and then throw it, and `for await` ends. This
 * is how a producer says "no more items".
 *
 * @module
 */

import { adopt, adopted, sharedState } from "./_adopt.ts";
import { type Ctx, ctxOf } from "./_mutex.ts";
import {
  checkOptionsObject,
  checkSize,
  decodeItem,
  encodeFor,
  Ring,
  type RingFailure,
  type RingResult,
} from "./_ring.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { abortError, runAsync, runBlocking } from "./_wait.ts";
import { type SyncWaitOptions, TimeoutError } from "./timeout.ts";

/** The default size of a queue's buffer in bytes: 1 MiB. */
export const DEFAULT_QUEUE_CAPACITY: number = 1 << 20;

/** Options of {@linkcode Queue}. */
export interface QueueOptions {
  /** The most items at once; `put` waits while it is reached. 0 (the default): no item limit. */
  maxsize?: number;
  /**
   * The size in bytes of the shared buffer that holds the encoded items. `put` waits while it is
   * full, whatever `maxsize` says, and an item bigger than it cannot be put. Default: 1 MiB.
   */
  capacity?: number;
}

/**
 * `get` found the queue empty until its timeout (or at once, for `getNowait`). Python's
 * `queue.Empty`.
 *
 * @example Usage
 * ```ts
 * import { Queue, QueueEmptyError } from "./queue.ts";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => new Queue().getNowait(), QueueEmptyError);
 * ```
 */
export class QueueEmptyError extends TimeoutError {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueEmptyError";
  }
}

/**
 * `put` found the queue full until its timeout (or at once, for `putNowait`). Python's
 * `queue.Full`.
 *
 * @example Usage
 * ```ts
 * import { Queue, QueueFullError } from "./queue.ts";
 * import { throws } from "node:assert/strict";
 *
 * const queue = new Queue({ maxsize: 1 });
 * queue.put(1);
 * throws(() => queue.putNowait(2), QueueFullError);
 * ```
 */
export class QueueFullError extends TimeoutError {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueFullError";
  }
}

/**
 * The queue was closed: no more puts, and a get found it closed and empty.
 *
 * @example Usage
 * ```ts
 * import { Queue, QueueClosedError } from "./queue.ts";
 * import { throws } from "node:assert/strict";
 *
 * const queue = new Queue();
 * queue.close();
 * throws(() => queue.put(1), QueueClosedError);
 * ```
 */
export class QueueClosedError extends Error {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueClosedError";
  }
}

function failure(why: RingFailure, ctx: Ctx, full: boolean): unknown {
  if (why === "aborted") return abortError(ctx.signal, ctx.caller);
  if (why === "closed") {
    return new QueueClosedError(
      full
        ? `Cannot ${ctx.caller}: the queue is closed`
        : `Cannot ${ctx.caller}: the queue is closed and empty`,
    );
  }
  const message = `Cannot ${ctx.caller}: the queue stayed ${
    full ? "full" : "empty"
  } for ${ctx.timeout} ms`;
  return full ? new QueueFullError(message) : new QueueEmptyError(message);
}

function unwrap<T>(result: RingResult<T>, ctx: Ctx, full: boolean): T {
  if (!result.ok) throw failure(result.why, ctx, full);
  return result.value;
}

/**
 * The shared engine of the three queue classes; holds the ring and its encode/decode steps.
 *
 * @ignore
 */
abstract class QueueBase<T> {
  readonly #ring: Ring;

  constructor(options: QueueOptions, kind: string) {
    const state = adopted();
    if (state !== undefined) {
      this.#ring = new Ring(sharedState(state, kind, ["buffer"]).buffer);
      return;
    }
    checkOptionsObject(options, "make queue");
    const maxsize = checkSize(options.maxsize, 0, "maxsize", 0, "make queue");
    const capacity = checkSize(
      options.capacity,
      DEFAULT_QUEUE_CAPACITY,
      "capacity",
      16,
      "make queue",
    );
    this.#ring = new Ring(Ring.allocate(capacity, maxsize));
  }

  protected get ring(): Ring {
    return this.#ring;
  }

  /** Whether a put adds an unfinished task (JoinableQueue). */
  protected get countsTasks(): boolean {
    return false;
  }

  #encode(item: T, ctx: Ctx): Uint8Array {
    return encodeFor(this.#ring, item, ctx.caller, "queue");
  }

  /** The fast path of a put: `true` when done without waiting. */
  #tryPut(bytes: Uint8Array, ctx: Ctx): boolean {
    if (ctx.signal?.aborted) return false;
    const done = this.#ring.tryPut(bytes, this.countsTasks);
    if (done === "closed") throw failure("closed", ctx, true);
    return done === "ok";
  }

  /** The fast path of a get: the item's bytes when there was one. */
  #tryGet(ctx: Ctx): Uint8Array | undefined {
    if (ctx.signal?.aborted) return undefined;
    const got = this.#ring.tryGet();
    if (got === "closed") throw failure("closed", ctx, false);
    return got === "wait" ? undefined : got;
  }

  protected putBlocking(item: T, options: SyncWaitOptions): void {
    const ctx = ctxOf(options, "put item");
    const bytes = this.#encode(item, ctx);
    if (this.#tryPut(bytes, ctx)) return;
    unwrap(
      runBlocking(this.#ring.put(bytes, ctx, this.countsTasks), ctx.timeout, ctx.signal),
      ctx,
      true,
    );
  }

  protected async putAsyncImpl(item: T, options: SyncWaitOptions): Promise<void> {
    const ctx = ctxOf(options, "put item");
    const bytes = this.#encode(item, ctx);
    if (this.#tryPut(bytes, ctx)) return;
    unwrap(
      await runAsync(this.#ring.put(bytes, ctx, this.countsTasks), ctx.timeout, ctx.signal),
      ctx,
      true,
    );
  }

  protected getBlocking(options: SyncWaitOptions): T {
    const ctx = ctxOf(options, "get item");
    const bytes = this.#tryGet(ctx) ??
      unwrap(runBlocking(this.#ring.get(ctx), ctx.timeout, ctx.signal), ctx, false);
    return decodeItem(bytes) as T;
  }

  protected async getAsyncImpl(options: SyncWaitOptions): Promise<T> {
    const ctx = ctxOf(options, "get item");
    const bytes = this.#tryGet(ctx) ??
      unwrap(await runAsync(this.#ring.get(ctx), ctx.timeout, ctx.signal), ctx, false);
    return decodeItem(bytes) as T;
  }

  protected closeRing(): void {
    const ctx = ctxOf({}, "close queue");
    runBlocking(this.#ring.close(ctx), Infinity);
  }
}

/**
 * A FIFO queue every worker shares (Python's `multiprocessing.Queue`).
 *
 * @typeParam T The items' type.
 *
 * @example Usage
 * ```ts
 * import { Queue } from "./queue.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const queue = new Queue<number>({ maxsize: 10 });
 * queue.put(1);
 * await queue.putAsync(2);
 * queue.close();
 * equal(queue.qsize(), 2);
 * const seen: number[] = [];
 * for await (const item of queue) seen.push(item);
 * deepEqual(seen, [1, 2]);
 * ```
 */
export class Queue<T = unknown> extends QueueBase<T> implements AsyncIterable<T> {
  /**
   * Makes a queue in shared memory.
   *
   * @param options Its item limit and its buffer's size.
   * @throws {TypeError} If `options` is not an object, or `maxsize` or `capacity` not a number.
   * @throws {RangeError} If `maxsize` or `capacity` is not a valid integer.
   */
  constructor(options: QueueOptions = {}) {
    super(options, "Queue");
  }

  /**
   * Puts an item at the end, waiting (thread asleep) while the queue is full.
   *
   * @param item The item; it is copied.
   * @param options The longest wait and a signal.
   * @throws {QueueFullError} If the queue stays full until the timeout.
   * @throws {QueueClosedError} If the queue is closed.
   * @throws {TypeError} If the item cannot be copied.
   * @throws {RangeError} If the item is bigger than the queue's capacity.
   */
  put(item: T, options: SyncWaitOptions = {}): void {
    this.putBlocking(item, options);
  }

  /**
   * Puts an item at the end, letting the event loop run while the queue is full.
   *
   * @param item The item; it is copied.
   * @param options The longest wait and a signal.
   * @returns Once the item is in.
   * @throws {QueueFullError} If the queue stays full until the timeout.
   * @throws {QueueClosedError} If the queue is closed.
   */
  putAsync(item: T, options: SyncWaitOptions = {}): Promise<void> {
    return this.putAsyncImpl(item, options);
  }

  /**
   * Puts an item only if there is room now.
   *
   * @param item The item.
   * @throws {QueueFullError} If the queue is full (or, as in Python, another thread kept it busy
   * for the whole try).
   * @throws {QueueClosedError} If the queue is closed.
   */
  putNowait(item: T): void {
    this.putBlocking(item, { timeout: 0 });
  }

  /**
   * Takes the oldest item, waiting (thread asleep) while the queue is empty.
   *
   * @param options The longest wait and a signal.
   * @returns The item.
   * @throws {QueueEmptyError} If the queue stays empty until the timeout.
   * @throws {QueueClosedError} If the queue is closed and empty.
   */
  get(options: SyncWaitOptions = {}): T {
    return this.getBlocking(options);
  }

  /**
   * Takes the oldest item, letting the event loop run while the queue is empty.
   *
   * @param options The longest wait and a signal.
   * @returns The item.
   * @throws {QueueEmptyError} If the queue stays empty until the timeout.
   * @throws {QueueClosedError} If the queue is closed and empty.
   */
  getAsync(options: SyncWaitOptions = {}): Promise<T> {
    return this.getAsyncImpl(options);
  }

  /**
   * Takes the oldest item if there is one now.
   *
   * @returns The item.
   * @throws {QueueEmptyError} If the queue is empty (or, as in Python, another thread kept it
   * busy for the whole try).
   * @throws {QueueClosedError} If the queue is closed and empty.
   */
  getNowait(): T {
    return this.getBlocking({ timeout: 0 });
  }

  /** The number of items now (others may change it at once). */
  qsize(): number {
    return this.ring.count;
  }

  /** True when there is no item now. */
  empty(): boolean {
    return this.ring.count === 0;
  }

  /** True when `maxsize` items are in now. */
  full(): boolean {
    return this.ring.maxsize > 0 && this.ring.count >= this.ring.maxsize;
  }

  /** The item limit (0: none). */
  get maxsize(): number {
    return this.ring.maxsize;
  }

  /** True once someone closed the queue. */
  get closed(): boolean {
    return this.ring.closed;
  }

  /** Closes the queue for every worker: no more puts; gets drain it, then throw; waiters wake. */
  close(): void {
    this.closeRing();
  }

  /** Takes items as they come until the queue is closed and empty. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      try {
        yield await this.getAsync();
      } catch (error) {
        if (error instanceof QueueClosedError) return;
        throw error;
      }
    }
  }

  /**
   * Describes the queue for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return { module: import.meta.url, kind: this.kind, state: { buffer: this.ring.buffer } };
  }

  /** The class name its handle revives. */
  protected get kind(): string {
    return "Queue";
  }

  /**
   * Rebuilds a queue from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Queue {
    return adopt(state, () => new Queue());
  }
}

/**
 * A {@linkcode Queue} that counts unfinished tasks (Python's `JoinableQueue`): each `put` adds
 * one, each `taskDone()` (a consumer saying it finished an item) removes one, and `join()` waits
 * until none is left.
 *
 * @typeParam T The items' type.
 *
 * @example Usage
 * ```ts
 * import { JoinableQueue } from "./queue.ts";
 * import { equal } from "node:assert/strict";
 *
 * const queue = new JoinableQueue<string>();
 * queue.put("job");
 * equal(queue.get(), "job");
 * queue.taskDone();
 * queue.join({ timeout: 1000 });
 * ```
 */
export class JoinableQueue<T = unknown> extends Queue<T> {
  /**
   * Makes a joinable queue in shared memory.
   *
   * @param options Its item limit and its buffer's size.
   * @throws {TypeError} If `options` is not an object, or `maxsize` or `capacity` not a number.
   * @throws {RangeError} If `maxsize` or `capacity` is not a valid integer.
   */
  constructor(options: QueueOptions = {}) {
    super(options);
  }

  /**
   * Marks one item taken with `get` as finished.
   *
   * @throws {RangeError} If called more times than items were put.
   */
  taskDone(): void {
    const ctx = ctxOf({}, "mark task done");
    if (!runBlocking(this.ring.taskDone(ctx), Infinity)) {
      throw new RangeError("Cannot mark task done: taskDone() was called more times than put()");
    }
  }

  /**
   * Waits (thread asleep) until every item put was marked done.
   *
   * @param options The longest wait and a signal.
   * @throws {TimeoutError} If tasks are still unfinished at the timeout.
   */
  join(options: SyncWaitOptions = {}): void {
    const ctx = ctxOf(options, "join queue");
    this.#check(runBlocking(this.ring.join(), ctx.timeout, ctx.signal), ctx);
  }

  /**
   * Waits, letting the event loop run, until every item put was marked done.
   *
   * @param options The longest wait and a signal.
   * @returns Once no task is unfinished.
   * @throws {TimeoutError} If tasks are still unfinished at the timeout.
   */
  async joinAsync(options: SyncWaitOptions = {}): Promise<void> {
    const ctx = ctxOf(options, "join queue");
    this.#check(await runAsync(this.ring.join(), ctx.timeout, ctx.signal), ctx);
  }

  #check(result: RingResult<void>, ctx: Ctx): void {
    if (result.ok) return;
    if (result.why === "aborted") throw abortError(ctx.signal, ctx.caller);
    throw new TimeoutError(
      `Cannot ${ctx.caller}: ${this.ring.unfinished} tasks still unfinished after ${ctx.timeout} ms`,
    );
  }

  /** The class name its handle revives. */
  protected override get kind(): string {
    return "JoinableQueue";
  }

  /** Every put adds an unfinished task. */
  protected override get countsTasks(): boolean {
    return true;
  }

  /**
   * Rebuilds a joinable queue from its handle's state.
   *
   * @ignore
   */
  static override [REVIVE](state: unknown): JoinableQueue {
    return adopt(state, () => new JoinableQueue());
  }
}

/**
 * The simplest shared queue (Python's `SimpleQueue`): `put`, `get`, `empty`, `close`, no item
 * limit (only its buffer's size).
 *
 * @typeParam T The items' type.
 *
 * @example Usage
 * ```ts
 * import { SimpleQueue } from "./queue.ts";
 * import { equal } from "node:assert/strict";
 *
 * const queue = new SimpleQueue<number>();
 * queue.put(7);
 * equal(queue.empty(), false);
 * equal(await queue.getAsync(), 7);
 * ```
 */
export class SimpleQueue<T = unknown> extends QueueBase<T> {
  /**
   * Makes a simple queue in shared memory.
   *
   * @param options The size of its buffer in bytes.
   * @throws {TypeError} If `options` is not an object, or `capacity` not a number.
   * @throws {RangeError} If `capacity` is not a valid integer.
   */
  constructor(options: Pick<QueueOptions, "capacity"> = {}) {
    checkOptionsObject(options, "make queue");
    super(
      { ...(options.capacity === undefined ? {} : { capacity: options.capacity }) },
      "SimpleQueue",
    );
  }

  /**
   * Puts an item at the end (waiting only while the buffer is full).
   *
   * @param item The item; it is copied.
   * @throws {QueueClosedError} If the queue is closed.
   * @throws {TypeError} If the item cannot be copied.
   */
  put(item: T): void {
    this.putBlocking(item, {});
  }

  /**
   * Takes the oldest item, waiting (thread asleep) while the queue is empty.
   *
   * @param options The longest wait and a signal.
   * @returns The item.
   * @throws {QueueEmptyError} If the queue stays empty until the timeout.
   * @throws {QueueClosedError} If the queue is closed and empty.
   */
  get(options: SyncWaitOptions = {}): T {
    return this.getBlocking(options);
  }

  /**
   * Takes the oldest item, letting the event loop run while the queue is empty.
   *
   * @param options The longest wait and a signal.
   * @returns The item.
   * @throws {QueueEmptyError} If the queue stays empty until the timeout.
   * @throws {QueueClosedError} If the queue is closed and empty.
   */
  getAsync(options: SyncWaitOptions = {}): Promise<T> {
    return this.getAsyncImpl(options);
  }

  /** True when there is no item now. */
  empty(): boolean {
    return this.ring.count === 0;
  }

  /** Closes the queue for every worker. */
  close(): void {
    this.closeRing();
  }

  /**
   * Describes the queue for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return { module: import.meta.url, kind: "SimpleQueue", state: { buffer: this.ring.buffer } };
  }

  /**
   * Rebuilds a simple queue from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): SimpleQueue {
    return adopt(state, () => new SimpleQueue());
  }
}
