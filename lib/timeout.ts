/**
 * What every wait in `lib/` shares: its options ({@linkcode SyncWaitOptions}) and the error of a
 * wait that ran out of time and has no `false` to return ({@linkcode TimeoutError}).
 *
 * @module
 */

/**
 * A wait ran out of time: `AsyncResult.get({ timeout })` (the result was not ready: the task goes
 * on running, as in Python; call `get()` again to wait longer), `lock.hold({ timeout })`,
 * `process.join()`'s callers that asked for it.
 *
 * @example Usage
 * ```ts
 * import { TimeoutError } from "./timeout.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(new TimeoutError("Cannot get result: not ready after 10 ms").name, "TimeoutError");
 * ```
 */
export class TimeoutError extends Error {
  /**
   * Makes the error.
   *
   * @param message What happened.
   * @param options The error's `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
  }
}

/** Options of every wait in `lib/`: how long to wait at most, and a signal that stops waiting. */
export interface SyncWaitOptions {
  /**
   * The longest wait in milliseconds; `Infinity` (the default) waits for ever. `0` only tries; a
   * negative timeout acts as 0, as in Python.
   */
  timeout?: number;
  /**
   * `false` only tries, whatever the timeout says (Python's `block=False`). Default: `true`.
   */
  block?: boolean;
  /**
   * Stops the wait with the signal's reason. A blocking wait checks it before it sleeps (nothing
   * else runs on a thread that is blocked); an async wait stops as soon as it fires.
   */
  signal?: AbortSignal;
}
