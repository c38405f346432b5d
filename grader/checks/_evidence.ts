/**
 * What the operating system's accounting says about a student's timed calls, judged against the
 * grader's reference: was the work done (CPU time about the reference's, growing with the work),
 * and was it done on several threads at once (CPU ÷ wall above 1)? These figures come from the
 * harness's own isolate and from /proc (`grader/sandbox/witness.ts`), never from the student's isolate,
 * and CPU time is what the machine's load changes least: a busy machine stretches wall time, not
 * the CPU time a computation needs.
 *
 * @module
 */
import jstat from "jstat";
import { median } from "../measure/statistics.ts";

/** The student's call used less CPU than this share of the reference's: the work was not done. */
export const MIN_WORK_SHARE = 0.5;
/** CPU ÷ wall the student's call must reach on an undisturbed machine: more than one thread. */
export const MIN_PARALLELISM = 1.25;
/** The least slope of log(student CPU) on log(reference CPU) across pairs of different sizes. */
export const MIN_WORK_SLOPE = 0.5;
/** The narrowest spread of log(reference CPU) over which the slope is judged. */
const MIN_LOG_RANGE = 0.2;
/** Cores the rest of the machine may use during a call, on average, before it counts as disturbed. */
export const DISTURBED_CORES = 0.3;

/** One timed pair, as the witness saw it. */
export interface PairEvidence {
  /** The reference's CPU time, in seconds (single-threaded: about its wall time). */
  referenceCpu: number;
  /** The student's call's CPU time (the whole sandbox process), in seconds. */
  studentCpu: number;
  /** The student's call's wall time, in seconds (the harness's clock). */
  studentWall: number;
  /** Whether the rest of the machine was busy during the student's call. */
  studentDisturbed: boolean;
}

/**
 * The median share of the reference's CPU time that the student's calls used.
 *
 * @param pairs The pairs.
 * @returns The share (1 = as much CPU as the serial reference).
 *
 * @example Usage
 * ```ts
 * import { workShare } from "./_evidence.ts";
 * import { equal } from "node:assert/strict";
 *
 * const pair = { referenceCpu: 0.25, studentCpu: 0.02, studentWall: 0.15, studentDisturbed: false };
 * equal(workShare([pair]), 0.08);
 * ```
 */
export function workShare(pairs: readonly PairEvidence[]): number {
  return median(pairs.map((p) => p.studentCpu / Math.max(p.referenceCpu, 1e-6)));
}

/**
 * The median CPU ÷ wall of the student's calls: how many threads were busy at once, on average.
 *
 * @param pairs The pairs.
 * @param undisturbedOnly Only the pairs where the machine was quiet during the student's call.
 * @returns The parallelism, `NaN` without pairs.
 *
 * @example Usage
 * ```ts
 * import { parallelism } from "./_evidence.ts";
 * import { equal } from "node:assert/strict";
 *
 * const pair = { referenceCpu: 0.25, studentCpu: 0.26, studentWall: 0.14, studentDisturbed: false };
 * equal(parallelism([pair]).toFixed(2), "1.86");
 * ```
 */
export function parallelism(pairs: readonly PairEvidence[], undisturbedOnly = false): number {
  const used = undisturbedOnly ? pairs.filter((p) => !p.studentDisturbed) : pairs;
  return median(used.map((p) => p.studentCpu / Math.max(p.studentWall, 1e-6)));
}

/** The slope of the student's CPU on the work, with bounds. */
export interface WorkSlope {
  /** The least-squares slope of log(student CPU) on log(reference CPU). */
  slope: number;
  /** Its lower bound, one-sided at 95% (a pass needs it above {@linkcode MIN_WORK_SLOPE}). */
  low: number;
  /** Its upper bound, one-sided at 99% (a fail needs it below {@linkcode MIN_WORK_SLOPE}). */
  high: number;
}

/**
 * The slope of log(student CPU) on log(reference CPU) across pairs of different sizes, with
 * t bounds on n - 2 degrees of freedom: about 1 when the student's CPU grows with the work, about 0
 * for a burn of a fixed time.
 *
 * @param pairs The pairs.
 * @returns The slope and its bounds, or `undefined` with fewer than three pairs or sizes that vary
 * too little to tell.
 *
 * @example Usage
 * ```ts
 * import { workSlope } from "./_evidence.ts";
 * import { equal } from "node:assert/strict";
 *
 * const pair = (ref: number, cpu: number) =>
 *   ({ referenceCpu: ref, studentCpu: cpu, studentWall: cpu / 2, studentDisturbed: false });
 * equal(workSlope([pair(0.2, 0.2), pair(0.25, 0.251), pair(0.3, 0.3)])!.slope.toFixed(2), "1.00");
 * equal(workSlope([pair(0.2, 0.25), pair(0.25, 0.251), pair(0.3, 0.25)])!.slope.toFixed(2), "0.00");
 * ```
 */
