/**
 * Timing that holds on a noisy machine: the interleaved A/B method (reference, candidate, reference,
 * candidate, ... after a warm-up), the median speedup of the pairs with its spread, a bounded number
 * of re-measurements when the spread is too wide, and `inconclusive` rather than a flaky verdict.
 * Also the cores the process can really use and the speedup threshold they allow.
 *
 * The two things timed are callbacks that return seconds, so the caller decides where the clock
 * lives (the grader times in the sandbox harness's isolate, never in the student's).
 *
 * One method (the interleaved comparison, its warm-up, summary and verdict, and the cores and
 * threshold it is judged against), kept whole past 300 lines.
 *
 * @module
 */

/** Options of {@linkcode compareInterleaved}. */
export interface CompareOptions {
  /** The speedup (reference ÷ candidate) needed to pass. */
  threshold: number;
  /** Unmeasured pairs run first (JIT warm-up, pools spun up). Default 1. */
  warmup?: number;
  /**
   * Warm-up goes on past `warmup` pairs, up to this many, while the candidate's time still drops
   * by more than 10% from one pair to the next (a fresh pool's workers need a few calls before their
   * code is optimised). Default: `warmup` (no extra pairs).
   */
  maxWarmup?: number;
  /** Pairs per round. Default 5. */
  pairs?: number;
  /** The widest spread a round may have to decide on its median. Default 0.35. */
  maxSpread?: number;
  /** Extra rounds when the spread is too wide. Default 2. */
  retries?: number;
  /** Called before each pair, for progress reports. */
  onPair?: (index: number, total: number) => void;
}

/** A warm-up pair whose candidate time is at least this share of the previous one ends warm-up. */
export const STILL_WARMING = 0.9;

/**
 * Runs unmeasured pairs until the candidate is warm: at least `warmup` pairs, then more (up to
 * `maxWarmup`) while its time still drops below {@linkcode STILL_WARMING} of the pair before. The
 * speedup check and the sweep warm up the same way.
 *
 * @param pair Runs one pair and returns the candidate's seconds.
 * @param counts The fewest and the most warm-up pairs.
 * @returns How many pairs were run.
 *
 * @example Usage
 * ```ts
 * import { warmUp } from "./timing.ts";
 * import { equal } from "node:assert/strict";
 *
 * const times = [3, 2, 1.95, 1.9];
 * equal(await warmUp(() => Promise.resolve(times.shift()!), { warmup: 1, maxWarmup: 4 }), 3);
 * ```
 */
export async function warmUp(
  pair: () => Promise<number>,
  counts: { warmup: number; maxWarmup: number },
): Promise<number> {
  let before = Infinity;
  for (let i = 0; i < counts.maxWarmup; i++) {
    const seconds = await pair();
    if (i + 1 >= counts.warmup && seconds >= STILL_WARMING * before) return i + 1;
    before = seconds;
  }
  return counts.maxWarmup;
}

/** The defaults of {@linkcode CompareOptions}. */
export const COMPARE_DEFAULTS = { warmup: 1, pairs: 5, maxSpread: 0.35, retries: 2 } as const;

/** A timed comparison's verdict. */
export type TimingVerdict = "passed" | "failed" | "inconclusive";

/** What {@linkcode compareInterleaved} measured. */
export interface Comparison {
  /** The verdict against the threshold. */
  verdict: TimingVerdict;
  /** The median of the pairs' speedups. */
  speedup: number;
  /** The relative spread of the speedups: the middle half's range ÷ the median. */
  spread: number;
  /** The speedup of the slower and faster quartile. */
  quartiles: [number, number];
  /** The threshold used. */
  threshold: number;
  /** How many pairs were measured (warm-up not counted). */
  pairs: number;
  /** The median reference time, in seconds. */
  referenceSeconds: number;
  /** The median candidate time, in seconds. */
  seconds: number;
  /** Every measured pair, in order: [reference, candidate] seconds. */
  samples: [number, number][];
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low]!;
  const b = sorted[high]!;
  return a + (b - a) * (position - low);
}

