/**
 * The batch's {@linkcode ExerciseGrader} on the runner: correctness is `checkExercise` with timed
 * checks off; the timed phase runs only the timed checks (`previous`: every other check's result is
 * the correctness phase's), alone on the machine, when a timed check's prerequisites passed. When
 * none did, nothing is timed and the timed checks fail as the runner would fail them.
 * With `sweep`, a sweepable exercise also gets its scaling sweep in the timed phase.
 *
 * @module
 */
import type { ExerciseGrader, Submission } from "./_types.ts";
import type { CatalogEntry } from "../../catalog.ts";
import { checkExercise, CHECKS_BY_SLUG, openTimedSandbox } from "../../runner.ts";
import { type CheckResult, type ExerciseResult, exerciseStatus } from "../../result.ts";
import { type Sandbox, SandboxFailure } from "../../sandbox/sandbox.ts";
import { SweepAnswerError, withSweep } from "../../measure/sweep_exercise.ts";

/** Limits of the batch's sandbox runs. */
export interface RunnerGraderOptions {
  /** The kit's root folder. */
  kitRoot: string;
  /** Wall-time limit of one sandbox call, in milliseconds; the runner's default when absent. */
  timeoutMs?: number;
  /** Resident memory cap of a sandbox, in MiB; the runner's default when absent. */
  memoryMb?: number;
  /** Add a scaling sweep to each exercise that can be swept (in the timed phase). */
  sweep?: boolean;
  /** The cores to assume (Gradescope's CPU setting); default what the process can use. */
  cores?: number;
  /** The largest student file taken, in bytes (ingestion); the runner's default when absent. */
  fileBytes?: number;
  /** The most bytes taken from a submission (ingestion); the runner's default when absent. */
  submissionBytes?: number;
}

/**
 * Makes the batch's grader on the runner.
 *
 * @param options The kit and the sandbox limits.
 * @returns The grader.
 *
 * @example Usage
 * ```ts ignore
 * import { runnerGrader } from "./_runner.ts";
 * const grader = runnerGrader({ kitRoot: ".", timeoutMs: 2_000 });
 * const result = await grader.correctness(entry, submission, new AbortController().signal);
 * ```
 */
export function runnerGrader(options: RunnerGraderOptions): ExerciseGrader {
  const limits = {
    kitRoot: options.kitRoot,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.memoryMb === undefined ? {} : { memoryMb: options.memoryMb }),
    ...(options.cores === undefined ? {} : { cores: options.cores }),
    ...(options.fileBytes === undefined ? {} : { fileBytes: options.fileBytes }),
    ...(options.submissionBytes === undefined ? {} : { submissionBytes: options.submissionBytes }),
  };
  // One seed per student and exercise, so the timed rerun draws the same inputs.
  const seeds = new Map<string, number>();
  const seedOf = (entry: CatalogEntry, submission: Submission) => {
    const key = `${submission.student}\u0000${entry.slug}`;
    if (!seeds.has(key)) seeds.set(key, Math.floor(Math.random() * 1_000_000));
    return seeds.get(key)!;
  };
  // The timed checks' sandboxes, opened when each exercise's correctness run starts (their
  // start-up waits overlap it), by student, then exercise; taken by the timed run or closed.
  const prepared = new Map<string, Map<string, Promise<Sandbox | undefined>>>();
  const take = (entry: CatalogEntry, submission: Submission) => {
    const mine = prepared.get(submission.student);
    const sandbox = mine?.get(entry.slug);
    mine?.delete(entry.slug);
    return sandbox;
  };
  return {
    async correctness(entry, submission, signal, cpus) {
      const result = await checkExercise(entry, {
        ...(cpus ? { cpus } : {}),
        ...limits,
        source: { kind: "submission", dir: submission.exercisesDir },
        ...(submission.problems ? { problems: submission.problems } : {}),
        timed: false,
        seed: seedOf(entry, submission),
        signal,
      });
      // When its timed checks will run, their sandbox opens now, still in the correctness lane
      // (beside the student's other exercises), and is warm and quiet before the timed lane starts.
      if (runnable(entry, result)) {
        const opening = openTimedSandbox(entry, {
          ...limits,
          source: { kind: "submission", dir: submission.exercisesDir },
          signal,
        });
        if (!prepared.has(submission.student)) prepared.set(submission.student, new Map());
        prepared.get(submission.student)!.set(entry.slug, opening);
        await opening.catch(() => {});
      }
      return result;
    },
    async release(submission) {
      const left = [...(prepared.get(submission.student)?.values() ?? [])];
      prepared.delete(submission.student);
      await Promise.all(left.map((opening) => opening.then((s) => s?.close(), () => {})));
    },
    async timed(entry, submission, correctness, signal) {
      const result = await timedResult(entry, submission, correctness, signal);
      if (!options.sweep || !result) return result;
      try {
        return await withSweep(entry, result, {
          kitRoot: options.kitRoot,
          source: { kind: "submission", dir: submission.exercisesDir },
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          ...(options.cores === undefined ? {} : { cores: options.cores }),
          signal,
        });
      } catch (error) {
        // A sweep only illustrates: a student's code that fails during it keeps its graded result.
        if (error instanceof SweepAnswerError || error instanceof SandboxFailure) return result;
        throw error;
      }
    },
  };

  async function timedResult(
    entry: CatalogEntry,
    submission: Submission,
    correctness: ExerciseResult,
    signal: AbortSignal,
  ): Promise<ExerciseResult | undefined> {
    const specs = (CHECKS_BY_SLUG[entry.slug] ?? []).filter((spec) => spec.timed);
    if (specs.length === 0) return undefined;
    const passed = (name: string) =>
      correctness.checks.some((check) => check.name === name && check.status === "passed");
    const ahead = take(entry, submission);
    if (runnable(entry, correctness)) {
      return await checkExercise(entry, {
        ...limits,
        ...(ahead ? { timedSandbox: ahead } : {}),
        source: { kind: "submission", dir: submission.exercisesDir },
        ...(submission.problems ? { problems: submission.problems } : {}),
        timed: true,
        previous: correctness,
        seed: seedOf(entry, submission),
        signal,
      });
    }
    await ahead?.then((unused) => unused?.close(), () => {});
    const checks = correctness.checks.map((check): CheckResult => {
      const spec = specs.find((candidate) => candidate.name === check.name);
      if (!spec || check.status !== "skipped") return check;
      const missing = (spec.requires ?? []).find((name) => !passed(name));
      return {
        ...check,
        status: "failed",
        message: `Not run: "${missing}" must pass first (nothing is timed until it is right)`,
        score: 0,
        maxScore: spec.points,
      };
    });
    return rescore(correctness, checks);
  }
}

/** Whether some timed check of the exercise will run: every check it `requires` passed. */
function runnable(entry: CatalogEntry, correctness: ExerciseResult): boolean {
  const passed = (name: string) =>
    correctness.checks.some((check) => check.name === name && check.status === "passed");
  return (CHECKS_BY_SLUG[entry.slug] ?? []).some((spec) =>
    spec.timed && (spec.requires ?? []).every(passed)
  );
}

function rescore(result: ExerciseResult, checks: CheckResult[]): ExerciseResult {
  return {
    ...result,
    checks,
    status: exerciseStatus(checks),
    score: checks.reduce((sum, check) => sum + check.score, 0),
    maxScore: checks.reduce((sum, check) => sum + check.maxScore, 0),
  };
}
