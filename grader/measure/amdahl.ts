/**
 * Amdahl's law fitted to a scaling sweep: the serial fraction `f` of the student's code, the
 * Karp–Flatt metric per step, what `f` means in words, and a flag for when task-dispatch overhead,
 * not the serial part, bends the curve.
 *
 * Amdahl's law says that code whose fraction `f` must run serially reaches, on `p` processors,
 * `S(p) = 1 / (f + (1 - f) / p)`. Its inverse is linear in `f`:
 * `1/S - 1/p = f · (1 - 1/p)`, so the least-squares `f` over the points has a closed form, and on a
 * single point it is the Karp–Flatt metric `e = (1/S - 1/p) / (1 - 1/p)`.
 *
 * Workers beyond the cores add no processors: a step with more workers than cores is taken at
 * `p = cores`. The fit uses only the steps with at most `cores` workers (Amdahl's regime); the
 * oversubscribed step only tells whether extra workers make things worse.
 *
 * One algorithm (the least-squares fit, Karp–Flatt and the overhead rule that reads them), kept
 * whole past 300 lines.
 *
 * @module
 */
import type { AmdahlFit } from "../result.ts";
import { formatSeconds } from "../_format.ts";

/** One measured step of a sweep, as the fit needs it. */
export interface SpeedupPoint {
  /** How many workers the student's code was given. */
  workers: number;
  /** The median speedup over the serial reference at that step. */
  speedup: number;
  /** The relative spread of that speedup over its pairs; `0` when unknown. */
  spread?: number;
  /** The average time one pool task took at that step (pool statistics), in seconds, if known. */
  taskSeconds?: number;
}

/** Options of {@linkcode fitAmdahl}. */
export interface FitAmdahlOptions {
  /** The core count the words project to ("on 16 cores it could reach at most ≈ 8.4×"). */
  projectCores?: number;
  /** The smallest relative change taken as real rather than noise; the points' spread can raise it. */
  tolerance?: number;
  /** Below this speedup at one worker, the code pays overhead even without parallelism. */
  oneWorkerFloor?: number;
  /**
   * Tasks shorter than this on average, in seconds, are dominated by sending them (a round trip to
   * a worker costs ≈ 60 µs here, so a 1 ms task pays about 6% on top).
   */
  minTaskSeconds?: number;
  /**
   * The timings are not to be trusted (a busy machine, inconclusive steps): only the pool's task
   * sizes, which load does not change, can then flag dispatch overhead.
   */
  noisy?: boolean;
}

/** The defaults of {@linkcode FitAmdahlOptions}. */
export const FIT_AMDAHL_DEFAULTS: Readonly<Required<FitAmdahlOptions>> = Object.freeze({
  projectCores: 16,
  tolerance: 0.05,
  oneWorkerFloor: 0.9,
  minTaskSeconds: 1e-3,
  noisy: false,
});

/**
 * The speedup Amdahl's law predicts on `processors` processors for a serial fraction `f`.
 *
 * @param serialFraction The serial fraction `f`, in [0, 1].
 * @param processors The processor count, at least 1.
 * @returns `1 / (f + (1 - f) / processors)`; `Infinity` when `f` is 0 and processors is infinite.
 * @throws {RangeError} If `serialFraction` is outside [0, 1] or `processors` is below 1.
 *
 * @example Usage
 * ```ts
 * import { amdahlSpeedup } from "./amdahl.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(amdahlSpeedup(0.5, 2), 4 / 3);
 * equal(amdahlSpeedup(0, 8), 8);
 * ```
 */
export function amdahlSpeedup(serialFraction: number, processors: number): number {
  if (!(serialFraction >= 0 && serialFraction <= 1)) {
    throw new RangeError(
      `Cannot compute Amdahl speedup: serialFraction must be in [0, 1]: received ${serialFraction}`,
    );
  }
  if (!(processors >= 1)) {
    throw new RangeError(
      `Cannot compute Amdahl speedup: processors must be at least 1: received ${processors}`,
    );
  }
  return 1 / (serialFraction + (1 - serialFraction) / processors);
}

