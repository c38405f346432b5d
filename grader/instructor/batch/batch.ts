/**
 * Batch grading: `deno task grade DIR [--out OUT]` grades every submission folder in DIR (both
 * layouts of the contract: `DIR/alice/01_guess_run_times/...` or a copy of the kit,
 * `DIR/alice/exercises/01_guess_run_times/...`) and writes into OUT `gradebook.csv`,
 * `gradebook.json`, `report.html` and, per student, `OUT/<student>/results.json` in Gradescope's
 * format.
 *
 * Each submission is first ingested into a private copy (`sandbox/ingest.ts`: only the catalog's
 * files, no link followed, size caps) and graded from it alone. Correctness runs share the machine
 * (one lane on a machine of at most 2 cores); timed runs take it whole, so a speedup is never
 * measured beside another grading job; each submission has a wall budget over the whole batch.
 * Each student's results are saved whole as soon as they are known, so an interrupted batch resumes
 * where it stopped; a submission whose student files changed since is regraded, `--force`
 * regrades everyone, and `--retime` times the inconclusive timings again.
 *
 * This file is the face and the two entries (`gradeBatch`, `gradeMain`); its parts are
 * `_submissions.ts` (finding and refusing folders), `_saved.ts` (fingerprints and resume),
 * `_student.ts` (one student's two phases), `_rows.ts`, `_gradebook_files.ts`, `_grade_args.ts`
 * and `_summary.ts`.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { CatalogError, loadCatalog } from "../../catalog.ts";
import { batchProgress } from "./_progress.ts";
import { runnerGrader } from "./_runner.ts";
import { machine } from "../../runner.ts";
import { usableCores } from "../../measure/timing.ts";
import { allowedCpus } from "../../sandbox/cpu_sets.ts";
import { Lanes } from "./_lanes.ts";
import { escapeId } from "../../report/_escape.ts";
import { GradebookSchema, RESULT_VERSION, type StudentResult } from "../../result.ts";
import type { BatchTiming } from "../../report/html.ts";
import { KIT_ROOT } from "../../_kit_root.ts";
import type { BatchSummary, GradeBatchOptions } from "./_types.ts";
import { EXIT } from "../../_exit.ts";
import { BatchInputError, checkSubmissions, compareIds, findSubmissions } from "./_submissions.ts";
import { type IngestCaps, resumeState } from "./_saved.ts";
import { gradeStudent, type StudentRun } from "./_student.ts";
import { isInconclusive } from "./_rows.ts";
import { writeGradebookFiles } from "./_gradebook_files.ts";
import { parseGradeArgs } from "./_grade_args.ts";
import { printSummary } from "./_summary.ts";

export type {
  BatchEvent,
  BatchSummary,
  ExerciseGrader,
  GradeBatchOptions,
  Submission,
} from "./_types.ts";
export { BatchInputError, findSubmissions } from "./_submissions.ts";
export { SAVED_FILE, submissionFingerprint } from "./_saved.ts";
export { OUT_FILES } from "./_gradebook_files.ts";

/** The batch's defaults. */
export const BATCH_DEFAULTS = {
  /** One submission's wall budget over the whole batch: ten honest submissions' worth of time. */
  budgetSeconds: 300,
} as const;

/**
 * How many correctness runs share the machine by default: one on a machine of at most 2 cores (a
 * submission that spins many threads then slows only itself), else one per two cores.
 *
 * @param cores The usable cores.
 * @returns The number of correctness lanes.
 *
 * @example Usage
 * ```ts
 * import { defaultJobs } from "./batch.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(defaultJobs(2), 1);
 * equal(defaultJobs(8), 4);
 * ```
 */
export function defaultJobs(cores: number): number {
  return cores <= 2 ? 1 : Math.floor(cores / 2);
}

/**
 * Grades every submission folder in DIR and writes the gradebook, the class report and each
 * student's Gradescope results into OUT.
 *
 * @param dir The folder of submissions.
 * @param options Where to write, whether to regrade, how many correctness runs at once.
 * @returns The gradebook, how the time was spent, and the grader's failures.
 * @throws {BatchInputError} If DIR cannot be read or holds no submission folder.
 * @throws {DOMException} An `AbortError` when the signal stops the batch (saved students stay).
 *
 * @example Usage
 * ```ts
 * import { BatchInputError, gradeBatch } from "./batch.ts";
 * import { rejects } from "node:assert/strict";
 *
 * await rejects(gradeBatch("/no/such/folder"), BatchInputError);
 * ```
 */
