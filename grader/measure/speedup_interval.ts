/**
 * The speedup's confidence interval and the sequential verdict built on it. Each timed pair gives
 * one ratio (reference ÷ student); the interval is Student's t interval on the mean of the ratios'
 * logarithms (a speedup is a ratio: its logarithm is symmetric around the truth, and one slow pair
 * weighs no more than one fast pair), mapped back by `exp`. Each bound is one-sided at
 * {@linkcode INTERVAL_CONFIDENCE}, so that looking again after every pair (at most
 * {@linkcode MAX_PAIRS} times) still rarely decides on chance.
 *
 * A pair is *disturbed* when the rest of the machine used CPU during it. Disturbance can slow either
 * side: a slowed reference inflates the speedup, a slowed student deflates it. So a pass is decided
 * on the pairs whose reference was undisturbed (a disturbed student only makes the pass harder), a
 * fail only on the pairs where neither side was disturbed: load that arrives during the check can
 * delay a verdict, never turn a correct solution's into `failed`.
 *
 * @module
 */
import jstat from "jstat";

/** The one-sided confidence of each bound. */
export const INTERVAL_CONFIDENCE = 0.99;
/** The fewest pairs a verdict is decided on. */
export const MIN_PAIRS = 3;
/** The most timed pairs before the verdict is `inconclusive`. */
export const MAX_PAIRS = 12;

/** One timed pair. */
export interface TimedPair {
  /** The reference's seconds. */
  reference: number;
  /** The student's seconds. */
  student: number;
  /** Whether other work on the machine ran during the reference. */
  referenceDisturbed: boolean;
  /** Whether other work on the machine ran during the student's call. */
  studentDisturbed: boolean;
}

/** A speedup interval. */
export interface SpeedupInterval {
  /** The lower bound. */
  low: number;
  /** The geometric mean of the ratios. */
  center: number;
  /** The upper bound. */
  high: number;
  /** The pairs it was computed from. */
  pairs: number;
}

/**
 * Student's t interval on the mean log ratio, each bound one-sided at `confidence`.
 *
 * @param ratios The pairs' speedups (reference ÷ student), each positive.
 * @param confidence The one-sided confidence of each bound.
 * @returns The interval, or `undefined` with fewer than two ratios.
 *
 * @example Usage
 * ```ts
 * import { speedupInterval } from "./speedup_interval.ts";
 * import { ok } from "node:assert/strict";
 *
 * const interval = speedupInterval([1.9, 2.0, 1.95, 1.92])!;
 * ok(interval.low > 1.8 && interval.high < 2.1);
 * ```
 */
export function speedupInterval(
  ratios: readonly number[],
  confidence: number = INTERVAL_CONFIDENCE,
): SpeedupInterval | undefined {
  const logs = ratios.filter((r) => r > 0 && Number.isFinite(r)).map(Math.log);
  const n = logs.length;
  if (n < 2) return undefined;
  const mean = logs.reduce((sum, x) => sum + x, 0) / n;
  const variance = logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1);
  const half = jstat.studentt.inv(confidence, n - 1) * Math.sqrt(variance / n);
  return {
    low: Math.exp(mean - half),
    center: Math.exp(mean),
    high: Math.exp(mean + half),
    pairs: n,
  };
}

/** What {@linkcode judgePairs} decided. */
export interface PairJudgement {
  /** `passed`, `failed`, or `undecided` (measure more). */
  verdict: "passed" | "failed" | "undecided";
  /** The interval of the pairs a pass is judged on (reference undisturbed). */
  passInterval?: SpeedupInterval;
  /** The interval of the pairs a fail is judged on (neither side disturbed). */
  failInterval?: SpeedupInterval;
}

/**
 * Decides from the pairs so far: `passed` when the interval of the pairs with an undisturbed
 * reference lies above the threshold, `failed` when the interval of the fully undisturbed pairs lies
 * below it, each on at least `minPairs` pairs; otherwise `undecided`.
 *
 * @param pairs The timed pairs.
 * @param threshold The speedup needed.
 * @param minPairs The fewest pairs a verdict is decided on.
 * @returns The verdict and the intervals.
 *
 * @example Usage
 * ```ts
 * import { judgePairs } from "./speedup_interval.ts";
 * import { equal } from "node:assert/strict";
 *
 * const quiet = (student: number) => ({
 *   reference: 1, student, referenceDisturbed: false, studentDisturbed: false,
 * });
 * equal(judgePairs([quiet(0.5), quiet(0.52), quiet(0.51)], 1.4).verdict, "passed");
 * equal(judgePairs([quiet(1), quiet(0.98), quiet(1.01)], 1.4).verdict, "failed");
 * const busy = { ...quiet(1), studentDisturbed: true };
 * equal(judgePairs([busy, busy, busy], 1.4).verdict, "undecided");
 * ```
 */
export function judgePairs(
  pairs: readonly TimedPair[],
  threshold: number,
  minPairs: number = MIN_PAIRS,
): PairJudgement {
  const ratio = (pair: TimedPair) => pair.reference / Math.max(pair.student, 1e-9);
  const forPass = pairs.filter((pair) => !pair.referenceDisturbed).map(ratio);
  const forFail = pairs.filter((pair) => !pair.referenceDisturbed && !pair.studentDisturbed)
    .map(ratio);
  const passInterval = speedupInterval(forPass);
  const failInterval = speedupInterval(forFail);
  const judgement: PairJudgement = {
    verdict: "undecided",
    ...(passInterval ? { passInterval } : {}),
    ...(failInterval ? { failInterval } : {}),
  };
  if (passInterval && passInterval.pairs >= minPairs && passInterval.low > threshold) {
    judgement.verdict = "passed";
  } else if (failInterval && failInterval.pairs >= minPairs && failInterval.high < threshold) {
    judgement.verdict = "failed";
  }
  return judgement;
}
