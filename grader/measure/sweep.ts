/**
 * The scaling sweep's method: the student's parallel code timed with 1, 2, … `cores` workers and one
 * oversubscribed step at 2 × `cores`, each step interleaved with the grader's serial reference, with
 * the speedup check's statistics (median of the pairs, spread, re-measuring a too-wide step, then
 * `inconclusive`), and Amdahl's law fitted to the points.
 *
 * {@linkcode runSweep} runs over two callbacks that return seconds, so the clock lives where the
 * caller puts it (the sandbox harness, `sweep_exercise.ts`, or a fake in tests).
 *
 * @module
 */
import { fitAmdahl, type FitAmdahlOptions } from "./amdahl.ts";
import { BUSY_LOAD_PER_CORE } from "../checks/check.ts";
import type { Sweep, SweepPoint } from "../result.ts";
import { COMPARE_DEFAULTS, summarizePairs, warmUp } from "./timing.ts";
import { median } from "./statistics.ts";

/** One timed call of the student's code, with what its pool did when the pool reports it. */
export interface CandidateRun {
  /** The call's time, in seconds. */
  seconds: number;
  /** The tasks the pool ran during the call. */
  tasks?: number;
  /** The average time of one task inside the workers, in seconds. */
  taskSeconds?: number;
}

/** What a sweep times: the serial reference and the student's code at a worker count. */
export interface SweepSubject {
  /** Runs the serial reference once and returns its time in seconds. */
  reference(): Promise<number>;
  /**
   * Runs the student's parallel code once with `workers` workers and returns its time in seconds,
   * or the time with the pool's task statistics.
   */
  candidate(workers: number): Promise<number | CandidateRun>;
}

/** Options of {@linkcode runSweep}. */
export interface SweepOptions {
  /** The fewest unmeasured pairs per step, run first (each pool spun up, the JIT warmed). */
  warmup?: number;
  /**
   * The most warm-up pairs per step: warming goes on while the student's time still drops by more
   * than a tenth from one call to the next (a fresh pool's workers take a few calls to optimise).
   */
  maxWarmup?: number;
  /** Pairs per step and round. */
  pairs?: number;
  /** The widest spread a step may keep; a wider one is measured again, then marked inconclusive. */
  maxSpread?: number;
  /** Extra rounds for the steps whose spread is too wide. */
  retries?: number;
  /** Add the oversubscribed step at 2 × `cores` workers. */
  oversubscribe?: boolean;
  /**
   * How the fit projects and what it takes for noise; the projection defaults to 8 × `cores`, at
   * least 16 ("on 16 cores it could reach at most ...", from a 2-core sweep).
   */
  fit?: FitAmdahlOptions;
  /** Called before each pair, for a progress line. */
  onPair?: (index: number, total: number, workers: number) => void;
  /**
   * The cores busy just before the sweep began (`currentLoad`); at {@linkcode BUSY_LOAD_PER_CORE} per core
   * or more, the sweep is inconclusive, as the speedup check would be. Unknown when absent.
   */
  load?: number;
}

/** Every option of {@linkcode SweepOptions} that has a default. */
export type SweepCounts = Required<Omit<SweepOptions, "fit" | "onPair" | "load">>;

/** The defaults of {@linkcode SweepOptions}: the speedup check's counts, with a longer warm-up. */
export const SWEEP_DEFAULTS: Readonly<SweepCounts> = Object.freeze({
  ...COMPARE_DEFAULTS,
  warmup: 2,
  maxWarmup: 8,
  oversubscribe: true,
});

/** Up to this many workers a sweep takes every count; above it, about one step per half again. */
const EVERY_COUNT_UP_TO = 8;

/**
 * The worker counts of a sweep: 1, 2, … `cores`, then 2 × `cores` when oversubscribing. Past 8
 * workers the counts thin out to 12, 16, 24, 32, 48, … (each about half again the one before, so a
 * 64-core machine takes 14 steps, not 64), and `cores` itself is always a step.
 *
 * @param cores The cores the student's code can use.
 * @param oversubscribe Add the step at 2 × `cores`.
 * @returns The worker counts, ascending.
 * @throws {RangeError} If `cores` is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { sweepSteps } from "./sweep.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(sweepSteps(2), [1, 2, 4]);
 * deepEqual(sweepSteps(4, false), [1, 2, 3, 4]);
 * deepEqual(sweepSteps(20), [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 40]);
 * ```
 */
export function sweepSteps(cores: number, oversubscribe = true): number[] {
  if (!Number.isInteger(cores) || cores < 1) {
    throw new RangeError(`Cannot plan sweep: cores must be a positive integer: received ${cores}`);
  }
  const steps = Array.from({ length: Math.min(cores, EVERY_COUNT_UP_TO) }, (_, i) => i + 1);
  // 8, 12, 16, 24, 32, 48, ...: alternately × 1.5 and × 4/3.
  for (let power = EVERY_COUNT_UP_TO; power * 1.5 < cores; power *= 2) {
    steps.push(power * 1.5);
    if (power * 2 < cores) steps.push(power * 2);
  }
  if (cores > EVERY_COUNT_UP_TO) steps.push(cores);
  if (oversubscribe) steps.push(2 * cores);
  return steps;
}

