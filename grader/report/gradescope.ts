/**
 * Renders one student's results in Gradescope's autograder format (`results.json`): the total
 * `score`, one test per check with `name`, `score`, `max_score`, `status` and `output`, and the
 * machine and thresholds the checks were measured with, so that a regrade request can be answered.
 * The reporter decides nothing: scores are the grader's. Every test carries a `status` (CONTRACT.md),
 * and Gradescope knows only `passed` and `failed`: a check is `passed` there only when the grader said
 * `passed`; every other status (`skipped` and `inconclusive` included) is `failed`, with the grader's
 * own status first in the test's `output`.
 *
 * @module
 */
import { z } from "zod";
import type { CheckResult, ExerciseResult, Machine, StudentResult } from "../result.ts";
import { escapeControl, escapeId } from "./_escape.ts";

/** Who may see a result on Gradescope. */
export const GradescopeVisibilitySchema = z.enum([
  "hidden",
  "after_due_date",
  "after_published",
  "visible",
]);
/** Who may see a result on Gradescope. */
export type GradescopeVisibility = z.infer<typeof GradescopeVisibilitySchema>;

/** One test of Gradescope's `results.json`. */
export const GradescopeTestSchema = z.object({
  /** The test's name, as the student sees it: `02_try_pymp1: parallelSum is exact`. */
  name: z.string(),
  /** Its number, `exercise.check`, both 1-based. */
  number: z.string(),
  /** Points earned. */
  score: z.number().nonnegative(),
  /** Points available. */
  max_score: z.number().nonnegative(),
  /** `passed` when the check passed, `failed` for every other status (the real one opens `output`). */
  status: z.enum(["passed", "failed"]),
  /** Why: the grader's message and measurements. */
  output: z.string(),
  /** Who may see this test. */
  visibility: GradescopeVisibilitySchema,
});
/** One test of Gradescope's `results.json`. */
export type GradescopeTest = z.infer<typeof GradescopeTestSchema>;

/** Gradescope's autograder `results.json`, the fields parakit writes. */
export const GradescopeResultsSchema = z.object({
  /** The total score. */
  score: z.number().nonnegative(),
  /** How long grading took, in whole seconds. */
  execution_time: z.number().int().nonnegative(),
  /** The summary shown above the tests: machine, thresholds, the student's captured output. */
  output: z.string(),
  /** Plain text. */
  output_format: z.literal("text"),
  /** Who may see the results. */
  visibility: GradescopeVisibilitySchema,
  /** Who may see the autograder's own stdout. */
  stdout_visibility: GradescopeVisibilitySchema,
  /** One test per check, exercises in catalog order, checks in declaration order. */
  tests: z.array(GradescopeTestSchema),
});
/** Gradescope's autograder `results.json`. */
export type GradescopeResults = z.infer<typeof GradescopeResultsSchema>;

/** Options for {@linkcode gradescopeResults}. */
export interface GradescopeResultsOptions {
  /** Who may see the results and each test. Default `"visible"`. */
  visibility?: GradescopeVisibility;
  /** Who may see the autograder's stdout. Default `"hidden"`. */
  stdoutVisibility?: GradescopeVisibility;
}

/**
 * Renders one student's results as Gradescope's `results.json` object.
 *
 * @param row The student's results.
 * @param options Visibility settings.
 * @returns The object to write as `results.json`, valid against {@linkcode GradescopeResultsSchema}.
 *
 * @example Usage
 * ```ts
 * import { gradescopeResults } from "./gradescope.ts";
 * import { equal } from "node:assert/strict";
 *
 * const results = gradescopeResults({
 *   student: "alice",
 *   score: 1,
 *   maxScore: 1,
 *   exercises: [{
 *     version: 1,
 *     exercise: "01_guess_run_times",
 *     status: "passed",
 *     score: 1,
 *     maxScore: 1,
 *     checks: [{ name: "sumRange is exact", status: "passed", message: "", score: 1, maxScore: 1 }],
 *     checkedAt: "2026-11-25T00:00:00.000Z",
 *     seconds: 2.4,
 *     machine: { cores: 2, deno: "2.9.6", platform: "linux x86_64" },
 *   }],
 * });
 * equal(results.score, 1);
 * equal(results.tests[0]?.name, "01_guess_run_times: sumRange is exact");
 * equal(results.tests[0]?.status, "passed");
 * ```
 */
