/**
 * The pool task behind exercise 3's counter check: it imports the student's module, waits at a
 * barrier until every worker of the check has done the same, then runs the student's `addMany`, so
 * that the workers really increment the counter at the same time (a missing lock then loses updates
 * run after run, instead of only when the workers happen to overlap). The student gets the counter
 * behind an observer that counts its increments: each write of `value` (and whether the counter's
 * lock was held at that moment) and each atomic `add`. These counts are made in the student's
 * isolate, so they are kept for the record only: the verdict rests on the count and the grain that
 * the harness's own watcher (`counter_watch.ts`) read from memory the harness made.
 *
 * The sandbox copies this file into its workspace at `grader/sandbox/counter_task.ts`, where the
 * pool's workers (which may read only the workspace) can import it.
 *
 * @module
 */
import type { Barrier } from "../../lib/mod.ts";

/**
 * How long {@linkcode ready} keeps its worker busy, in ms: about the time the lib's Pool aims to
 * give a worker per batch (4 ms), so that the warm-up leaves the pool's credit where a fresh pool
 * starts (2 jobs a worker) instead of at the thousand jobs a ~0 ms task would earn.
 */
export const READY_MS = 4;

/**
 * The sandbox's warm-up task: the student Worker runs it once on every worker of each pool it
 * starts ahead of the checks (`HarnessConfig.pools`). A Worker started from inside a Worker (every
 * pool worker, Process and Manager in the sandbox) runs its code about 0.5 s late and receives its
 * first message about 0.5 s after it was sent (Deno 2.9.6; no CPU is used meanwhile): warming the
 * pools at once, while the sandbox starts, pays these waits once instead of on each pool's first
 * call. It touches nothing of the student's.
 *
 * @returns `true`.
 *
 * @example Usage
 * ```ts
 * import { ready } from "./counter_task.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(ready(), true);
 * ```
 */
export function ready(): boolean {
  const end = performance.now() + READY_MS;
  while (performance.now() < end) {
    // Busy on purpose: the pool's credit follows the measured task time.
  }
  return true;
}

/** How long a worker waits at the barrier for the others before it starts anyway, in ms. */
export const BARRIER_TIMEOUT_MS = 2000;

/** What one worker's call did to the counter. */
export interface CounterUse {
  /** Writes of `counter.value`. */
  writes: number;
  /** Of those, the writes made while the counter's lock was not held. */
  unlockedWrites: number;
  /** Calls of the atomic `counter.add()`. */
  adds: number;
}

/**
 * Wraps the counter so that its increments are counted; everything else passes through to it.
 *
 * @param counter The shared counter.
 * @param use The counts to update.
 * @returns The observed counter.
 */
function observed(counter: object, use: CounterUse): object {
  let lock: { locked?: boolean } | undefined;
  try {
    lock = (counter as { getLock(): { locked?: boolean } }).getLock();
  } catch {
    // No lock: every write counts as unlocked.
  }
  return new Proxy(counter, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      if (key === "add") {
        return (...args: unknown[]) => {
          use.adds++;
          return Reflect.apply(value, target, args);
        };
      }
      return value.bind(target);
    },
    set(target, key, value) {
      if (key === "value") {
        use.writes++;
        if (lock?.locked !== true) use.unlockedWrites++;
      }
      return Reflect.set(target, key, value, target);
    },
  });
}

/**
 * Waits for every worker at `barrier`, then calls the student's export `name` of `moduleUrl` with
 * `(counter, times)`, the counter behind an observer. A barrier that breaks or times out (a worker
 * that took two items) does not stop the run: the call goes ahead, only less surely at the same
 * time.
 *
 * @param barrier A lib Barrier with one party per worker.
 * @param moduleUrl The student's module.
 * @param name The exported task (`addMany`).
 * @param counter The shared counter.
 * @param times The increments to make.
 * @returns What the call did to the counter.
 * @throws {TypeError} If the module has no such function export.
 *
 * @example Usage
 * ```ts
 * import { startTogether } from "./counter_task.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const barrier = { wait: () => 0 } as unknown as Parameters<typeof startTogether>[0];
 * const url = "data:text/javascript,export function addMany(c, times) { c.value += times; }";
 * const counter = { value: 0, getLock: () => ({ locked: false }) };
 * deepEqual(await startTogether(barrier, url, "addMany", counter, 3), {
 *   writes: 1,
 *   unlockedWrites: 1,
 *   adds: 0,
 * });
 * equal(counter.value, 3);
 * ```
 */
export async function startTogether(
  barrier: Barrier,
  moduleUrl: string,
  name: string,
  counter: object,
  times: number,
): Promise<CounterUse> {
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
  const use: CounterUse = { writes: 0, unlockedWrites: 0, adds: 0 };
  await fn(observed(counter, use), times);
  return use;
}