/**
 * Summarises pairs of (reference, candidate) seconds: median speedup, quartiles and spread.
 *
 * @param samples The pairs.
 * @returns The median speedup, the quartiles, the spread and the median times.
 *
 * @example Usage
 * ```ts
 * import { summarizePairs } from "./timing.ts";
 * import { equal } from "node:assert/strict";
 *
 * const summary = summarizePairs([[1, 0.5], [1, 0.5], [1, 0.5]]);
 * equal(summary.speedup, 2);
 * equal(summary.spread, 0);
 * ```
 */
export function summarizePairs(samples: readonly (readonly [number, number])[]): {
  speedup: number;
  spread: number;
  quartiles: [number, number];
  referenceSeconds: number;
  seconds: number;
} {
  const speedups = samples.map(([ref, cand]) => ref / Math.max(cand, 1e-9)).sort((a, b) => a - b);
  const speedup = quantile(speedups, 0.5);
  const q1 = quantile(speedups, 0.25);
  const q3 = quantile(speedups, 0.75);
  const sortedRef = samples.map(([ref]) => ref).sort((a, b) => a - b);
  const sortedCand = samples.map(([, cand]) => cand).sort((a, b) => a - b);
  return {
    speedup,
    spread: speedup > 0 ? (q3 - q1) / speedup : 0,
    quartiles: [q1, q3],
    referenceSeconds: quantile(sortedRef, 0.5),
    seconds: quantile(sortedCand, 0.5),
  };
}

/**
 * Decides a verdict from a summary: on a tight spread, the median against the threshold; on a
 * wide one, only when the whole middle half is on one side of the threshold.
 *
 * @param summary The median speedup, its quartiles and its spread.
 * @param rule The speedup needed (`threshold`) and the widest spread decided on the median
 * (`maxSpread`).
 * @returns The verdict, `inconclusive` when the spread is too wide to decide.
 *
 * @example Usage
 * ```ts
 * import { decide } from "./timing.ts";
 * import { equal } from "node:assert/strict";
 *
 * const rule = { threshold: 1.4, maxSpread: 0.35 };
 * equal(decide({ speedup: 1.9, spread: 0.1, quartiles: [1.8, 2] }, rule), "passed");
 * equal(decide({ speedup: 1.5, spread: 0.8, quartiles: [0.9, 2.1] }, rule), "inconclusive");
 * ```
 */
export function decide(
  summary: { speedup: number; spread: number; quartiles: [number, number] },
  rule: { threshold: number; maxSpread: number },
): TimingVerdict {
  const { threshold, maxSpread } = rule;
  if (summary.spread <= maxSpread) return summary.speedup >= threshold ? "passed" : "failed";
  if (summary.quartiles[0] >= threshold) return "passed";
  if (summary.quartiles[1] < threshold) return "failed";
  return "inconclusive";
}

/**
 * Times a reference and a candidate interleaved (A B A B ...) after a warm-up, and compares the
 * median speedup (reference ÷ candidate) with a threshold. When the spread is too wide to decide,
 * measures another round, at most `retries` times, pooling every pair; then says `inconclusive`.
 *
 * @param reference Runs the reference once and returns its time in seconds.
 * @param candidate Runs the candidate once and returns its time in seconds.
 * @param options The threshold and how many pairs.
 * @returns The comparison.
 * @throws {RangeError} If the threshold or a count is out of range.
 *
 * @example Usage
 * ```ts
 * import { compareInterleaved } from "./timing.ts";
 * import { equal } from "node:assert/strict";
 *
 * const result = await compareInterleaved(
 *   () => Promise.resolve(1.0),
 *   () => Promise.resolve(0.5),
 *   { threshold: 1.4 },
 * );
 * equal(result.verdict, "passed");
 * equal(result.speedup, 2);
 * ```
 */
