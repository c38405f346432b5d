/**
 * The result data of parakit's grader: one versioned zod schema shared by `check --json`,
 * `gradebook.json` and the Gradescope output. Types are inferred from the schema; runners produce
 * these objects and reporters only render them.
 *
 * @module
 */
import { z } from "zod";
import { capText, TEXT_CAPS } from "./_caps.ts";
import { SweepSchema } from "./_sweep_schema.ts";

export { capText, TEXT_CAPS } from "./_caps.ts";
export {
  type AmdahlFit,
  AmdahlFitSchema,
  type Sweep,
  type SweepPoint,
  SweepPointSchema,
  SweepSchema,
} from "./_sweep_schema.ts";

/**
 * Keeps one exercise's result under {@linkcode TEXT_CAPS}.result once serialised: caps each
 * message and the output, and when it is still too large drops the output and cuts the messages
 * harder. Checks, statuses, scores and measurements are never changed.
 *
 * @param result The result.
 * @returns The same result, or a smaller copy.
 *
 * @example Usage
 * ```ts
 * import { capResult, TEXT_CAPS } from "./result.ts";
 * import { ok } from "node:assert/strict";
 *
 * const check = { name: "exact", status: "error" as const, message: "m".repeat(1e6), score: 0, maxScore: 1 };
 * const result = {
 *   version: 1 as const, exercise: "01_a", status: "failed" as const, score: 0, maxScore: 1,
 *   checks: [check], output: "o".repeat(1e6), checkedAt: "", seconds: 0,
 *   machine: { cores: 2, deno: "2", platform: "linux" },
 * };
 * ok(JSON.stringify(capResult(result)).length <= TEXT_CAPS.result);
 * ```
 */
export function capResult(result: ExerciseResult): ExerciseResult {
  const capped: ExerciseResult = {
    ...result,
    checks: result.checks.map((check) => ({
      ...check,
      message: capText(check.message, TEXT_CAPS.message),
    })),
    ...(result.output === undefined ? {} : { output: capText(result.output, TEXT_CAPS.output) }),
  };
  if (JSON.stringify(capped).length <= TEXT_CAPS.result) return capped;
  const { output: _dropped, ...rest } = capped;
  return {
    ...rest,
    checks: capped.checks.map((check) => ({ ...check, message: capText(check.message, 200) })),
  };
}

/** The version of the result data; bumped on any incompatible change. */
export const RESULT_VERSION = 1;

/** How one check ended. */
export const CheckStatusSchema = z.enum([
  "passed",
  "failed",
  "error",
  "timeout",
  "out-of-memory",
  "crashed",
  "inconclusive",
  "skipped",
]);
/** How one check ended. */
export type CheckStatus = z.infer<typeof CheckStatusSchema>;

/** What a timed check measured. Every field is optional: a check records what it timed. */
export const MeasurementsSchema = z.object({
  /** The student's median time, in seconds. */
  seconds: z.number().nonnegative().optional(),
  /** The grader's reference (serial) median time, in seconds. */
  referenceSeconds: z.number().nonnegative().optional(),
  /** The median of reference ÷ student over the interleaved pairs. */
  speedup: z.number().nonnegative().optional(),
  /** The relative spread of the speedup over the pairs ((max - min) ÷ median of the middle half). */
  spread: z.number().nonnegative().optional(),
  /** The speedup needed to pass. */
  threshold: z.number().nonnegative().optional(),
  /** How many workers the student's code was given. */
  workers: z.number().int().positive().optional(),
  /** How many cores the sandbox could really use. */
  cores: z.number().int().positive().optional(),
  /** How many interleaved (reference, student) pairs were measured. */
  pairs: z.number().int().nonnegative().optional(),
  /** Tasks the pool ran during one timed call. */
  tasks: z.number().int().nonnegative().optional(),
  /** Average time per task, in seconds. */
  taskSeconds: z.number().nonnegative().optional(),
  // --- What the grader witnessed from outside the student's isolate (issue 11) ---
  /** The speedup interval's lower bound (t interval on log pair-ratios, 99% one-sided). */
  speedupLow: z.number().nonnegative().optional(),
  /** The speedup interval's upper bound. */
  speedupHigh: z.number().nonnegative().optional(),
  /** Timed pairs during which the rest of the machine used CPU (not used to fail). */
  disturbedPairs: z.number().int().nonnegative().optional(),
  /** The student's CPU time ÷ the reference's, median over the pairs (the work was done: ≈ 1). */
  workShare: z.number().nonnegative().optional(),
  /** The student's CPU time ÷ wall time, median over the pairs (threads busy at once). */
  parallelism: z.number().nonnegative().optional(),
  /** Where the sandbox's CPU time came from: the harness's `cpuUsage()`, or /proc. */
  processWitness: z.enum(["harness-cpu-usage", "proc", "none"]).optional(),
  /** Where the machine's load came from: `/proc/stat`, `node:os` `cpus()`, or nowhere. */
  machineWitness: z.enum(["proc-stat", "os-cpus", "none"]).optional(),
});
/** What a timed check measured. */
export type Measurements = z.infer<typeof MeasurementsSchema>;