export function gradescopeResults(
  row: StudentResult,
  options: GradescopeResultsOptions = {},
): GradescopeResults {
  const visibility = options.visibility ?? "visible";
  const tests = row.exercises.flatMap((result, i) =>
    result.checks.map((check, j): GradescopeTest => ({
      name: `${result.exercise}: ${check.name}`,
      number: `${i + 1}.${j + 1}`,
      score: check.score,
      max_score: check.maxScore,
      status: check.status === "passed" ? "passed" : "failed",
      output: checkOutput(check),
      visibility,
    }))
  );
  const seconds = row.exercises.reduce((sum, result) => sum + result.seconds, 0);
  return {
    score: row.score,
    execution_time: Math.round(seconds),
    output: summary(row),
    output_format: "text",
    visibility,
    stdout_visibility: options.stdoutVisibility ?? "hidden",
    tests,
  };
}

/**
 * A check's status, message and measurements as plain text lines.
 *
 * @param check The check.
 * @returns One line for the status and message, one for the measurements if there are any.
 *
 * @example Usage
 * ```ts
 * import { checkOutput } from "./gradescope.ts";
 * import { equal } from "node:assert/strict";
 *
 * const check = {
 *   name: "faster",
 *   status: "failed" as const,
 *   message: "Too slow",
 *   score: 0,
 *   maxScore: 1,
 *   measurements: { speedup: 1.1, threshold: 1.5 },
 * };
 * equal(checkOutput(check), "failed: Too slow\nspeedup 1.10×, threshold 1.50×");
 * ```
 */
export function checkOutput(check: CheckResult): string {
  const message = check.message ? `: ${escapeControl(check.message)}` : "";
  const lines = [`${check.status}${message}`];
  const m = check.measurements;
  if (m) {
    const parts = [
      m.speedup !== undefined ? `speedup ${m.speedup.toFixed(2)}×` : undefined,
      m.threshold !== undefined ? `threshold ${m.threshold.toFixed(2)}×` : undefined,
      m.seconds !== undefined ? `your time ${m.seconds.toFixed(3)} s` : undefined,
      m.referenceSeconds !== undefined ? `reference ${m.referenceSeconds.toFixed(3)} s` : undefined,
      m.spread !== undefined ? `spread ${(m.spread * 100).toFixed(0)}%` : undefined,
      m.pairs !== undefined ? `${m.pairs} pairs` : undefined,
      m.workers !== undefined ? `${m.workers} workers` : undefined,
      m.cores !== undefined ? `${m.cores} cores` : undefined,
    ].filter((part) => part !== undefined);
    if (parts.length > 0) lines.push(parts.join(", "));
  }
  return lines.join("\n");
}

/**
 * The machine a result was measured on, as one phrase.
 *
 * @param machine The machine.
 * @returns `2 cores, Deno 2.9.6, linux x86_64, load 0.40` (the load where it was recorded).
 *
 * @example Usage
 * ```ts
 * import { machineText } from "./gradescope.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(machineText({ cores: 2, deno: "2.9.6", platform: "linux" }), "2 cores, Deno 2.9.6, linux");
 * ```
 */
export function machineText(machine: Machine): string {
  const load = machine.load === undefined ? "" : `, load ${machine.load.toFixed(2)}`;
  return `${machine.cores} cores, Deno ${machine.deno}, ${machine.platform}${load}`;
}

function summary(row: StudentResult): string {
  const lines = [`${escapeId(row.student)}: ${row.score} / ${row.maxScore} points`];
  for (const result of row.exercises) lines.push(exerciseLine(result));
  for (const result of row.exercises) {
    if (result.output) {
      lines.push("", `Output of ${result.exercise} (capped):`, escapeControl(result.output));
    }
  }
  return lines.join("\n");
}

function exerciseLine(result: ExerciseResult): string {
  const thresholds = result.checks.flatMap((check) =>
    check.measurements?.threshold === undefined
      ? []
      : [`${check.name} ≥ ${check.measurements.threshold.toFixed(2)}×`]
  );
  const used = thresholds.length > 0 ? `; thresholds: ${thresholds.join(", ")}` : "";
  return `${result.exercise}: ${result.status}, ${result.score} / ${result.maxScore} ` +
    `(checked ${result.checkedAt} on ${machineText(result.machine)}${used})`;
}
