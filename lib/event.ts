/**
 * {@linkcode Event}: a flag every worker shares, after Python's `multiprocessing.Event`.
 *
 * @module
 */

import { adopt, adopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { type Ctx, ctxOf } from "./_mutex.ts";
import { abortError, runAsync, runBlocking, type WaitSteps } from "./_wait.ts";
import { handle, INSPECT } from "./_sync.ts";
import type { SyncWaitOptions } from "./timeout.ts";

/**
 * A flag every worker shares (Python's `Event`): `wait` sleeps until some thread calls `set`.
 *
 * @example Usage
 * ```ts
 * import { Event } from "./event.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const ready = new Event();
 * equal(ready.wait({ timeout: 1 }), false);
 * ready.set();
 * equal(ready.wait(), true);
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

  *#steps(ctx: Ctx): WaitSteps<boolean> {
    while (Atomics.load(this.#words, 0) === 0) {
      const outcome = yield { array: this.#words, index: 0, value: 0 };
      if (outcome === "timed-out") return this.isSet();
      if (outcome === "aborted") throw abortError(ctx.signal, ctx.caller);
    }
    return true;
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
   * Sleeps until the flag is set; returns at once if it is. As Python's `wait(timeout)`, a
   * negative timeout acts as 0.
   *
   * @param options The longest wait and a signal.
   * @returns The flag: `true` once set, `false` if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired first.
   */
  wait(options: SyncWaitOptions = {}): boolean {
    const ctx = ctxOf(options, "wait for event");
    return runBlocking(this.#steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * Waits, letting the event loop run, until the flag is set.
   *
   * @param options The longest wait and a signal.
   * @returns The flag: `true` once set, `false` if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired first.
   */
  waitAsync(options: SyncWaitOptions = {}): Promise<boolean> {
    const ctx = ctxOf(options, "wait for event");
    return runAsync(this.#steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * What `Deno.inspect` and `console.log` show: whether the flag is set.
   *
   * @ignore
   */
  [INSPECT](): string {
    return `Event { set: ${this.isSet()} }`;
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