export async function gradeBatch(
  dir: string,
  options: GradeBatchOptions = {},
): Promise<BatchSummary> {
  const started = performance.now();
  const out = options.out ?? join(dir, "..", "gradebook");
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onEvent ?? (() => {});
  const { jobs, budgetSeconds } = await checkedLimits(options);
  const catalog = await loadCatalog(kitRoot);
  const submissions = (await findSubmissions(dir))
    .filter((submission) => resolve(submission.dir) !== resolve(out));
  checkSubmissions(submissions, dir);
  // A student folder that is a link may lead neither into the kit nor to a classmate's folder.
  const caps: IngestCaps = { ...options, notInto: [kitRoot, dir] };
  const lanes = new Lanes(jobs, await allowedCpus());
  const rows = new Map<string, StudentResult>();
  const graderFailures: string[] = [];
  const { reused, pending } = await resumeState(catalog, submissions, out, {
    caps,
    force: options.force,
    retime: options.retime,
  });
  for (const row of reused) {
    rows.set(row.student, row);
    emit({ kind: "reused", row });
  }
  emit({ kind: "start", total: submissions.length, reused: rows.size });

  const run: StudentRun = {
    catalog,
    grader: options.grader ?? runnerGrader({ ...options, kitRoot }),
    lanes,
    caps,
    out,
    budgetSeconds,
    retime: options.retime ?? false,
    signal,
    emit,
  };
  let done = rows.size;
  const queue = [...pending];
  async function loop(): Promise<void> {
    for (let item = queue.shift(); item && !signal.aborted; item = queue.shift()) {
      const begin = performance.now();
      const { row, failed } = await gradeStudent(run, item.submission, item.saved);
      rows.set(item.submission.student, row);
      if (failed) graderFailures.push(row.student);
      emit({
        kind: "graded",
        row,
        done: ++done,
        total: submissions.length,
        seconds: (performance.now() - begin) / 1000,
      });
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, queue.length)) }, loop));
  signal.throwIfAborted();

  const gradebook = GradebookSchema.parse({
    version: RESULT_VERSION,
    gradedAt: new Date().toISOString(),
    machine: machine(await usableCores()),
    students: [...rows.values()].sort((a, b) => compareIds(a.student, b.student)),
  });
  const timing = batchTiming(started, lanes, pending.length, submissions.length);
  const inconclusive = gradebook.students
    .filter((row) => row.exercises.some(isInconclusive))
    .map((row) => row.student);
  const exercises = catalog.exercises.map((entry) => entry.slug);
  await writeGradebookFiles(out, gradebook, { exercises, timing, graderFailures, inconclusive });
  return { gradebook, timing, out, graderFailures, inconclusive };
}

/** The batch's jobs and budget, defaulted and checked. */
async function checkedLimits(
  options: GradeBatchOptions,
): Promise<{ jobs: number; budgetSeconds: number }> {
  const jobs = options.jobs ?? defaultJobs(await usableCores());
  const budgetSeconds = options.budgetSeconds ?? BATCH_DEFAULTS.budgetSeconds;
  if (!(Number.isFinite(budgetSeconds) && budgetSeconds > 0)) {
    throw new BatchInputError(
      `Cannot grade: budgetSeconds must be a positive number: received ${budgetSeconds}`,
    );
  }
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new BatchInputError(`Cannot grade: jobs must be a positive integer: received ${jobs}`);
  }
  return { jobs, budgetSeconds };
}

/** How the batch's time was spent: in all, in each phase's lanes, and the rest. */
function batchTiming(started: number, lanes: Lanes, graded: number, total: number): BatchTiming {
  const totalSeconds = (performance.now() - started) / 1000;
  const correctnessSeconds = lanes.correctnessMs / 1000;
  const timedSeconds = lanes.timedMs / 1000;
  return {
    totalSeconds,
    correctnessSeconds,
    timedSeconds,
    overheadSeconds: Math.max(0, totalSeconds - correctnessSeconds - timedSeconds),
    graded,
    reused: total - graded,
  };
}

/** Exit codes of `deno task grade` (CONTRACT.md). */
export const GRADE_EXIT = {
  ok: EXIT.passed,
  usage: EXIT.usage,
  graderFailed: EXIT.internal,
  interrupted: EXIT.interrupted,
} as const;

/**
 * The `grade` command: parses its arguments, grades, prints the summary.
 *
 * @param args The command-line arguments.
 * @returns The exit code (CONTRACT.md): 0 every submission got its row, 2 bad usage, 3 the grader
 * failed, 130 interrupted (saved students are kept; rerun to resume).
 *
 * @example Usage
 * ```ts
 * import { gradeMain } from "./batch.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(await gradeMain(["--jobs", "0", "submissions"]), 2);
 * ```
 */
export async function gradeMain(args: string[]): Promise<number> {
  const parsed = parseGradeArgs(args);
  if (parsed === "help") return GRADE_EXIT.ok;
  if (parsed === "usage") return GRADE_EXIT.usage;
  const controller = new AbortController();
  const onSignal = () => controller.abort(new DOMException("Interrupted", "AbortError"));
  Deno.addSignalListener("SIGINT", onSignal);
  const progress = batchProgress();
  try {
    const summary = await gradeBatch(parsed.dir, {
      ...parsed.options,
      onEvent: (event) => progress.onEvent(event),
      signal: controller.signal,
    });
    progress.stop();
    printSummary(summary);
    if (summary.graderFailures.length > 0) {
      console.error(
        `error: the grader itself failed on ${summary.graderFailures.length} submission(s) ` +
          `(${summary.graderFailures.map(escapeId).join(", ")}): their rows say so; rerun ` +
          `the same command to ` +
          `retry them`,
      );
      return GRADE_EXIT.graderFailed;
    }
    return GRADE_EXIT.ok;
  } catch (error) {
    progress.stop();
    if (controller.signal.aborted) {
      console.error(
        "interrupted: the students graded so far are saved; rerun the same command to resume",
      );
      return GRADE_EXIT.interrupted;
    }
    if (error instanceof BatchInputError || error instanceof CatalogError) {
      console.error(`error: ${error.message}`);
      return GRADE_EXIT.usage;
    }
    console.error(`error: the grader failed: ${(error as Error)?.stack ?? error}`);
    return GRADE_EXIT.graderFailed;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}
