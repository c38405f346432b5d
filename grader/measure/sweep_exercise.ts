/**
 * A sweep of one exercise in the sandbox: what to time for each sweepable exercise
 * ({@linkcode SWEEP_TARGETS}), {@linkcode sandboxSubject} (times a target in a running
 * {@linkcode Sandbox}, checking each answer before it counts) and {@linkcode sweepExercise}; and
 * whether a checked exercise gets its sweep ({@linkcode canSweep}, {@linkcode withSweep}).
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import type { CatalogEntry } from "../catalog.ts";
import { poolWork } from "../checks/_shared.ts";
import { TIMED_RANGE as SUM_TIMED_RANGE } from "../checks/02_try_pymp1.ts";
import { PRIME_LIMIT } from "../checks/03_explore_structures.ts";
import { currentLoad, show } from "../checks/check.ts";
import type { ExerciseResult, Sweep } from "../result.ts";
import { CHECKS_BY_SLUG, KIT_ROOT, type Source, sourceDir } from "../runner.ts";
import {
  describeFault,
  type ReferenceOp,
  Sandbox,
  SANDBOX_DEFAULTS,
  type SandboxOptions,
  type StudentOp,
} from "../sandbox/sandbox.ts";
import { ReferenceDisturbedError, timeReference } from "./reference_guard.ts";
import { usableCores } from "./timing.ts";
import { runSweep, type SweepOptions, type SweepSubject } from "./sweep.ts";

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
 * import { sandboxSubject } from "./sweep_exercise.ts";
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
 * import { sweepExercise } from "./sweep_exercise.ts";
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
 * Whether a checked exercise can be swept: it has a sweep target, and every check its timed checks
 * require passed (nothing is timed until it is right; a failed speedup check does not stop a
 * sweep, which is there to show why).
 *
 * @param result The exercise's result, from the runner.
 * @returns `true` when {@linkcode withSweep} would sweep it.
 *
 * @example Usage
 * ```ts
 * import { canSweep } from "./sweep_exercise.ts";
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
 * import { withSweep } from "./sweep_exercise.ts";
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
