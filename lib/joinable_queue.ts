/**
 * {@linkcode JoinableQueue}: a shared queue that counts unfinished tasks, after Python's
 * `multiprocessing.JoinableQueue`.
 *
 * @module
 */

import { adopt } from "./_adopt.ts";
import { type Ctx, ctxOf } from "./_mutex.ts";
import { type RingResult } from "./_ring.ts";
import { REVIVE } from "./_shareable.ts";
import { abortError, runAsync, runBlocking } from "./_wait.ts";
import { type SyncWaitOptions, TimeoutError } from "./timeout.ts";
import { Queue, type QueueOptions } from "./queue.ts";

/**
 * A {@linkcode Queue} that counts unfinished tasks (Python's `JoinableQueue`): each `put` adds
 * one, each `taskDone()` (a consumer saying it finished an item) removes one, and `join()` waits
 * until none is left.
 *
 * @typeParam T The items' type.
 *
 * @example Usage
 * ```ts
 * import { JoinableQueue } from "./joinable_queue.ts";
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

  /**
   * This class's module.
   *
   * @ignore
   */
  protected override get module(): string {
    return import.meta.url;
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