export function workSlope(pairs: readonly PairEvidence[]): WorkSlope | undefined {
  const points = pairs.filter((p) => p.referenceCpu > 0 && p.studentCpu > 0)
    .map((p) => [Math.log(p.referenceCpu), Math.log(p.studentCpu)] as const);
  const n = points.length;
  if (n < 3) return undefined;
  const xs = points.map(([x]) => x);
  if (Math.max(...xs) - Math.min(...xs) < MIN_LOG_RANGE) return undefined;
  const mx = xs.reduce((sum, x) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxy / sxx;
  const residual = points.reduce((sum, [x, y]) => sum + (y - my - slope * (x - mx)) ** 2, 0);
  const se = Math.sqrt(residual / (n - 2) / sxx);
  return {
    slope,
    low: slope - jstat.studentt.inv(0.95, n - 2) * se,
    high: slope + jstat.studentt.inv(0.99, n - 2) * se,
  };
}

/** What the evidence says about the work, once enough pairs are in. */
export type WorkFinding =
  | { kind: "ok" }
  | { kind: "not-done"; message: string }
  | { kind: "not-parallel"; message: string }
  | { kind: "unproven"; message: string }
  | { kind: "measuring" };

/**
 * Judges the work from the pairs: `not-done` when the calls used far less CPU than the reference
 * (a sleep, a remembered answer) or CPU that does not grow with the work (a burn of a fixed time);
 * `not-parallel` when, on a quiet machine, no more than one thread was busy at a time; `unproven`
 * when the machine was too busy to tell the threads apart; `measuring` while the pairs cannot yet
 * tell whether the CPU time follows the work; else `ok`.
 *
 * @param pairs The pairs.
 * @param workers The workers the student's code was given.
 * @returns The finding.
 *
 * @example Usage
 * ```ts
 * import { judgeWork } from "./_evidence.ts";
 * import { equal } from "node:assert/strict";
 *
 * const sleep = { referenceCpu: 0.25, studentCpu: 0.01, studentWall: 0.15, studentDisturbed: false };
 * equal(judgeWork([sleep, sleep, sleep], 2).kind, "not-done");
 * const honest = { referenceCpu: 0.25, studentCpu: 0.26, studentWall: 0.14, studentDisturbed: false };
 * equal(judgeWork([honest, honest, honest], 2).kind, "ok");
 * ```
 */
export function judgeWork(pairs: readonly PairEvidence[], workers: number): WorkFinding {
  const share = workShare(pairs);
  if (share < MIN_WORK_SHARE) {
    return {
      kind: "not-done",
      message: `your calls used ${
        Math.round(share * 100)
      }% of the CPU time the serial reference needs for the same numbers (median of ${pairs.length} pairs, from the operating system's accounting): the work was not done in them (a sleep or a remembered answer does not count)`,
    };
  }
  const slope = workSlope(pairs);
  if (slope && slope.high < MIN_WORK_SLOPE) {
    return {
      kind: "not-done",
      message:
        `the inputs' sizes differed from pair to pair, but your calls' CPU time did not follow them (it grew as size^${
          slope.slope.toFixed(2)
        }; the work grows as size^1): it was spent on something else than the work`,
    };
  }
  // Not yet sure the CPU follows the work: measure more (a pass needs it).
  if (slope && slope.low < MIN_WORK_SLOPE) return { kind: "measuring" };
  const quiet = pairs.filter((p) => !p.studentDisturbed).length;
  const all = parallelism(pairs);
  if (all >= MIN_PARALLELISM) return { kind: "ok" };
  const text = `${
    all.toFixed(2)
  } of your ${workers} workers' threads were busy at once on average (CPU ÷ wall time)`;
  if (quiet >= Math.ceil(pairs.length / 2) && parallelism(pairs, true) < MIN_PARALLELISM) {
    return {
      kind: "not-parallel",
      message:
        `${text}: the work ran on one thread at a time; start every task before awaiting any`,
    };
  }
  return { kind: "unproven", message: `${text}, on a machine busy with other work` };
}
