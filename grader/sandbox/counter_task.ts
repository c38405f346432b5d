/**
 * The pool task behind exercise 3's counter check: it imports the student's module, waits at a
 * barrier until every worker of the check has done the same, then runs the student's `addMany`, so
 * that the workers really increment the counter at the same time (a missing lock then loses updates
 * run after run, instead of only when the workers happen to overlap).
 *
 * The sandbox copies this file into its workspace at `grader/sandbox/counter_task.ts`, where the
 * pool's workers (which may read only the workspace) can import it.
 *
 * @module
 */
import type { Barrier } from "../../lib/mod.ts";

/** How long a worker waits at the barrier for the others before it starts anyway, in ms. */
export const BARRIER_TIMEOUT_MS = 2000;

/**
 * Waits for every worker at `barrier`, then calls the student's export `name` of `moduleUrl` with
 * `(counter, times)`. A barrier that breaks or times out (a worker that took two items) does not
 * stop the run: the call goes ahead, only less surely at the same time.
 *
 * @param barrier A lib Barrier with one party per worker.
 * @param moduleUrl The student's module.
 * @param name The exported task (`addMany`).
 * @param counter The shared counter.
 * @param times The increments to make.
 * @returns What the student's function returns.
 * @throws {TypeError} If the module has no such function export.
 *
 * @example Usage
 * ```ts
 * import { startTogether } from "./counter_task.ts";
 * import { equal } from "node:assert/strict";
 *
 * const barrier = { wait: () => 0 } as unknown as Parameters<typeof startTogether>[0];
 * const url = "data:text/javascript,export function addMany(counter, times) { return times; }";
 * equal(await startTogether(barrier, url, "addMany", null, 3), 3);
 * ```
 */
export async function startTogether(
  barrier: Barrier,
  moduleUrl: string,
  name: string,
  counter: unknown,
  times: number,
): Promise<unknown> {
  const module = await import(moduleUrl) as Record<string, unknown>;
  const fn = module[name];
  if (typeof fn !== "function") {
    throw new TypeError(`Cannot run ${name}: the module exports no function named "${name}"`);
  }
  try {
    barrier.wait({ timeout: BARRIER_TIMEOUT_MS });
  } catch {
    // Broken or timed out: run anyway.
  }
  return await fn(counter, times);
}