export async function compareInterleaved(
  reference: () => Promise<number>,
  candidate: () => Promise<number>,
  options: CompareOptions,
): Promise<Comparison> {
  const { threshold } = options;
  const warmup = options.warmup ?? COMPARE_DEFAULTS.warmup;
  const maxWarmup = Math.max(warmup, options.maxWarmup ?? warmup);
  const pairs = options.pairs ?? COMPARE_DEFAULTS.pairs;
  const maxSpread = options.maxSpread ?? COMPARE_DEFAULTS.maxSpread;
  const retries = options.retries ?? COMPARE_DEFAULTS.retries;
  if (!(threshold > 0) || !Number.isFinite(threshold)) {
    throw new RangeError(
      `Cannot compare timings: threshold must be a positive number: received ${threshold}`,
    );
  }
  for (
    const [name, value] of [["warmup", warmup], ["maxWarmup", maxWarmup], ["pairs", pairs], [
      "retries",
      retries,
    ]]
  ) {
    if (!Number.isInteger(value) || (value as number) < (name === "pairs" ? 1 : 0)) {
      throw new RangeError(
        `Cannot compare timings: ${name} must be a ${
          name === "pairs" ? "positive" : "non-negative"
        } integer: received ${value}`,
      );
    }
  }
  const total = maxWarmup + pairs * (1 + retries);
  let index = 0;
  await warmUp(async () => {
    options.onPair?.(index++, total);
    await reference();
    return await candidate();
  }, { warmup, maxWarmup });
  const samples: [number, number][] = [];
  let summary = summarizePairs([]);
  let verdict: TimingVerdict = "inconclusive";
  for (let round = 0; round <= retries; round++) {
    for (let i = 0; i < pairs; i++) {
      options.onPair?.(index++, total);
      const ref = await reference();
      const cand = await candidate();
      samples.push([ref, cand]);
    }
    summary = summarizePairs(samples);
    verdict = decide(summary, { threshold, maxSpread });
    if (verdict !== "inconclusive") break;
  }
  return { verdict, threshold, pairs: samples.length, samples, ...summary };
}

/**
 * The speedup a parallel check needs on a number of cores: 1.4× on 2 cores, 0.4 more per core
 * after that (70% of ideal on 2 cores, leaving room for dispatch and a busy machine), and
 * `undefined` on one core, where no speedup can be asked for.
 *
 * @param cores The cores the process can use.
 * @returns The threshold, or `undefined` when a speedup check must be skipped.
 *
 * @example Usage
 * ```ts
 * import { speedupThreshold } from "./timing.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(speedupThreshold(2), 1.4);
 * equal(speedupThreshold(4), 2.2);
 * equal(speedupThreshold(1), undefined);
 * ```
 */
export function speedupThreshold(cores: number): number | undefined {
  if (!(cores >= 2)) return undefined;
  return Math.round((1 + 0.4 * (Math.floor(cores) - 1)) * 100) / 100;
}

function parseCpuList(list: string): number {
  let count = 0;
  for (const part of list.trim().split(",")) {
    if (part === "") continue;
    const [from, to] = part.split("-").map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    count += to === undefined || Number.isNaN(to) ? 1 : to - from + 1;
  }
  return count;
}

/**
 * The cores this process can really use: the fewest of the CPUs the OS reports, the process's CPU
 * affinity (`Cpus_allowed_list`) and the cgroup's CPU quota (`cpu.max`, rounded down, as Gradescope
 * sets it). At least 1.
 *
 * @returns The usable cores.
 *
 * @example Usage
 * ```ts
 * import { usableCores } from "./timing.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok((await usableCores()) >= 1);
 * ```
 */
export async function usableCores(): Promise<number> {
  let cores = navigator.hardwareConcurrency || 1;
  try {
    const status = await Deno.readTextFile("/proc/self/status");
    const match = /Cpus_allowed_list:\s*(\S+)/.exec(status);
    if (match?.[1]) cores = Math.min(cores, parseCpuList(match[1]) || cores);
  } catch {
    // Not Linux, or /proc not readable: keep the OS's count.
  }
  try {
    const [quota, period] = (await Deno.readTextFile("/sys/fs/cgroup/cpu.max")).trim().split(/\s+/);
    if (quota && quota !== "max" && period) {
      cores = Math.min(cores, Math.floor(Number(quota) / Number(period)));
    }
  } catch {
    // No cgroup v2 quota.
  }
  return Math.max(1, cores);
}