/** One check of one exercise. */
export const CheckResultSchema = z.object({
  /** The check's name, stable across runs (`sumRange is exact`). */
  name: z.string().min(1),
  /** How it ended. */
  status: CheckStatusSchema,
  /** Why, in one or two sentences; a hint where it failed. */
  message: z.string(),
  /** Points earned. */
  score: z.number().nonnegative(),
  /** Points available; 0 for a skipped check. */
  maxScore: z.number().nonnegative(),
  /** Measurements, where the check timed something. */
  measurements: MeasurementsSchema.optional(),
});
/** One check of one exercise. */
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** The machine a result was measured on, so that a regrade request can be answered. */
export const MachineSchema = z.object({
  /** Cores the grader could use. */
  cores: z.number().int().positive(),
  /** `Deno.version.deno`. */
  deno: z.string(),
  /** `Deno.build.os` and `Deno.build.arch`. */
  platform: z.string(),
  /** The 1-minute load average when the run started, where the OS reports it. */
  load: z.number().nonnegative().optional(),
});
/** The machine a result was measured on. */
export type Machine = z.infer<typeof MachineSchema>;

/** How a whole exercise ended: `passed` only when every check passed. */
export const ExerciseStatusSchema = z.enum(["passed", "failed", "inconclusive"]);
/** How a whole exercise ended. */
export type ExerciseStatus = z.infer<typeof ExerciseStatusSchema>;

/** The result of checking one exercise. */
export const ExerciseResultSchema = z.object({
  /** The result data's version ({@linkcode RESULT_VERSION}). */
  version: z.literal(RESULT_VERSION),
  /** The exercise's folder name (`01_guess_run_times`). */
  exercise: z.string().min(1),
  /** `passed` only when every check passed ({@linkcode exerciseStatus}). */
  status: ExerciseStatusSchema,
  /** Points earned. */
  score: z.number().nonnegative(),
  /** Points available. */
  maxScore: z.number().nonnegative(),
  /** The checks, in declaration order. */
  checks: z.array(CheckResultSchema),
  /** What the student's code printed, capped. */
  output: z.string().optional(),
  /** When the check ran (ISO 8601). */
  checkedAt: z.string(),
  /** How long the whole check took, in seconds. */
  seconds: z.number().nonnegative(),
  /** Where it ran. */
  machine: MachineSchema,
  /** The scaling sweep, when the check ran with `--sweep`. */
  sweep: SweepSchema.optional(),
});
/** The result of checking one exercise. */
export type ExerciseResult = z.infer<typeof ExerciseResultSchema>;

/** One student's row of a gradebook. */
export const StudentResultSchema = z.object({
  /** The student's id: the submission folder's name. */
  student: z.string().min(1),
  /** Points earned over every exercise. */
  score: z.number().nonnegative(),
  /** Points available over every exercise. */
  maxScore: z.number().nonnegative(),
  /** One result per exercise, in catalog order. */
  exercises: z.array(ExerciseResultSchema),
});
/** One student's row of a gradebook. */
export type StudentResult = z.infer<typeof StudentResultSchema>;

/** `gradebook.json`. */
export const GradebookSchema = z.object({
  /** The result data's version. */
  version: z.literal(RESULT_VERSION),
  /** When the batch finished (ISO 8601). */
  gradedAt: z.string(),
  /** Where it ran. */
  machine: MachineSchema,
  /** One row per student, sorted by student id. */
  students: z.array(StudentResultSchema),
});
/** `gradebook.json`. */
export type Gradebook = z.infer<typeof GradebookSchema>;

/**
 * The check statuses that fail an exercise: the check ran and was wrong, or could not finish.
 *
 * @example Usage
 * ```ts
 * import { FAILING_STATUSES } from "./result.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(FAILING_STATUSES.has("timeout"), true);
 * equal(FAILING_STATUSES.has("inconclusive"), false);
 * ```
 */
export const FAILING_STATUSES: ReadonlySet<CheckStatus> = new Set([
  "failed",
  "error",
  "timeout",
  "out-of-memory",
  "crashed",
]);

/**
 * The status of an exercise from its checks: `failed` when any check failed or could not run,
 * `inconclusive` when none failed but one could not be decided (a busy machine) or was skipped (one
 * core gives no speedup to check, timing was off), `passed` only when every check passed. A run in
 * which no check passed is not a pass.
 *
 * @param checks The exercise's checks.
 * @returns The exercise's status.
 *
 * @example Usage
 * ```ts
 * import { exerciseStatus } from "./result.ts";
 * import { equal } from "node:assert/strict";
 *
 * const check = { name: "exact", message: "", score: 1, maxScore: 1 };
 * equal(exerciseStatus([{ ...check, status: "passed" }]), "passed");
 * equal(exerciseStatus([{ ...check, status: "passed" }, { ...check, status: "skipped" }]), "inconclusive");
 * equal(exerciseStatus([{ ...check, status: "skipped" }]), "failed");
 * ```
 */
export function exerciseStatus(checks: readonly CheckResult[]): ExerciseStatus {
  if (checks.some((check) => FAILING_STATUSES.has(check.status))) return "failed";
  if (!checks.some((check) => check.status === "passed")) return "failed";
  const undecided = checks.some((check) =>
    check.status === "inconclusive" || check.status === "skipped"
  );
  return undecided ? "inconclusive" : "passed";
}
