/**
 * {@linkcode Event}: a flag every worker shares, after Python's `multiprocessing.Event`.
 *
 * @module
 */

import { adopt, adopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { type Ctx, ctxOf } from "./_mutex.ts";
import { abortError, runAsync, runBlocking, type WaitSteps } from "./_wait.ts";
import { handle } from "./_sync.ts";
import { type SyncWaitOptions, TimeoutError } from "./timeout.ts";

/**
 * A flag every worker shares (Python's `Event`): `wait` sleeps until some thread calls `set`.
 *
 * @example Usage
 * ```ts
 * import { Event } from "./event.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const ready = new Event();
 * throws(() => ready.wait({ timeout: 1 }), { name: "TimeoutError" });
 * ready.set();
 * ready.wait();
 * equal(ready.isSet(), true);
 * ```
 */
export class Event {
  #words: Int32Array;

  /** Makes a new, cleared event in shared memory. */
  constructor() {
    const state = adopted();
    this.#words = new Int32Array(
      state === undefined
        ? new SharedArrayBuffer(4)
        : sharedState(state, "Event", ["buffer"]).buffer,
    );
  }

  *#steps(ctx: Ctx): WaitSteps<void> {
    while (Atomics.load(this.#words, 0) === 0) {
      const outcome = yield { array: this.#words, index: 0, value: 0 };
      if (outcome === "timed-out") {
        throw new TimeoutError(`Cannot ${ctx.caller}: timed out after ${ctx.timeout} ms`);
      }
      if (outcome === "aborted") throw abortError(ctx.signal, ctx.caller);
    }
  }

  /** True once `set` was called (and `clear` not since). */
  isSet(): boolean {
    return Atomics.load(this.#words, 0) === 1;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    Atomics.store(this.#words, 0, 1);
    Atomics.notify(this.#words, 0);
  }

  /** Clears the flag: later waits sleep again. */
  clear(): void {
    Atomics.store(this.#words, 0, 0);
  }

  /**
   * Sleeps until the flag is set; returns at once if it is.
   *
   * @param options The longest wait and a signal.
   * @throws {TimeoutError} If the timeout passes first.
   */
  wait(options: SyncWaitOptions = {}): void {
    const ctx = ctxOf(options, "wait for event");
    runBlocking(this.#steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * Waits, letting the event loop run, until the flag is set.
   *
   * @param options The longest wait and a signal.
   * @returns Once the flag is set.
   * @throws {TimeoutError} If the timeout passes first.
   */
  async waitAsync(options: SyncWaitOptions = {}): Promise<void> {
    const ctx = ctxOf(options, "wait for event");
    await runAsync(this.#steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * Describes the event for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return handle(import.meta.url, "Event", { buffer: this.#words.buffer });
  }

  /**
   * Rebuilds an event from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Event {
    return adopt(state, () => new Event());
  }
}