/**
 * The Karp–Flatt metric: the serial fraction that one measured speedup implies,
 * `(1/S - 1/p) / (1 - 1/p)`. If it grows with `p`, something other than a fixed serial part
 * (dispatch, copying, contention) bends the curve.
 *
 * @param speedup The measured speedup, above 0.
 * @param processors The processors used, at least 2.
 * @returns The experimentally determined serial fraction; below 0 for a superlinear speedup.
 * @throws {RangeError} If `speedup` is not above 0 or `processors` is below 2.
 *
 * @example Usage
 * ```ts
 * import { karpFlatt } from "./amdahl.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(karpFlatt(4 / 3, 2), 0.5);
 * equal(karpFlatt(2, 2), 0);
 * ```
 */
export function karpFlatt(speedup: number, processors: number): number {
  if (!(speedup > 0)) {
    throw new RangeError(
      `Cannot compute Karp-Flatt metric: speedup must be above 0: received ${speedup}`,
    );
  }
  if (!(processors >= 2)) {
    throw new RangeError(
      `Cannot compute Karp-Flatt metric: processors must be at least 2: received ${processors}`,
    );
  }
  return (1 / speedup - 1 / processors) / (1 - 1 / processors);
}

const PERCENT = new Intl.NumberFormat("en", { style: "percent", maximumSignificantDigits: 2 });
const TIMES = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

function times(value: number): string {
  return `${TIMES.format(value)}×`;
}

/**
 * Fits Amdahl's law to the points of a sweep: `f` by least squares on `1/speedup` over the steps
 * with at most `cores` workers, the Karp–Flatt metric per step (at `p = min(workers, cores)`), a
 * projection to `projectCores`, and the flag for dispatch overhead. The flag is raised when, beyond
 * the tolerance (the larger of `tolerance` and half the points' spread):
 * - a step with 2 or more workers ran tasks shorter than `minTaskSeconds` on average, or, unless
 *   the timings are `noisy`,
 * - the oversubscribed step is slower than the step at `cores` workers, or
 * - the Karp–Flatt metric grows from one step to the next (including the oversubscribed step), or
 * - one worker is slower than `oneWorkerFloor` times the serial code.
 *
 * @param points The measured steps, in any order; duplicates of a worker count are not allowed.
 * @param cores The cores the student's code could use.
 * @param options How to project and what counts as noise.
 * @returns The fit, or `undefined` when no step ran on 2 or more processors (nothing to fit).
 * @throws {RangeError} If `cores` is not a positive integer, or a point has a worker count that is
 * not a positive integer, a speedup that is not above 0, or a repeated worker count.
 *
 * @example Usage
 * ```ts
 * import { fitAmdahl } from "./amdahl.ts";
 * import { equal, ok } from "node:assert/strict";
 *
 * const fit = fitAmdahl([{ workers: 1, speedup: 1 }, { workers: 2, speedup: 1 / 0.53 }], 2);
 * ok(fit !== undefined);
 * equal(Math.round(fit.serialFraction * 100), 6);
 * equal(fit.message, "Your code is ≈ 6% serial; on 16 cores it could reach at most ≈ 8.4×.");
 * ```
 */
