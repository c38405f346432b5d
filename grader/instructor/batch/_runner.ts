/**
 * The batch's {@linkcode ExerciseGrader} on the runner: correctness is `checkExercise` with timed
 * checks off; the timed phase runs only the timed checks (`previous`: every other check's result is
 * the correctness phase's), alone on the machine, when a timed check's prerequisites passed. When
 * none did, nothing is timed and the timed checks fail as the runner would fail them.
 * With `sweep`, a sweepable exercise also gets its scaling sweep in the timed phase.
 * `prepare` type-checks a student's exercises in one `deno check` (`typeCheckStudent`), whose
 * report each exercise's correctness run takes instead of running its own; each exercise's timed
 * sandbox opens during its correctness run, once its second check starts.
 *
 * @module
 */
import type { ExerciseGrader, Submission } from "./_types.ts";
import type { CatalogEntry } from "../../catalog.ts";
import {
  checkExercise,
  CHECKS_BY_SLUG,
  openTimedSandbox,
  type ProgressEvent,
  sourceDir,
} from "../../runner.ts";
import {
  TYPE_CHECK_NAME,
  type TypeCheckReport,
  typeCheckStudent,
} from "../../sandbox/typecheck.ts";
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
  // Each student's exercises are type-checked in one deno check, started by `prepare`: by
  // student, then exercise, each exercise's report; taken by its correctness run.
  const typeChecks = new Map<string, Map<string, Promise<TypeCheckReport>>>();
  return {
    prepare(entries, submission, signal, cpus) {
      const source = { kind: "submission", dir: submission.exercisesDir } as const;
      const reports = (async () =>
        typeCheckStudent({
          kitRoot: options.kitRoot,
          exercises: await Promise.all(entries.map(async (entry) => ({
            slug: entry.slug,
            sourceDir: await sourceDir(entry, source, options.kitRoot),
            files: entry.files,
          }))),
          signal,
          cpus,
        }))();
      reports.catch(() => {});
      typeChecks.set(
        submission.student,
        new Map(entries.map((entry) => [entry.slug, reports.then((all) => all.get(entry.slug)!)])),
      );
    },
    async correctness(entry, submission, signal, cpus) {
      const typeCheckReport = typeChecks.get(submission.student)?.get(entry.slug);
      typeChecks.get(submission.student)?.delete(entry.slug);
      const source = { kind: "submission", dir: submission.exercisesDir } as const;
      const keep = (opening: Promise<Sandbox | undefined>) => {
        opening.catch(() => {});
        if (!prepared.has(submission.student)) prepared.set(submission.student, new Map());
        prepared.get(submission.student)!.set(entry.slug, opening);
        return opening;
      };
      // The timed checks' sandbox opens during the correctness run, when the exercise has timed
      // checks and all its files: once the run's second check starts (its first sandbox is open,
      // the start's rush of Workers is over), so its own start, mostly waiting for nested
      // Workers, overlaps the run's checks. Kept until `release` if this run throws.
      const ahead = await hasFiles(entry, submission);
      const onProgress = (event: ProgressEvent) => {
        if (!ahead || event.index < 1 || event.check === TYPE_CHECK_NAME) return;
        if (!prepared.get(submission.student)?.has(entry.slug)) {
          keep(openTimedSandbox(entry, { ...limits, source, signal }));
        }
      };
      const result = await checkExercise(entry, {
        onProgress,
        ...(cpus ? { cpus } : {}),
        ...limits,
        ...(typeCheckReport ? { typeCheckReport } : {}),
        source,
        ...(submission.problems ? { problems: submission.problems } : {}),
        timed: false,
        seed: seedOf(entry, submission),
        signal,
      }).catch(async (error) => {
        // A caller that never calls `release` (Gradescope's runner) leaves no sandbox open.
        await take(entry, submission)?.then((unused) => unused?.close(), () => {});
        throw error;
      });
      // When its timed checks will run, their sandbox is (or opens now) still in the correctness
      // lane (beside the student's other exercises), warm and quiet before the timed lane starts;
      // otherwise the one opened ahead is closed unused.
      if (runnable(entry, result)) {
        const opening = prepared.get(submission.student)?.get(entry.slug) ??
          keep(openTimedSandbox(entry, { ...limits, source, signal }));
        await opening.catch(() => {});
      } else {
        await take(entry, submission)?.then((unused) => unused?.close(), () => {});
      }
      return result;
    },
    async release(submission) {
      typeChecks.delete(submission.student);
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

/** Whether the exercise has timed checks and every one of its files is in the submission. */
async function hasFiles(entry: CatalogEntry, submission: Submission): Promise<boolean> {
  if (!(CHECKS_BY_SLUG[entry.slug] ?? []).some((spec) => spec.timed)) return false;
  if (submission.problems?.some((problem) => problem.exercise === entry.slug)) return false;
  const dir = await sourceDir(entry, { kind: "submission", dir: submission.exercisesDir }, ".");
  for (const file of entry.files) {
    // The private copy ingestion made: plain files only.
    const info = await Deno.lstat(`${dir}/${file}`).catch(() => undefined);
    if (!info?.isFile) return false;
  }
  return true;
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
