/**
 * The scaling sweep: the student's parallel code timed with 1, 2, … `cores` workers and one
 * oversubscribed step at 2 × `cores`, each step interleaved with the grader's serial reference, with
 * the speedup check's statistics (median of the pairs, spread, re-measuring a too-wide step, then
 * `inconclusive`), and Amdahl's law fitted to the points.
 *
 * {@linkcode runSweep} is the method, over two callbacks that return seconds, so the clock lives where
 * the caller puts it (the sandbox harness, or a fake in tests). {@linkcode sandboxSubject} times a
 * sweep target in a running {@linkcode Sandbox}, checking each answer before it counts.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { fitAmdahl, type FitAmdahlOptions } from "./amdahl.ts";
import type { CatalogEntry } from "../catalog.ts";
import { poolWork } from "../checks/_shared.ts";
import { TIMED_RANGE as SUM_TIMED_RANGE } from "../checks/02_try_pymp1.ts";
import { PRIME_LIMIT } from "../checks/03_explore_structures.ts";
import { BUSY_LOAD_PER_CORE, currentLoad, show } from "../checks/check.ts";
import { sweepChartSvg } from "../report/svg.ts";
import { renderSweepTerminal } from "../report/sweep_terminal.ts";
import type { ExerciseResult, Sweep, SweepPoint } from "../result.ts";
import { CHECKS_BY_SLUG, KIT_ROOT, type Source, sourceDir } from "../runner.ts";
import {
  describeFault,
  type ReferenceOp,
  Sandbox,
  SANDBOX_DEFAULTS,
  SandboxFailure,
  type SandboxOptions,
  type StudentOp,
} from "../sandbox/sandbox.ts";
import {
  COMPARE_DEFAULTS,
  ReferenceDisturbedError,
  summarizePairs,
  timeReference,
  usableCores,
  warmUp,
} from "./timing.ts";
import { median } from "./statistics.ts";
import { EXIT } from "../_exit.ts";

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

/** What to time for one exercise: the grader's serial reference and the student's parallel call. */
export interface SweepTarget {
  /** The reference operation (`{ name: "sumRange", args: [1, 200_000_001] }`). */
  reference: ReferenceOp;
  /** The student's operation at a worker count (a `call` with `pool: workers`). */
  student(workers: number): StudentOp;
  /** How long one call may take, in milliseconds. */
  timeoutMs?: number;
}