export function fitAmdahl(
  points: readonly SpeedupPoint[],
  cores: number,
  options: FitAmdahlOptions = {},
): AmdahlFit | undefined {
  const { projectCores, tolerance, oneWorkerFloor, minTaskSeconds, noisy } = {
    ...FIT_AMDAHL_DEFAULTS,
    ...options,
  };
  if (!Number.isInteger(cores) || cores < 1) {
    throw new RangeError(
      `Cannot fit Amdahl's law: cores must be a positive integer: received ${cores}`,
    );
  }
  const seen = new Set<number>();
  for (const point of points) {
    if (!Number.isInteger(point.workers) || point.workers < 1) {
      throw new RangeError(
        `Cannot fit Amdahl's law: workers must be a positive integer: received ${point.workers}`,
      );
    }
    if (!(point.speedup > 0) || !Number.isFinite(point.speedup)) {
      throw new RangeError(
        `Cannot fit Amdahl's law: speedup must be a finite number above 0: received ${point.speedup} at ${point.workers} workers`,
      );
    }
    if (seen.has(point.workers)) {
      throw new RangeError(
        `Cannot fit Amdahl's law: each worker count must appear once: received ${point.workers} twice`,
      );
    }
    seen.add(point.workers);
  }
  const sorted = [...points].sort((a, b) => a.workers - b.workers);
  const inRegime = sorted.filter((point) => point.workers <= cores && point.workers >= 2);
  if (inRegime.length === 0) return undefined;

  let sxy = 0;
  let sxx = 0;
  for (const { workers, speedup } of inRegime) {
    const x = 1 - 1 / workers;
    sxy += x * (1 / speedup - 1 / workers);
    sxx += x * x;
  }
  const rawSerialFraction = sxy / sxx;
  const serialFraction = Math.min(1, Math.max(0, rawSerialFraction));

  let squares = 0;
  for (const { workers, speedup } of inRegime) {
    const predicted = amdahlSpeedup(serialFraction, workers);
    squares += ((speedup - predicted) / predicted) ** 2;
  }
  const rmsError = Math.sqrt(squares / inRegime.length);

  const karpFlattSteps = sorted
    .filter((point) => Math.min(point.workers, cores) >= 2)
    .map((point) => ({
      workers: point.workers,
      value: karpFlatt(point.speedup, Math.min(point.workers, cores)),
    }));

  const maxSpread = Math.max(0, ...sorted.map((point) => point.spread ?? 0));
  const noise = Math.max(tolerance, maxSpread / 2);
  const overhead = overheadReason(sorted, karpFlattSteps, cores, noise, {
    oneWorkerFloor,
    minTaskSeconds,
    noisy,
  });

  const projectedSpeedup = amdahlSpeedup(serialFraction, projectCores);
  return {
    serialFraction,
    rawSerialFraction,
    rmsError,
    karpFlatt: karpFlattSteps,
    projectCores,
    projectedSpeedup,
    overhead: overhead !== undefined,
    ...(overhead === undefined ? {} : { overheadReason: overhead }),
    message: describe(serialFraction, rawSerialFraction, projectCores, projectedSpeedup, overhead),
  };
}

function overheadReason(
  sorted: readonly SpeedupPoint[],
  karpFlattSteps: readonly { workers: number; value: number }[],
  cores: number,
  noise: number,
  floors: { oneWorkerFloor: number; minTaskSeconds: number; noisy: boolean },
): string | undefined {
  const short = sorted.find((point) =>
    point.workers >= 2 && point.taskSeconds !== undefined &&
    point.taskSeconds < floors.minTaskSeconds
  );
  if (short?.taskSeconds !== undefined) {
    return `its tasks take ${
      formatSeconds(short.taskSeconds)
    } each on average at ${short.workers} workers, while sending one to a worker costs tens of µs`;
  }
  if (floors.noisy) return undefined;
  const atCores = sorted.find((point) => point.workers === cores);
  const beyond = sorted.filter((point) => point.workers > cores);
  for (const point of beyond) {
    if (atCores !== undefined && point.speedup < atCores.speedup * (1 - noise)) {
      return `speedup falls from ${times(atCores.speedup)} at ${cores} workers to ${
        times(point.speedup)
      } at ${point.workers}: extra workers cost more than they bring`;
    }
  }
  for (let i = 1; i < karpFlattSteps.length; i++) {
    const before = karpFlattSteps[i - 1]!;
    const after = karpFlattSteps[i]!;
    if (after.value - before.value > noise) {
      return `the serial fraction measured at each step grows from ${
        PERCENT.format(Math.max(0, before.value))
      } at ${before.workers} workers to ${PERCENT.format(after.value)} at ${after.workers}`;
    }
  }
  const one = sorted.find((point) => point.workers === 1);
  if (one !== undefined && one.speedup < floors.oneWorkerFloor * (1 - noise)) {
    return `one worker runs at ${
      times(one.speedup)
    } the serial code's speed: sending the work to a worker costs more than it should`;
  }
  return undefined;
}

function describe(
  serialFraction: number,
  rawSerialFraction: number,
  projectCores: number,
  projectedSpeedup: number,
  overhead: string | undefined,
): string {
  const words = rawSerialFraction < 0
    ? `Your code scales better than linearly here (cache effects or noise), so no serial part shows; on ${projectCores} cores Amdahl's law would allow up to ${
      times(projectCores)
    }.`
    : `Your code is ≈ ${
      PERCENT.format(serialFraction)
    } serial; on ${projectCores} cores it could reach at most ≈ ${times(projectedSpeedup)}.`;
  if (overhead === undefined) return words;
  return `${words} But task-dispatch overhead, not the serial part, bends this curve: ${overhead}; send fewer, larger tasks.`;
}
