/**
 * The class report's failing checks grouped by check and by why they did not pass, read from the
 * result data (the status; the measured speedup against the impossible bound and the threshold; the
 * CPU time's share of the serial reference's), never from a message's words. `_html_failures.ts`
 * renders them.
 *
 * @module
 */
import type { CheckResult, CheckStatus, ExerciseResult, Gradebook } from "../result.ts";
import { IMPOSSIBLE_SPEEDUP_PER_CORE, notRunReason } from "./_class_stats.ts";

/**
 * Timed calls that used less than this share of the serial reference's CPU time did not do the
 * work (a formula, a remembered answer, a sleep): the checks fail them as such (`MIN_WORK_SHARE`
 * in `grader/checks/_evidence.ts`).
 */
export const WORK_NOT_DONE_SHARE = 0.5;

/**
 * Why a check that ran did not pass. For a `failed` check, the first that holds of: `impossible`
 * (its speedup is above {@linkcode IMPOSSIBLE_SPEEDUP_PER_CORE} × its cores: the work was
 * skipped), `not-done` (its calls used under {@linkcode WORK_NOT_DONE_SHARE} of the reference's
 * CPU time), `below-threshold` (its speedup is under its threshold), else `failed` (a wrong
 * answer, a rule broken: the message says). The other statuses: `inconclusive`, `error`, and
 * `crashed` for a crash, a timeout or running out of memory.
 */
export type FailureKind =
  | "impossible"
  | "not-done"
  | "below-threshold"
  | "inconclusive"
  | "error"
  | "crashed"
  | "failed";

/** The words of each {@linkcode FailureKind}, as the report's "why" column starts. */
export const FAILURE_KIND_TEXT: Readonly<Record<FailureKind, string>> = {
  impossible: "impossible: faster than the machine allows",
  "not-done": "the work was not done: too little CPU time",
  "below-threshold": "below the threshold",
  inconclusive: "inconclusive: could not be decided",
  error: "error",
  crashed: "crashed or timed out",
  failed: "other failure (see the message)",
};

/** The status colour each kind is shown in. */
/** The status each kind of failure is shown with. */
export const KIND_STATUS: Readonly<Record<FailureKind, CheckStatus>> = {
  impossible: "failed",
  "not-done": "failed",
  "below-threshold": "failed",
  inconclusive: "inconclusive",
  error: "error",
  crashed: "crashed",
  failed: "failed",
};

/**
 * Why a check that ran did not pass ({@linkcode FailureKind}), from its status and measurements.
 *
 * @param check The check.
 * @param result The exercise it belongs to (its machine's cores, its other checks).
 * @returns The kind, or `undefined` when the check passed, was skipped or did not run
 * (`notRunReason`: a missing file, an earlier check that had to pass first).
 *
 * @example Usage
 * ```ts
 * import { failureKind } from "./_failure_groups.ts";
 * import { fakeCheck, fakeExercise, fakeSpeedupCheck } from "./_fake_results.ts";
 * import { equal } from "node:assert/strict";
 *
 * const kind = (check: ReturnType<typeof fakeCheck>) => failureKind(check, fakeExercise("02_x", [check]));
 * equal(kind({ ...fakeSpeedupCheck(315), status: "failed" }), "impossible");
 * equal(kind(fakeSpeedupCheck(1.1)), "below-threshold");
 * equal(kind(fakeCheck("exact", "timeout")), "crashed");
 * equal(kind(fakeCheck("exact", "failed")), "failed");
 * ```
 */
export function failureKind(check: CheckResult, result: ExerciseResult): FailureKind | undefined {
  if (check.status === "passed" || check.status === "skipped") return undefined;
  if (notRunReason(check, result) !== undefined) return undefined;
  if (check.status === "failed") return failedKind(check, result);
  if (check.status === "inconclusive" || check.status === "error") return check.status;
  return "crashed";
}

/** The speedup above which a check's result is impossible on its cores. */
function impossibleBound(check: CheckResult, result: ExerciseResult): number {
  return IMPOSSIBLE_SPEEDUP_PER_CORE * (check.measurements?.cores ?? result.machine.cores);
}

/** Why a `failed` check failed, in the order the speedup verdict decides. */
function failedKind(check: CheckResult, result: ExerciseResult): FailureKind {
  const m = check.measurements ?? {};
  // The verdict fails as impossible when the interval's lower bound is above the bound.
  const fastest = m.speedupLow ?? m.speedup;
  if (fastest !== undefined && fastest > impossibleBound(check, result)) return "impossible";
  if (m.workShare !== undefined && m.workShare < WORK_NOT_DONE_SHARE) return "not-done";
  if (m.speedup !== undefined && m.threshold !== undefined && m.speedup < m.threshold) {
    return "below-threshold";
  }
  return "failed";
}

/** The students whose one check did not pass for one reason. */
export interface FailureGroup {
  /** The exercise's folder name. */
  exercise: string;
  /** The check's name. */
  check: string;
  /** Why it did not pass. */
  kind: FailureKind;
  /** The students, in the gradebook's order. */
  students: string[];
  /** How many ended in each status (a `crashed` group may mix crashes and timeouts). */
  statuses: Partial<Record<CheckStatus, number>>;
  /** The speedups measured, one per student who has one. */
  speedups: number[];
  /** The thresholds the speedups were held to. */
  thresholds: number[];
  /** The impossible bounds the speedups were held to. */
  bounds: number[];
  /** The CPU time's shares of the reference's, one per student who has one. */
  workShares: number[];
  /** The first student's message, as a representative one. */
  message: string;
}

/**
 * The checks that ran and did not pass, grouped by exercise, check and {@linkcode FailureKind},
 * the most common first (ties in the order they first appear).
 *
 * @param gradebook The gradebook.
 * @returns The groups.
 *
 * @example Usage
 * ```ts
 * import { failureGroups } from "./_failure_groups.ts";
 * import { fakeMixedGradebook } from "./_fake_results.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * // Two at 1.9× passed; cyd's 315× and eve's 1.1× failed the same check for different reasons.
 * const groups = failureGroups(fakeMixedGradebook())
 *   .filter((group) => group.check === "parallelSum: faster than the serial sum");
 * deepEqual(groups.map((group) => [group.kind, group.students]), [
 *   ["impossible", ["cyd"]],
 *   ["below-threshold", ["eve <i>\u202e"]],
 * ]);
 * ```
 */
export function failureGroups(gradebook: Gradebook): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const row of gradebook.students) {
    for (const result of row.exercises) {
      for (const check of result.checks) {
        const kind = failureKind(check, result);
        if (kind === undefined) continue;
        const key = `${result.exercise}\u0000${check.name}\u0000${kind}`;
        const group = groups.get(key) ?? {
          exercise: result.exercise,
          check: check.name,
          kind,
          students: [],
          statuses: {},
          speedups: [],
          thresholds: [],
          bounds: [],
          workShares: [],
          message: check.message,
        };
        const m = check.measurements ?? {};
        group.students.push(row.student);
        group.statuses[check.status] = (group.statuses[check.status] ?? 0) + 1;
        if (m.speedup !== undefined) group.speedups.push(m.speedup);
        if (m.threshold !== undefined) group.thresholds.push(m.threshold);
        if (m.speedup !== undefined) group.bounds.push(impossibleBound(check, result));
        if (m.workShare !== undefined) group.workShares.push(m.workShare);
        groups.set(key, group);
      }
    }
  }
  return [...groups.values()].sort((a, b) => b.students.length - a.students.length);
}

/** `3×`, `1.10×`, `40.5×`, `315×`: a speedup as the report prints it. */
