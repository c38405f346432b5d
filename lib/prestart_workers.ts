/**
 * {@linkcode prestartWorkers}: workers started ahead of need, so that the next Processes and Pool
 * workers start at once.
 *
 * @module
 */
import { setSpareCount, spareCount } from "./_spares.ts";

/** Options of {@linkcode prestartWorkers}. */
export interface PrestartOptions {
  /**
   * Resolve only once every spare runs (default `true`); `false` resolves at once and lets them
   * start in the background.
   */
  readonly wait?: boolean;
}

/**
 * Keeps `count` spare workers started ahead of need (`0` ends them): each `Process` and Pool
 * worker the lib starts next takes a spare, if there is one, instead of starting a thread, and a
 * replacement spare starts at once (a `Manager`'s server never takes one). A worker's start-up is then paid before the
 * program needs it: about 10 ms on a quiet machine, and about half a second for a worker started
 * inside a Worker on Deno 2.9.6 (every nested worker waits out an inspector grace period before it
 * runs any code). The nearest thing in Python is the forkserver start method, which keeps a
 * process ready to fork from.
 *
 * A Process or Pool given `maxHeapMb` never takes a spare (a spare has no heap limit). Spares do not
 * keep the program alive, and are not in `activeChildren()` until taken.
 *
 * @param count How many spares to keep: a whole number from 0 to 64.
 * @param options Whether to wait until they run.
 * @returns Settles once the spares run (at once with `wait: false`).
 * @throws {TypeError} If `count` is not a number.
 * @throws {RangeError} If `count` is not a whole number from 0 to 64.
 *
 * @example Two spares, taken by a Process
 * ```ts
 * import { defineTasks, prestartWorkers, Process } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 *
 * const tasks = defineTasks(import.meta.url, { hello: () => {} });
 * if (import.meta.main) {
 *   await prestartWorkers(2);
 *   const process = new Process(tasks.hello, []);
 *   process.start();
 *   await process.join();
 *   equal(process.exitCode, 0);
 *   await prestartWorkers(0);
 * }
 * ```
 */
export async function prestartWorkers(
  count: number,
  options: PrestartOptions = {},
): Promise<void> {
  const message = "Cannot prestart workers: count must be a whole number from 0 to 64: received";
  if (typeof count !== "number") throw new TypeError(`${message} ${typeof count}`);
  if (!Number.isInteger(count) || count < 0 || count > 64) {
    throw new RangeError(`${message} ${count}`);
  }
  const started = setSpareCount(count);
  if (options.wait ?? true) await started;
}

/**
 * How many spare workers are waiting now ({@linkcode prestartWorkers}).
 *
 * @returns The number of spares not yet taken.
 *
 * @example Usage
 * ```ts
 * import { prestartWorkers, spareWorkers } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 *
 * await prestartWorkers(1);
 * equal(spareWorkers(), 1);
 * await prestartWorkers(0);
 * equal(spareWorkers(), 0);
 * ```
 */
export function spareWorkers(): number {
  return spareCount();
}