/** Raised when the student's code gives a wrong answer or fails during a sweep: nothing wrong is timed. */
export class SweepAnswerError extends Error {
  /**
   * Makes a sweep answer error.
   *
   * @param message What went wrong, for the student.
   * @param options The underlying cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SweepAnswerError";
  }
}

/**
 * The subject of a sweep in a running sandbox: both sides run in the sandbox subprocess and are
 * timed by its harness. The reference's first answer is kept, and every answer of the student's
 * code must equal it, or the sweep stops with a {@linkcode SweepAnswerError}: timing only counts for
 * correct code. Each student call also reports its pool's tasks and their average time, from the
 * pool's statistics before and after the call.
 *
 * @param sandbox The running sandbox that holds the student's code.
 * @param target What to time.
 * @returns The subject for {@linkcode runSweep}.
 *
 * @example Usage
 * ```ts
 * import { sandboxSubject } from "./sweep.ts";
 * import { equal } from "node:assert/strict";
 *
 * // A stand-in for a running Sandbox: the harness's replies carry the value and the seconds.
 * const sandbox = {
 *   reference: () => Promise.resolve({ id: 1, value: 10n, seconds: 1 }),
 *   student: () => Promise.resolve({ id: 2, value: 10n, seconds: 0.5 }),
 * };
 * const subject = sandboxSubject(sandbox, {
 *   reference: { name: "sumRange", args: [1, 5] },
 *   student: (workers) => ({
 *     op: "call",
 *     file: "parallel_sum.ts",
 *     name: "parallelSum",
 *     args: [1, 5],
 *     pool: workers,
 *   }),
 * });
 * equal(await subject.reference(), 1);
 * equal(await subject.candidate(2), 0.5);
 * ```
 */
export function sandboxSubject(
  sandbox: Pick<Sandbox, "reference" | "student">,
  target: SweepTarget,
): SweepSubject {
  const call = target.timeoutMs === undefined ? {} : { timeoutMs: target.timeoutMs };
  let expected: { value: unknown } | undefined;
  return {
    async reference() {
      try {
        // A reference during which the student's code kept running is void (timeReference).
        return await timeReference(async () => {
          const reply = await sandbox.reference(target.reference, call);
          if (reply.fault) {
            throw new Error(
              `The grader's reference ${target.reference.name} failed: ${reply.fault.message}`,
            );
          }
          expected ??= { value: reply.value };
          // The harness's cpuUsage() (every platform) where it reports one, else /proc's figure.
          const cpu = reply.trusted?.cpuSeconds;
          return cpu === undefined
            ? reply
            : { seconds: reply.seconds, usage: { cpuSeconds: cpu, wallSeconds: reply.seconds } };
        });
      } catch (error) {
        if (error instanceof ReferenceDisturbedError) throw new SweepAnswerError(error.message);
        throw error;
      }
    },
    async candidate(workers) {
      const op = target.student(workers);
      const reply = await sandbox.student(op, call);
      const on = `with ${workers} worker${workers === 1 ? "" : "s"}`;
      if (reply.fault) {
        throw new SweepAnswerError(
          `${op.name} ${on}: ${describeFault(reply.fault)}: make deno task check pass first`,
        );
      }
      if (expected !== undefined && !isDeepStrictEqual(reply.value, expected.value)) {
        throw new SweepAnswerError(
          `${op.name} returned ${show(reply.value)} ${on}, expected ${
            show(expected.value)
          }: make deno task check pass first, the sweep times only correct code`,
        );
      }
      const work = poolWork(reply.statsBefore, reply.statsAfter);
      if (work === undefined || work === "unreadable" || work.tasks === 0) return reply.seconds;
      return {
        seconds: reply.seconds,
        tasks: work.tasks,
        taskSeconds: work.busySeconds / work.tasks,
      };
    },
  };
}

/**
 * What the sweep times for each exercise with a timed parallel check, by folder name: the same
 * input and reference as that check.
 */
export const SWEEP_TARGETS: Readonly<Record<string, SweepTarget>> = Object.freeze({
  "02_try_pymp1": {
    reference: { name: "sumRange", args: [...SUM_TIMED_RANGE] },
    student: (workers: number): StudentOp => ({
      op: "call",
      file: "parallel_sum.ts",
      name: "parallelSum",
      args: [...SUM_TIMED_RANGE],
      pool: workers,
    }),
  },
  "03_explore_structures": {
    reference: { name: "countPrimes", args: [PRIME_LIMIT] },
    student: (workers: number): StudentOp => ({
      op: "call",
      file: "prime_count.ts",
      name: "countPrimes",
      args: [PRIME_LIMIT],
      pool: workers,
    }),
  },
});

/** Options of {@linkcode sweepExercise}. */
export interface SweepExerciseOptions extends SweepOptions {
  /** The kit's root folder. Default: this kit. */
  kitRoot?: string;
  /** Where the student files come from. Default `{ kind: "exercises" }`. */
  source?: Source;
  /** The cores to sweep up to; default: what the process can really use. */
  cores?: number;
  /** Wall-time limit of one call, in milliseconds. Default: the sandbox's. */
  timeoutMs?: number;
  /** Limits of the sandbox subprocess. */
  sandbox?: Pick<SandboxOptions, "memoryMb" | "heapMb" | "outputBytes">;
  /** Ends the sandbox when aborted. */
  signal?: AbortSignal;
}

/**
 * Sweeps one exercise: opens a sandbox with the student files, runs {@linkcode runSweep} on the
 * exercise's {@linkcode SWEEP_TARGETS} entry (every answer checked), and closes the sandbox.
 *
 * @param entry The exercise's catalog entry.
 * @param options Where the files come from, the cores, limits and the sweep's counts.
 * @returns The sweep.
 * @throws {RangeError} If the exercise has no timed parallel check to sweep.
 * @throws {SweepAnswerError} If the student's code fails or answers wrongly.
 * @throws {SandboxFailure} If the sandbox timed out, ran out of memory or died.
 *
 * @example Usage
 * ```ts ignore
 * import { sweepExercise } from "./sweep.ts";
 * const sweep = await sweepExercise(entry, { source: { kind: "solutions" } });
 * ```
 */
export async function sweepExercise(
  entry: CatalogEntry,
  options: SweepExerciseOptions = {},
): Promise<Sweep> {
  const target = SWEEP_TARGETS[entry.slug];
  if (target === undefined) {
    throw new RangeError(
      `Cannot sweep exercise ${entry.id}: it has no timed parallel check: sweepable exercises are ${sweepableList()}`,
    );
  }
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  const source = options.source ?? { kind: "exercises" };
  const cores = options.cores ?? await usableCores();
  await using sandbox = await Sandbox.open({
    kitRoot,
    slug: entry.slug,
    sourceDir: await sourceDir(entry, source, kitRoot),
    files: entry.files,
    ...options.sandbox,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const timed = {
    ...target,
    timeoutMs: options.timeoutMs ?? target.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs,
  };
  const load = options.load ?? await currentLoad();
  return await runSweep(sandboxSubject(sandbox, timed), cores, {
    ...options,
    ...(load === undefined ? {} : { load }),
  });
}

function sweepableList(): string {
  return Object.keys(SWEEP_TARGETS).map((slug) => String(Number(slug.slice(0, 2)))).join(", ");
}

/**
 * Where a sweep's chart goes: `.parakit/sweep-NN.svg` in the kit's root.
 *
 * @param entry The exercise.
 * @param kitRoot The kit's root.
 * @returns The file's path.
 *
 * @example Usage
 * ```ts
 * import { sweepSvgPath } from "./sweep.ts";
 * import { equal } from "node:assert/strict";
 *
 * const entry = { id: 2, slug: "02_try_pymp1", title: "T", files: ["a.ts"], hint: "h" };
 * equal(sweepSvgPath(entry, "/kit"), "/kit/.parakit/sweep-02.svg");
 * ```
 */
export function sweepSvgPath(entry: CatalogEntry, kitRoot: string = KIT_ROOT): string {
  return `${kitRoot}/.parakit/sweep-${String(entry.id).padStart(2, "0")}.svg`;
}

/**
 * Draws a sweep as SVG and writes it to {@linkcode sweepSvgPath}, creating `.parakit/`.
 *
 * @param sweep The sweep.
 * @param entry The exercise it measured.
 * @param kitRoot The kit's root.
 * @returns The path written.
 *
 * @example Usage
 * ```ts
 * import { writeSweepSvg } from "./sweep.ts";
 * import { ok } from "node:assert/strict";
 *
 * const kit = await Deno.makeTempDir();
 * const entry = { id: 2, slug: "02_try_pymp1", title: "T", files: ["a.ts"], hint: "h" };
 * const step = { spread: 0, pairs: 5, seconds: 1, referenceSeconds: 1, inconclusive: false };
 * const sweep = { cores: 1, inconclusive: false, points: [{ ...step, workers: 1, speedup: 1 }] };
 * const path = await writeSweepSvg(sweep, entry, kit);
 * ok((await Deno.readTextFile(path)).startsWith("<svg"));
 * await Deno.remove(kit, { recursive: true });
 * ```
 */
export async function writeSweepSvg(
  sweep: Sweep,
  entry: CatalogEntry,
  kitRoot: string = KIT_ROOT,
): Promise<string> {
  const path = sweepSvgPath(entry, kitRoot);
  const svg = await sweepChartSvg(sweep, { title: `${entry.slug}: speedup against workers` });
  await Deno.mkdir(`${kitRoot}/.parakit`, { recursive: true });
  await Deno.writeTextFile(path, svg);
  return path;
}

/**
 * Whether a checked exercise can be swept: it has a sweep target, and every check its timed checks
 * require passed (nothing is timed until it is right; a failed speedup check does not stop a
 * sweep, which is there to show why).
 *
 * @param result The exercise's result, from the runner.
 * @returns `true` when {@linkcode withSweep} would sweep it.
 *
 * @example Usage
 * ```ts
 * import { canSweep } from "./sweep.ts";
 * import { equal } from "node:assert/strict";
 *
 * const machine = { cores: 2, deno: "2", platform: "linux" };
 * const base = { version: 1 as const, score: 0, maxScore: 1, checkedAt: "", seconds: 0, machine };
 * equal(canSweep({ ...base, exercise: "01_guess_run_times", status: "passed", checks: [] }), false);
 * ```
 */
export function canSweep(result: ExerciseResult): boolean {
  if (SWEEP_TARGETS[result.exercise] === undefined) return false;
  const required = new Set(
    (CHECKS_BY_SLUG[result.exercise] ?? []).filter((spec) => spec.timed).flatMap((spec) =>
      spec.requires ?? []
    ),
  );
  return [...required].every((name) =>
    result.checks.some((check) => check.name === name && check.status === "passed")
  );
}

/**
 * Adds a sweep to a checked exercise's result when {@linkcode canSweep} allows it; returns the
 * result unchanged otherwise. For `check N --sweep` and batches graded with `--sweep`.
 *
 * @param entry The exercise's catalog entry.
 * @param result Its result, from the runner.
 * @param options Where the files come from, the cores, limits and the sweep's counts.
 * @returns The result, with `sweep` when one was measured.
 * @throws {SweepAnswerError} If the student's code fails or answers wrongly during the sweep.
 * @throws {SandboxFailure} If the sandbox timed out, ran out of memory or died.
 *
 * @example Usage
 * ```ts
 * import { withSweep } from "./sweep.ts";
 * import { equal } from "node:assert/strict";
 *
 * const machine = { cores: 2, deno: "2", platform: "linux" };
 * const entry = { id: 1, slug: "01_guess_run_times", title: "T", files: ["a.ts"], hint: "h" };
 * const result = {
 *   version: 1 as const, exercise: entry.slug, status: "passed" as const, score: 1, maxScore: 1,
 *   checks: [], checkedAt: "", seconds: 0, machine,
 * };
 * equal(await withSweep(entry, result), result);
 * ```
 */
export async function withSweep(
  entry: CatalogEntry,
  result: ExerciseResult,
  options: SweepExerciseOptions = {},
): Promise<ExerciseResult> {
  if (!canSweep(result)) return result;
  return { ...result, sweep: await sweepExercise(entry, options) };
}

/** Where the sweep's command-line output goes (the CLI's `CliIo` fits). */
export interface SweepIo {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  /** Whether to colour stdout. */
  color: boolean;
  /** Whether stderr is a terminal (progress lines go there). */
  progress: boolean;
}

/** Options of {@linkcode sweepCommand} and {@linkcode checkWithSweep}. */
export interface SweepCommandOptions extends SweepExerciseOptions {
  /** Where output goes. */
  io: SweepIo;
  /** `sweep N --json`: print the sweep's data as JSON on stdout instead of the chart. */
  json?: boolean;
}

function progressOf(entry: CatalogEntry, io: SweepIo): SweepOptions["onPair"] {
  if (!io.progress) return undefined;
  return (index, total, workers) =>
    io.err(
      `\r\x1b[2K${entry.slug} sweep: pair ${index + 1} (at most ${total}), ${workers} workers`,
    );
}

/** Writes the sweep's SVG and returns its path, relative to the kit when inside it. */
async function saveChart(sweep: Sweep, entry: CatalogEntry, kitRoot: string): Promise<string> {
  const path = await writeSweepSvg(sweep, entry, kitRoot);
  return path.startsWith(`${kitRoot}/`) ? path.slice(kitRoot.length + 1) : path;
}

function clearProgress(io: SweepIo): void {
  if (io.progress) io.err("\r\x1b[2K");
}

/** The exit codes of `deno task sweep N`. */
export const SWEEP_EXIT = { swept: EXIT.passed, studentFailed: EXIT.failed } as const;

/**
 * `deno task sweep N [--solution] [--json]`: sweeps one exercise, prints the terminal chart and
 * the fit (or, with `json`, the sweep's data), and writes `.parakit/sweep-NN.svg`. The caller checks that the exercise is sweepable
 * ({@linkcode SWEEP_TARGETS}) and turns bad usage into exit code 2.
 *
 * @param entry The exercise.
 * @param options Output, where the files come from, the cores and limits.
 * @returns 0 when a sweep was measured, 1 when the student's code failed, answered wrongly, timed
 * out, crashed or ran out of memory during it (said on stderr in one line).
 * @throws {RangeError} If the exercise has no sweep target.
 *
 * @example Usage
 * ```ts
 * import { sweepCommand } from "./sweep.ts";
 * import { rejects } from "node:assert/strict";
 *
 * const io = { out: () => {}, err: () => {}, color: false, progress: false };
 * const entry = { id: 1, slug: "01_guess_run_times", title: "T", files: ["a.ts"], hint: "h" };
 * await rejects(sweepCommand(entry, { io }), RangeError);
 * ```
 */
export async function sweepCommand(
  entry: CatalogEntry,
  options: SweepCommandOptions,
): Promise<number> {
  try {
    const sweep = await sweepExercise(entry, { onPair: progressOf(entry, options.io), ...options });
    clearProgress(options.io);
    const where = await saveChart(sweep, entry, options.kitRoot ?? KIT_ROOT);
    if (options.json) {
      options.io.out(`${JSON.stringify(sweep, null, 2)}\n`);
    } else {
      options.io.out(
        `${entry.slug}: scaling sweep on ${sweep.cores} cores\n\n${
          renderSweepTerminal(sweep, { color: options.io.color })
        }\n\nChart: ${where}\n`,
      );
    }
    return SWEEP_EXIT.swept;
  } catch (error) {
    if (error instanceof SweepAnswerError || error instanceof SandboxFailure) {
      clearProgress(options.io);
      options.io.err(`error: no sweep for ${entry.slug}: ${error.message}\n`);
      return SWEEP_EXIT.studentFailed;
    }
    throw error;
  }
}

/**
 * `deno task check N --sweep`: adds a sweep to a checked exercise when {@linkcode canSweep} allows
 * it and writes its SVG (the reporters render the sweep from the result). When the exercise cannot
 * be swept yet, or the sweep fails, says why on stderr and returns the result unchanged.
 *
 * @param entry The exercise.
 * @param result Its result, from the runner.
 * @param options Output, where the files come from, the cores and limits.
 * @returns The result, with `sweep` when one was measured.
 *
 * @example Usage
 * ```ts
 * import { checkWithSweep } from "./sweep.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const said: string[] = [];
 * const io = { out: () => {}, err: (t: string) => void said.push(t), color: false, progress: false };
 * const entry = { id: 2, slug: "02_try_pymp1", title: "T", files: ["a.ts"], hint: "h" };
 * const result = {
 *   version: 1 as const, exercise: entry.slug, status: "failed" as const, score: 0, maxScore: 5,
 *   checks: [], checkedAt: "", seconds: 0, machine: { cores: 2, deno: "2", platform: "linux" },
 * };
 * equal(await checkWithSweep(entry, result, { io }), result);
 * deepEqual(said, ["no sweep for 02_try_pymp1: its correctness checks must pass first\n"]);
 * ```
 */
export async function checkWithSweep(
  entry: CatalogEntry,
  result: ExerciseResult,
  options: SweepCommandOptions,
): Promise<ExerciseResult> {
  if (SWEEP_TARGETS[entry.slug] === undefined) return result;
  if (!canSweep(result)) {
    options.io.err(`no sweep for ${entry.slug}: its correctness checks must pass first\n`);
    return result;
  }
  try {
    const swept = await withSweep(entry, result, {
      onPair: progressOf(entry, options.io),
      ...options,
    });
    clearProgress(options.io);
    if (swept.sweep !== undefined) {
      const where = await saveChart(swept.sweep, entry, options.kitRoot ?? KIT_ROOT);
      options.io.err(`sweep chart written to ${where}\n`);
    }
    return swept;
  } catch (error) {
    if (error instanceof SweepAnswerError || error instanceof SandboxFailure) {
      clearProgress(options.io);
      options.io.err(`error: no sweep for ${entry.slug}: ${error.message}\n`);
      return result;
    }
    throw error;
  }
}
