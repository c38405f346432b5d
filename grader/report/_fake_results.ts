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

/** Exercise 2's four checks as the grader names them, for {@linkcode fakeMixedGradebook}. */
const EX2 = {
  edge: "parallelSum: exact on edge cases",
  random: "parallelSum: exact on random ranges",
  pool: "parallelSum: the work runs on the pool's workers",
  speed: "parallelSum: faster than the serial sum",
} as const;

function ex2(pool: CheckResult, speed: CheckResult, output?: string): ExerciseResult {
  return fakeExercise("02_try_pymp1", [
    fakeCheck(EX2.edge, "passed"),
    fakeCheck(EX2.random, "passed"),
    pool,
    speed,
  ], output === undefined ? {} : { output });
}

function timed(speedup: number, status: CheckResult["status"], message: string): CheckResult {
  return fakeCheck(EX2.speed, status, {
    message,
    measurements: { speedup, threshold: 1.4, workers: 2, cores: 2, seconds: 0.4 / speedup * 1.9 },
  });
}

/**
 * The class of the report's browser test: two students at 1.9×, one closed form at 315× (failed
 * as impossible), one whose parallel_sum.ts is missing, one whose pool ran no task, one who
 * passes everything; odd output (terminal escapes, HTML) and an odd name.
 */
export function fakeMixedGradebook(): Gradebook {
  const guesses = () => fakeExercise("01_guess_run_times", [fakeCheck("guess: serial", "passed")]);
  const missing = "parallel_sum.ts is missing or could not be loaded (Module not found)";
  const notRun = `Not run: "${EX2.edge}" must pass first (nothing is timed until it is right)`;
  const students = [
    fakeStudent("ada", [
      guesses(),
      ex2(fakeCheck(EX2.pool, "passed"), timed(1.9, "passed", "1.90×, threshold 1.4×"), "done\n"),
    ]),
    fakeStudent("ben", [
      fakeExercise("01_guess_run_times", [fakeCheck("guess: serial", "failed")]),
      ex2(fakeCheck(EX2.pool, "passed"), timed(1.9, "passed", "1.90×, threshold 1.4×")),
    ]),
    fakeStudent("cyd", [
      guesses(),
      ex2(
        fakeCheck(EX2.pool, "passed"),
        timed(315, "failed", "315.00× is more than 2 cores can give: the sum was not computed"),
        "\u001b[31mred\u001b[0m <img src=x onerror=alert(1)>\u0000",
      ),
    ]),
    fakeStudent("dee", [
      guesses(),
      fakeExercise("02_try_pymp1", [
        fakeCheck(EX2.edge, "error", { message: missing }),
        fakeCheck(EX2.random, "error", { message: `${missing} (seed 7: check --seed 7)` }),
        fakeCheck(EX2.pool, "failed", { message: notRun }),
        fakeCheck(EX2.speed, "failed", { message: notRun }),
      ]),
    ]),
    fakeStudent("eve <i>\u202e", [
      guesses(),
      ex2(
        fakeCheck(EX2.pool, "failed", {
          message: "The pool ran 0 task(s) and 2 of its 2 workers did nothing: cut [lo, hi)",
        }),
        timed(1.1, "failed", "1.10×, below the threshold 1.4× on 2 cores"),
      ),
    ]),
  ];
  return {
    version: RESULT_VERSION,
    gradedAt: "2026-12-01T09:00:00.000Z",
    machine: FAKE_MACHINE,
    students,
  };
}
