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

import { adopt } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import type { SyncWaitOptions } from "./timeout.ts";
import { QueueClosedError } from "./queue_errors.ts";
import { DEFAULT_CAPACITY, QueueBase } from "./_queue_base.ts";
import { INSPECT } from "./_sync.ts";

/** The default size of a queue's buffer in bytes: 1 MiB. */
export const DEFAULT_QUEUE_CAPACITY: number = DEFAULT_CAPACITY;

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

  /**
   * What `Deno.inspect` and `console.log` show: the class, its items now, its limit, whether
   * it is closed.
   *
   * @ignore
   */
  [INSPECT](): string {
    return `${this.constructor.name} { size: ${this.qsize()}, maxsize: ${this.maxsize}, closed: ${this.closed} }`;
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
    return { module: this.module, kind: this.kind, state: { buffer: this.ring.buffer } };
  }

  /** The class name its handle revives. */
  protected get kind(): string {
    return "Queue";
  }

  /** The URL of the module that exports that class. */
  protected get module(): string {
    return import.meta.url;
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