/**
 * Runs a sweep. Every pair is (reference, student at one worker count). Each step is first warmed
 * up, unmeasured: at least `warmup` pairs, and more (up to `maxWarmup`) while the student's time
 * still drops by more than a tenth from one call to the next. Then the steps take turns pair by
 * pair (round-robin), so a burst of load on the machine touches every step alike: `pairs` rounds
 * are measured; a step whose spread is wider than
 * `maxSpread` is measured for another `pairs` rounds, at most `retries` times, pooling its pairs,
 * and is then marked inconclusive. Amdahl's law is fitted to the medians; on an inconclusive sweep
 * only the pool's task sizes may flag dispatch overhead.
 *
 * @param subject What to time.
 * @param cores The cores the student's code can use.
 * @param options Counts, the oversubscribed step and the fit's options.
 * @returns The sweep: its points in worker order and the fit.
 * @throws {RangeError} If `cores` or a count is out of range, or a callback returns something that is
 * not a non-negative finite number of seconds.
 *
 * @example Usage
 * ```ts
 * import { runSweep } from "./sweep.ts";
 * import { equal } from "node:assert/strict";
 *
 * // A fake clock: the reference takes 1 s, the student's code 0.05 s plus 0.95 s shared out.
 * const sweep = await runSweep({
 *   reference: () => Promise.resolve(1),
 *   candidate: (workers) => Promise.resolve(0.05 + 0.95 / Math.min(workers, 2)),
 * }, 2);
 * equal(sweep.points.length, 3);
 * equal(sweep.fit?.message, "Your code is ≈ 5% serial; on 16 cores it could reach at most ≈ 9.1×.");
 * ```
 */
export async function runSweep(
  subject: SweepSubject,
  cores: number,
  options: SweepOptions = {},
): Promise<Sweep> {
  const { warmup, maxWarmup, pairs, maxSpread, retries, oversubscribe } = {
    ...SWEEP_DEFAULTS,
    ...options,
  };
  for (
    const [name, value, least] of [
      ["warmup", warmup, 0],
      ["maxWarmup", maxWarmup, warmup],
      ["pairs", pairs, 1],
      ["retries", retries, 0],
    ] as const
  ) {
    if (!Number.isInteger(value) || value < least) {
      throw new RangeError(
        `Cannot run sweep: ${name} must be an integer of at least ${least}: received ${value}`,
      );
    }
  }
  if (!(maxSpread >= 0)) {
    throw new RangeError(`Cannot run sweep: maxSpread must be at least 0: received ${maxSpread}`);
  }
  const steps = sweepSteps(cores, oversubscribe);
  const samples = new Map<number, [number, number][]>(steps.map((workers) => [workers, []]));
  const work = new Map<number, { tasks: number[]; taskSeconds: number[] }>(
    steps.map((workers) => [workers, { tasks: [], taskSeconds: [] }]),
  );
  const total = steps.length * (Math.max(warmup, maxWarmup) + pairs * (1 + retries));
  let index = 0;

  async function pair(workers: number, measured: boolean): Promise<[number, number]> {
    options.onPair?.(index++, total, workers);
    const reference = seconds(await subject.reference(), "reference");
    const run = await subject.candidate(workers);
    const candidate = seconds(typeof run === "number" ? run : run.seconds, `candidate(${workers})`);
    if (measured && typeof run !== "number") {
      if (run.tasks !== undefined) work.get(workers)!.tasks.push(run.tasks);
      if (run.taskSeconds !== undefined) work.get(workers)!.taskSeconds.push(run.taskSeconds);
    }
    return [reference, candidate];
  }

  for (const workers of steps) {
    await warmUp(async () => (await pair(workers, false))[1], { warmup, maxWarmup });
  }
  let pending = steps;
  for (let round = 0; round <= retries && pending.length > 0; round++) {
    for (let i = 0; i < pairs; i++) {
      for (const workers of pending) samples.get(workers)!.push(await pair(workers, true));
    }
    pending = pending.filter((workers) => summarizePairs(samples.get(workers)!).spread > maxSpread);
  }

  const points: SweepPoint[] = steps.map((workers) => {
    const measured = samples.get(workers)!;
    const summary = summarizePairs(measured);
    const { tasks, taskSeconds } = work.get(workers)!;
    return {
      workers,
      speedup: summary.speedup,
      spread: summary.spread,
      pairs: measured.length,
      seconds: summary.seconds,
      referenceSeconds: summary.referenceSeconds,
      inconclusive: summary.spread > maxSpread,
      ...(tasks.length === 0 ? {} : { tasks: Math.round(median(tasks)) }),
      ...(taskSeconds.length === 0 ? {} : { taskSeconds: median(taskSeconds) }),
    };
  });
  const busy = options.load !== undefined && options.load >= BUSY_LOAD_PER_CORE * cores;
  const inconclusive = busy || points.some((point) => point.inconclusive);
  const fit = fitAmdahl(
    points.filter((point) => point.speedup > 0),
    cores,
    { projectCores: Math.max(16, 8 * cores), noisy: inconclusive, ...options.fit },
  );
  return {
    cores,
    points,
    ...(fit === undefined ? {} : { fit }),
    inconclusive,
    ...(options.load === undefined ? {} : { load: options.load }),
  };
}

function seconds(value: number, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `Cannot run sweep: ${what} must return a non-negative number of seconds: received ${value}`,
    );
  }
  return value;
}
