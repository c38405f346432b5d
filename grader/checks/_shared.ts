/**
 * Helpers more than one exercise's checks use: the diagnosis of a wrong sum (exercises 1 and 2), the
 * seeded random numbers and the timed pairs' size ladder (2 and 3), and the reading of the lib
 * Pool's `stats()` (2, 3 and the sweep). Here so that no exercise's checks import another's.
 *
 * @module
 */
import { closedFormSum } from "../reference/sum_range.ts";
import { show } from "./check.ts";

/** A timed pair's size, as a share of the timed range's: pairs cycle through these (±5%). */
export const SIZE_LADDER = [0.75, 1, 1.25] as const;
/**
 * A small seeded generator (mulberry32), so a run's random inputs can be replayed.
 *
 * @param seed The seed.
 * @returns A function giving numbers in [0, 1).
 *
 * @example Usage
 * ```ts
 * import { random } from "./_shared.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(random(3)(), random(3)());
 * ```
 */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the pool did during one call, read from the lib Pool's `stats()` before and after. */
export interface PoolWork {
  /** Tasks run. */
  tasks: number;
  /** Tasks run by each worker. */
  perWorker: number[];
  /** Busy time summed over the workers, in seconds. */
  busySeconds: number;
}

/** One worker's counters in a `stats()` snapshot, validated. */
interface WorkerCounters {
  tasks: number;
  busyMs: number;
}

/** A count or a duration the grader can trust: a finite number, not below zero. */
function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** The counters of a `stats()` snapshot, or `undefined` when any of them is not a finite count. */
function countersOf(snapshot: unknown): WorkerCounters[] | undefined {
  const perWorker = (snapshot as { perWorker?: unknown } | null | undefined)?.perWorker;
  if (!Array.isArray(perWorker)) return undefined;
  const counters: WorkerCounters[] = [];
  for (const worker of perWorker) {
    if (typeof worker !== "object" || worker === null) return undefined;
    const { tasks = 0, busyMs = 0 } = worker as { tasks?: unknown; busyMs?: unknown };
    if (!isCount(tasks) || !isCount(busyMs)) return undefined;
    counters.push({ tasks, busyMs });
  }
  return counters;
}

/**
 * Reads what the pool did between two `stats()` snapshots of the lib Pool (`perWorker` lists every
 * worker the pool started, oldest first, so the snapshots line up by index). Every counter must be
 * a finite number not below zero, and none may go down.
 *
 * @param before The snapshot before the call.
 * @param after The snapshot after it.
 * @returns The work; `undefined` when the pool gives no statistics (no `perWorker` after the call);
 * `"unreadable"` when the snapshots hold anything but finite, non-decreasing counts.
 *
 * @example Usage
 * ```ts
 * import { poolWork } from "./_shared.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const before = { perWorker: [{ tasks: 1, busyMs: 10 }, { tasks: 0, busyMs: 0 }] };
 * const after = { perWorker: [{ tasks: 3, busyMs: 110 }, { tasks: 2, busyMs: 120 }] };
 * deepEqual(poolWork(before, after), { tasks: 4, perWorker: [2, 2], busySeconds: 0.22 });
 * equal(poolWork(before, { perWorker: [null] }), "unreadable");
 * ```
 */
export function poolWork(before: unknown, after: unknown): PoolWork | "unreadable" | undefined {
  if (!Array.isArray((after as { perWorker?: unknown } | null | undefined)?.perWorker)) {
    return undefined;
  }
  const now = countersOf(after);
  const prior = before === undefined ? [] : countersOf(before);
  if (!now || !prior || prior.length > now.length) return "unreadable";
  const perWorker = now.map((worker, i) => worker.tasks - (prior[i]?.tasks ?? 0));
  const busy = now.map((worker, i) => worker.busyMs - (prior[i]?.busyMs ?? 0));
  if (perWorker.some((n) => n < 0) || busy.some((ms) => ms < 0)) return "unreadable";
  const tasks = perWorker.reduce((sum, n) => sum + n, 0);
  const busyMs = busy.reduce((sum, ms) => sum + ms, 0);
  return { tasks, perWorker, busySeconds: Math.round(busyMs) / 1000 };
}

/**
 * Explains a wrong sum of [lo, hi): a number instead of a bigint, the wrong end of the range, or
 * the precision a `number` total loses past 2^53.
 *
 * @param range The range as [lo, hi): `lo` included, `hi` excluded.
 * @param value What the student's code returned.
 * @returns `undefined` when the value is right, else the message.
 *
 * @example Usage
 * ```ts
 * import { diagnoseSum } from "./_shared.ts";
 * import { equal, match } from "node:assert/strict";
 *
 * equal(diagnoseSum([1, 11], 55n), undefined);
 * match(diagnoseSum([1, 11], 66n)!, /includes hi/);
 * ```
 */
export function diagnoseSum(
  range: readonly [number, number],
  value: unknown,
): string | undefined {
  const [lo, hi] = range;
  const expected = closedFormSum(lo, hi);
  const call = `sumRange(${lo}, ${hi})`;
  if (typeof value !== "bigint") {
    return `${call} returned ${
      show(value)
    }: it must return a bigint (the total of [1, 1e9) does not fit a number exactly): write 0n, BigInt(x)`;
  }
  if (value === expected) return undefined;
  if (hi > lo && value === closedFormSum(lo, hi + 1)) {
    return `${call} returned ${value}n, which includes hi: [lo, hi) stops just before hi (the Python original's serial code sums [1, ulim) but its parallel code [1, ulim]: which did you follow?)`;
  }
  if (hi > lo && value === closedFormSum(lo + 1, hi)) {
    return `${call} returned ${value}n, which leaves out lo: [lo, hi) starts at lo itself`;
  }
  if (hi > lo && value === closedFormSum(lo, hi - 1)) {
    return `${call} returned ${value}n, which stops one number early: [lo, hi) ends at hi - 1 inclusive`;
  }
  if (hi <= lo) return `${call} returned ${value}n: an empty range (hi <= lo) sums to 0n`;
  const diff = value - expected;
  const abs = expected < 0n ? -expected : expected;
  if (abs > BigInt(Number.MAX_SAFE_INTEGER) && (diff < 0n ? -diff : diff) < abs / 1_000_000n) {
    const largest = Math.max(Math.abs(lo), Math.abs(hi), 1);
    const block = Math.floor(Number.MAX_SAFE_INTEGER / largest);
    return `${call} is off by ${diff}: the total passes Number.MAX_SAFE_INTEGER (2^53 - 1), where a number total silently loses precision; sum blocks as numbers and add the block sums as bigint, keeping each block's own sum below 2^53 (with numbers as large as ${largest}, at most ${block} numbers a block)`;
  }
  return `${call} returned ${value}n, expected ${expected}n`;
}
