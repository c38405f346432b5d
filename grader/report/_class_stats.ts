/**
 * Class-wide summaries of a gradebook for the HTML report: pass rates, speedups, slowest runs and
 * failing checks. Pure functions of the result data; they count, they never judge.
 *
 * @module
 */
import { type CheckStatus, FAILING_STATUSES, type Gradebook } from "../result.ts";

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
  points: { student: string; speedup: number; threshold?: number; status: CheckStatus }[];
}

/** One exercise run of one student, for the slowest list. */
export interface SlowRun {
  student: string;
  exercise: string;
  seconds: number;
  status: string;
}

/** One check that did not pass for one student. */
export interface Failure {
  student: string;
  exercise: string;
  check: string;
  status: CheckStatus;
  message: string;
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

/** Every check that failed or could not run, by exercise, check, then student. */
export function failures(gradebook: Gradebook): Failure[] {
  return gradebook.students.flatMap((row) =>
    row.exercises.flatMap((result) =>
      result.checks
        .filter((check) => FAILING_STATUSES.has(check.status))
        .map((check) => ({
          student: row.student,
          exercise: result.exercise,
          check: check.name,
          status: check.status,
          message: check.message,
        }))
    )
  );
}

/** The students who ended one check in one failing status, and the first student's message. */
export interface FailureGroup {
  exercise: string;
  check: string;
  status: CheckStatus;
  students: string[];
  message: string;
}

/** Failures grouped by exercise, check and status, the most common first. */
export function failureGroups(gradebook: Gradebook): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const failure of failures(gradebook)) {
    const key = `${failure.exercise}\u0000${failure.check}\u0000${failure.status}`;
    const group = groups.get(key) ?? {
      exercise: failure.exercise,
      check: failure.check,
      status: failure.status,
      students: [],
      message: failure.message,
    };
    group.students.push(failure.student);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.students.length - a.students.length);
}
