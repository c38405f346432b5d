/**
 * The batch's rows: a student's row from its exercise results, the row that stands for the
 * grader's own failure on an exercise (so it cannot stop the class's gradebook), and the tests on
 * a result the batch's resume and retime decisions use.
 *
 * @module
 */
import type { CatalogEntry } from "../../catalog.ts";
import { machine } from "../../runner.ts";
import {
  capText,
  type CheckResult,
  type ExerciseResult,
  exerciseStatus,
  RESULT_VERSION,
  type StudentResult,
  TEXT_CAPS,
} from "../../result.ts";

/** The name of the check that stands for the grader's own failure on an exercise. */
const GRADER_CHECK = "the grader could check this exercise";

/**
 * Whether a check of the result could not be decided (the machine was busy while timing).
 *
 * @param result An exercise's result.
 * @returns `true` when one of its checks is `inconclusive`.
 *
 * @example Usage
 * ```ts
 * import { graderFailure, isInconclusive } from "./_rows.ts";
 * import { equal } from "node:assert/strict";
 * import { parseCatalog } from "../../catalog.ts";
 *
 * const entry = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" }],
 * }).exercises[0]!;
 * equal(isInconclusive(graderFailure(entry, new Error("x"))), false);
 * ```
 */
export function isInconclusive(result: ExerciseResult): boolean {
  return result.checks.some((check) => check.status === "inconclusive");
}

/**
 * Whether the result is the row {@linkcode graderFailure} makes (a rerun retries it).
 *
 * @param result An exercise's result.
 * @returns `true` for the grader's own failure.
 *
 * @example Usage
 * ```ts
 * import { graderFailure, isGraderFailure } from "./_rows.ts";
 * import { equal } from "node:assert/strict";
 * import { parseCatalog } from "../../catalog.ts";
 *
 * const entry = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" }],
 * }).exercises[0]!;
 * equal(isGraderFailure(graderFailure(entry, new Error("x"))), true);
 * ```
 */
export function isGraderFailure(result: ExerciseResult): boolean {
  return result.checks.length === 1 && result.checks[0]?.name === GRADER_CHECK;
}

/**
 * The exercise's row when the grader itself failed on it: one crashed check worth nothing, whose
 * message says the student's code is not to blame.
 *
 * @param entry The exercise.
 * @param error What the grader threw.
 * @returns The exercise's result.
 *
 * @example Usage
 * ```ts
 * import { graderFailure } from "./_rows.ts";
 * import { equal, match } from "node:assert/strict";
 * import { parseCatalog } from "../../catalog.ts";
 *
 * const entry = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" }],
 * }).exercises[0]!;
 * const row = graderFailure(entry, new Error("disk full"));
 * equal(row.checks[0]?.status, "crashed");
 * match(row.checks[0]?.message ?? "", /not your code.*disk full/);
 * ```
 */
export function graderFailure(entry: CatalogEntry, error: unknown): ExerciseResult {
  const check: CheckResult = {
    name: GRADER_CHECK,
    status: "crashed",
    message: capText(
      `The grader itself failed, not your code; your instructor will regrade: ${
        error instanceof Error ? error.message : String(error)
      }`,
      TEXT_CAPS.message,
    ),
    score: 0,
    maxScore: 0,
  };
  return {
    version: RESULT_VERSION,
    exercise: entry.slug,
    status: exerciseStatus([check]),
    score: 0,
    maxScore: 0,
    checks: [check],
    checkedAt: new Date().toISOString(),
    seconds: 0,
    machine: machine(navigator.hardwareConcurrency || 1),
  };
}

/**
 * A student's gradebook row: the exercises' results and their sums, the id capped.
 *
 * @param student The student's id.
 * @param exercises The exercises' results, in catalog order.
 * @returns The row.
 *
 * @example Usage
 * ```ts
 * import { studentRow } from "./_rows.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(studentRow("al", []), { student: "al", score: 0, maxScore: 0, exercises: [] });
 * ```
 */
export function studentRow(student: string, exercises: ExerciseResult[]): StudentResult {
  return {
    student: capText(student, TEXT_CAPS.id),
    score: exercises.reduce((sum, result) => sum + result.score, 0),
    maxScore: exercises.reduce((sum, result) => sum + result.maxScore, 0),
    exercises,
  };
}
