/**
 * Synthetic result data for the reporters' tests: what the runner would return, built by hand so
 * that a reporter's test never runs a check.
 *
 * @module
 */
import {
  type CheckResult,
  type ExerciseResult,
  exerciseStatus,
  type Gradebook,
  type Machine,
  RESULT_VERSION,
  type StudentResult,
} from "../result.ts";

/** The machine every synthetic result was "measured" on. */
export const FAKE_MACHINE: Machine = {
  cores: 2,
  deno: "2.9.6",
  platform: "linux x86_64",
  load: 0.4,
};

/** A check with the given name and status: full marks when it passed, none otherwise. */
export function fakeCheck(
  name: string,
  status: CheckResult["status"],
  extra: Partial<CheckResult> = {},
): CheckResult {
  const maxScore = status === "skipped" ? 0 : 1;
  return {
    name,
    status,
    message: status === "passed" ? "" : `${name}: ${status}`,
    score: status === "passed" ? maxScore : 0,
    maxScore,
    ...extra,
  };
}

/** An exercise result made of the given checks, its score and status computed from them. */
export function fakeExercise(
  exercise: string,
  checks: CheckResult[],
  extra: Partial<ExerciseResult> = {},
): ExerciseResult {
  return {
    version: RESULT_VERSION,
    exercise,
    status: exerciseStatus(checks),
    score: checks.reduce((sum, check) => sum + check.score, 0),
    maxScore: checks.reduce((sum, check) => sum + check.maxScore, 0),
    checks,
    checkedAt: "2026-11-25T00:00:00.000Z",
    seconds: 1.5,
    machine: FAKE_MACHINE,
    ...extra,
  };
}

/** A student's row made of the given exercise results. */
export function fakeStudent(student: string, exercises: ExerciseResult[]): StudentResult {
  return {
    student,
    score: exercises.reduce((sum, result) => sum + result.score, 0),
    maxScore: exercises.reduce((sum, result) => sum + result.maxScore, 0),
    exercises,
  };
}

/** A speedup check measured at `speedup` against `threshold`. */
export function fakeSpeedupCheck(speedup: number, threshold = 1.5): CheckResult {
  return fakeCheck("parallelSum is faster", speedup >= threshold ? "passed" : "failed", {
    measurements: { speedup, threshold, workers: 2, cores: 2, seconds: 0.4, referenceSeconds: 0.8 },
  });
}

/** A small class: one who passes everything, one who fails, one who timed out, an odd name. */
export function fakeGradebook(): Gradebook {
  const students = [
    fakeStudent("alice", [
      fakeExercise("01_guess_run_times", [fakeCheck("guesses", "passed")]),
      fakeExercise("02_try_pymp1", [fakeCheck("exact", "passed"), fakeSpeedupCheck(1.9)]),
    ]),
    fakeStudent("bob", [
      fakeExercise("01_guess_run_times", [fakeCheck("guesses", "failed")]),
      fakeExercise("02_try_pymp1", [fakeCheck("exact", "passed"), fakeSpeedupCheck(1.1)]),
    ]),
    fakeStudent('Zoë <b>&amp; "co", 1', [
      fakeExercise("01_guess_run_times", [fakeCheck("guesses", "passed")]),
      fakeExercise("02_try_pymp1", [
        fakeCheck("exact", "timeout"),
        fakeCheck("speedup", "skipped"),
      ]),
    ]),
  ];
  return {
    version: RESULT_VERSION,
    gradedAt: "2026-11-25T01:00:00.000Z",
    machine: FAKE_MACHINE,
    students,
  };
}
