/**
 * Class-wide summaries of a gradebook for the HTML report: pass rates, speedups, slowest runs and
 * the checks that did not run (the failing checks' groups are `_html_failures.ts`). Pure functions
 * of the result data; they count, they never judge.
 *
 * @module
 */
import {
  type CheckResult,
  type CheckStatus,
  type ExerciseResult,
  FAILING_STATUSES,
  type Gradebook,
} from "../result.ts";

/**
 * A speedup above this many times the cores is impossible: the work was skipped (the speedup
 * checks fail it as such: `decideSpeedup` in `grader/checks/_speedup_verdict.ts`). The class chart's axis
 * ends there.
 */
export const IMPOSSIBLE_SPEEDUP_PER_CORE = 1.5;

/** How many students' results ended in each status, for one exercise or one check. */
export interface Rate {
  /** The exercise's folder name. */
  exercise: string;
  /** The check's name; absent for a whole exercise. */
  check?: string;
  /** How many results there were. */
  total: number;
  /** How many passed. */
  passed: number;
  /** How many ended in each status. */
  statuses: Partial<Record<CheckStatus | "inconclusive", number>>;
}

/** The speedups the class reached on one timed check. */
export interface SpeedupSeries {
  /** The exercise's folder name. */
  exercise: string;
  /** The check's name. */
  check: string;
  /** One point per student who has a measured speedup on the check. */
  points: {
    student: string;
    speedup: number;
    threshold?: number;
    cores?: number;
    status: CheckStatus;
  }[];
}

/** One exercise run of one student, for the slowest list. */
export interface SlowRun {
  student: string;
  exercise: string;
  seconds: number;
  status: string;
}

/** Pass rate per exercise, in the order exercises first appear. */
export function exerciseRates(gradebook: Gradebook): Rate[] {
  const rates = new Map<string, Rate>();
  for (const row of gradebook.students) {
    for (const result of row.exercises) {
      const rate = rates.get(result.exercise) ??
        { exercise: result.exercise, total: 0, passed: 0, statuses: {} };
      rate.total++;
      if (result.status === "passed") rate.passed++;
      rate.statuses[result.status] = (rate.statuses[result.status] ?? 0) + 1;
      rates.set(result.exercise, rate);
    }
  }
  return [...rates.values()];
}

/** Pass rate per check, exercises then checks in the order they first appear. */
export function checkRates(gradebook: Gradebook): Rate[] {
  const rates = new Map<string, Rate>();
  for (const row of gradebook.students) {
    for (const result of row.exercises) {
      for (const check of result.checks) {
        const key = `${result.exercise}\u0000${check.name}`;
        const rate = rates.get(key) ??
          { exercise: result.exercise, check: check.name, total: 0, passed: 0, statuses: {} };
        rate.total++;
        if (check.status === "passed") rate.passed++;
        rate.statuses[check.status] = (rate.statuses[check.status] ?? 0) + 1;
        rates.set(key, rate);
      }
    }
  }
  return [...rates.values()];
}

/** Every measured speedup, one series per timed check. */
export function speedupSeries(gradebook: Gradebook): SpeedupSeries[] {
  const series = new Map<string, SpeedupSeries>();
  for (const row of gradebook.students) {
    for (const result of row.exercises) {
      for (const check of result.checks) {
        const speedup = check.measurements?.speedup;
        if (speedup === undefined) continue;
        const key = `${result.exercise}\u0000${check.name}`;
        const entry = series.get(key) ??
          { exercise: result.exercise, check: check.name, points: [] };
        entry.points.push({
          student: row.student,
          speedup,
          threshold: check.measurements?.threshold,
          cores: check.measurements?.cores,
          status: check.status,
        });
        series.set(key, entry);
      }
    }
  }
  return [...series.values()];
}

/** The `limit` slowest exercise runs, slowest first. */
export function slowestRuns(gradebook: Gradebook, limit: number): SlowRun[] {
  return gradebook.students
    .flatMap((row) =>
      row.exercises.map((result) => ({
        student: row.student,
        exercise: result.exercise,
        seconds: result.seconds,
        status: result.status,
      }))
    )
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, limit);
}

/** The message of a check whose student file is missing or could not be loaded (sandbox.ts). */
const MISSING_FILE = /^(\S+) is missing or could not be loaded\b/;
/** The runner's message for a check whose earlier checks did not pass (runner.ts). */
const NOT_RUN = /^Not run: /;

/**
 * Why a check did not run, or `undefined` when it ran: its file is missing (`parallel_sum.ts is
 * missing`), or an earlier check had to pass first; when that earlier check's file is missing,
 * the reason is that file, the root cause.
 *
 * @param check The check.
 * @param result The exercise it belongs to.
 * @returns The reason, in a few words.
 *
 * @example Usage
 * ```ts
 * import { notRunReason } from "./_class_stats.ts";
 * import { fakeCheck, fakeExercise } from "./_fake_results.ts";
 * import { equal } from "node:assert/strict";
 *
 * const missing = fakeCheck("exact", "error", {
 *   message: "a.ts is missing or could not be loaded (Module not found)",
 * });
 * const after = fakeCheck("fast", "failed", { message: 'Not run: "exact" must pass first' });
 * const result = fakeExercise("02_x", [missing, after]);
 * equal(notRunReason(after, result), "a.ts is missing");
 * equal(notRunReason(fakeCheck("exact", "failed"), result), undefined);
 * ```
 */
export function notRunReason(check: CheckResult, result: ExerciseResult): string | undefined {
  if (!FAILING_STATUSES.has(check.status)) return undefined;
  const own = MISSING_FILE.exec(check.message);
  if (own) return `${own[1]} is missing`;
  if (!NOT_RUN.test(check.message)) return undefined;
  // The check it waited for: when that one's file is missing, so is this one's.
  const first = /^Not run: "([^"]+)"/.exec(check.message)?.[1];
  const earlier = result.checks.find((other) => other.name === first && other !== check);
  const cause = earlier && MISSING_FILE.exec(earlier.message);
  if (cause) return `${cause[1]} is missing`;
  return check.message.replace(NOT_RUN, "");
}

/** The checks of one exercise that did not run for one reason, and the students concerned. */
export interface NotRunGroup {
  exercise: string;
  reason: string;
  checks: string[];
  students: string[];
}

/** Checks that did not run, grouped by exercise and reason, the most common first. */
export function notRunGroups(gradebook: Gradebook): NotRunGroup[] {
  const groups = new Map<string, NotRunGroup>();
  for (const row of gradebook.students) {
    for (const result of row.exercises) {
      for (const check of result.checks) {
        const reason = notRunReason(check, result);
        if (reason === undefined) continue;
        const key = `${result.exercise}\u0000${reason}`;
        const group = groups.get(key) ??
          { exercise: result.exercise, reason, checks: [], students: [] };
        if (!group.checks.includes(check.name)) group.checks.push(check.name);
        if (!group.students.includes(row.student)) group.students.push(row.student);
        groups.set(key, group);
      }
    }
  }
  return [...groups.values()].sort((a, b) => b.students.length - a.students.length);
}
