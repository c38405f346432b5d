/**
 * {@linkcode currentProcess}: who the calling code runs as, after Python's
 * `multiprocessing.current_process()`.
 *
 * @module
 */

import { isMainThread, threadId } from "node:worker_threads";

/** The name and id of a process, as {@linkcode currentProcess} returns them. */
export interface ProcessInfo {
  /** `"MainProcess"` on the main thread, a `Process`'s name (`"Process-3"`, or the one given). */
  readonly name: string;
  /**
   * The kit's own id of a `Process` (the same as its `pid` in the parent); 0 on the main thread;
   * `undefined` in a worker that is not a `Process` (a Pool's).
   */
  readonly pid: number | undefined;
}

/** Where a `Process`'s worker keeps who it is (set before its task runs). */
const SELF_KEY = Symbol.for("parakit.currentProcess");

/**
 * Tells the calling code who it runs as: inside a `Process`, that process's name and id; on the
 * main thread, `"MainProcess"`. A Pool's worker is named after its thread (`"Worker-5"`): a Pool
 * does not tell its workers their names.
 *
 * @returns A snapshot of the name and id.
 *
 * @example Usage
 * ```ts
 * import { currentProcess } from "./current_process.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(currentProcess(), { name: "MainProcess", pid: 0 });
 * ```
 */
export function currentProcess(): ProcessInfo {
  const self = (globalThis as { [SELF_KEY]?: ProcessInfo })[SELF_KEY];
  if (self !== undefined) return { ...self };
  return isMainThread
    ? { name: "MainProcess", pid: 0 }
    : { name: `Worker-${threadId}`, pid: undefined };
}
