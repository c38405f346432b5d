/**
 * Guesses for the lesson's program, in seconds, with the reasoning behind them.
 *
 * A guess counts when it is a positive number of seconds; the check shows the measured times beside
 * them and never grades how close they were.
 *
 * @module
 */

/**
 * Three guesses, in seconds.
 *
 * @example Usage
 * ```ts
 * import { guesses } from "./guesses.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(Object.values(guesses).every((seconds) => seconds > 0));
 * ```
 */
export const guesses = {
  // A JIT-compiled loop adds about a billion numbers a second on one core.
  serial: 1,
  // One million tasks: a message to a worker and its reply cost a few microseconds each, more than
  // the 1000 additions a task does, and building the million task descriptions costs more still.
  parallelWithAlloc: 6,
  // The same messages without building the list: a little faster, still slower than serial.
  straightParallel: 5,
};
