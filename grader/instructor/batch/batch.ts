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
 * @module
 */
import { z } from "zod";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Catalog, type CatalogEntry, CatalogError, loadCatalog } from "../../catalog.ts";
import { batchProgress } from "./_progress.ts";
import { runnerGrader } from "./_runner.ts";
import { projectionLine } from "./_projection.ts";
import { machine } from "../../runner.ts";
import { usableCores } from "../../measure/timing.ts";
import { ingestSubmission } from "../../sandbox/ingest.ts";
import { allowedCpus } from "../../sandbox/cpu_sets.ts";
import { Budget, Lanes } from "./_lanes.ts";
import { escapeControl, escapeId } from "../../report/_escape.ts";
import {
  capResult,
  capText,
  type CheckResult,
  type ExerciseResult,
  ExerciseResultSchema,
  exerciseStatus,
  type Gradebook,
  GradebookSchema,
  RESULT_VERSION,
  type StudentResult,
  StudentResultSchema,
  TEXT_CAPS,
} from "../../result.ts";
import { writeJsonWhole, writeWhole } from "../_atomic_write.ts";
import { gradebookCsv } from "../../report/csv.ts";
import { gradescopeResults } from "../../report/gradescope.ts";
import { type BatchTiming, classReportHtml } from "../../report/html.ts";
import { studentSweepFigures } from "../../report/svg.ts";
import { KIT_ROOT } from "../../_kit_root.ts";
import type { BatchEvent, ExerciseGrader, Submission } from "./_types.ts";
import { EXIT } from "../../_exit.ts";

export type { BatchEvent, ExerciseGrader, Submission } from "./_types.ts";

/** Options for {@linkcode gradeBatch}. */
export interface GradeBatchOptions {
  /** Where to write; default `DIR/../gradebook`. */
  out?: string;
  /** Regrade students whose results are saved. Default `false`. */
  force?: boolean;
  /** Correctness runs at once; default the cores the process can use. */
  jobs?: number;
  /** The kit whose catalog, `lib/` and checks grade the submissions; default this kit. */
  kitRoot?: string;
  /** The grader; default the runner's, with the limits below. */
  grader?: ExerciseGrader;
  /** Wall-time limit of one sandbox call, in milliseconds; default the runner's. */
  timeoutMs?: number;
  /** Resident memory cap of one sandbox, in MiB; default the runner's. */
  memoryMb?: number;
  /** Add a scaling sweep to each sweepable exercise (timed, alone) and show it in the report. */
  sweep?: boolean;
  /**
   * The wall time one submission may use over the whole batch (both phases), in seconds; what is
   * left when it runs out ends as `timeout`. Default {@linkcode BATCH_DEFAULTS}.budgetSeconds.
   */
  budgetSeconds?: number;
  /** The largest student file taken, in bytes; default 256 KiB (ingestion). */
  fileBytes?: number;
  /** The most bytes taken from one submission; default 2 MiB (ingestion). */
  submissionBytes?: number;
  /**
   * Time again the exercises whose timing stayed inconclusive. Default `false`: an inconclusive
   * row is kept, so a submission that makes its timing inconclusive is not retimed on every rerun.
   */
  retime?: boolean;
  /** Called as the batch runs. */
  onEvent?: (event: BatchEvent) => void;
  /** Stops the batch: running checks end, finished students stay saved. */
  signal?: AbortSignal;
}

/** What a batch produced. */
export interface BatchSummary {
  /** The gradebook, every student's row. */
  gradebook: Gradebook;
  /** How the time was spent. */
  timing: BatchTiming;
  /** Where the files are. */
  out: string;
  /** Students on whom the grader itself failed (their rows say so; a rerun retries them). */
  graderFailures: string[];
  /** Students with a timing that stayed inconclusive (a rerun with `retime` times only those). */
  inconclusive: string[];
}

/** Raised for a problem with the batch's input (exit code 2). */
export class BatchInputError extends Error {
  /**
   * Makes a batch input error.
   *
   * @param message What is wrong and what to do.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BatchInputError";
  }
}

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

/** The class-wide files written into OUT, beside the student folders. */
export const OUT_FILES: readonly string[] = [
  "gradebook.json",
  "gradebook.csv",
  "report.html",
  "batch.json",
];

/** The file a student's saved results live in, under `OUT/<student>/`. */
export const SAVED_FILE = "student.json";

/** One student's saved state: the submission's fingerprint and the results so far. */
const SavedStudentSchema = z.object({
  /** The result data's version. */
  version: z.literal(RESULT_VERSION),
  /** SHA-256 of the student files the batch took, so a changed submission is regraded. */
  submission: z.string(),
  /** `true` once every phase ran, the grader did not fail and no timing was inconclusive. */
  complete: z.boolean(),
  /** The exercises whose timed phase ran and decided every check (none `inconclusive`). */
  timed: z.array(z.string()).default([]),
  /** The results so far. */
  row: StudentResultSchema,
});
type SavedStudent = z.infer<typeof SavedStudentSchema>;

/**
 * Lists the submission folders of DIR, sorted by student id; hidden folders and plain files are
 * skipped.
 *
 * @param dir The folder of submissions.
 * @returns One submission per folder.
 * @throws {BatchInputError} If DIR is not a readable folder.
 *
 * @example Usage
 * ```ts
 * import { findSubmissions } from "./batch.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/zoë/01_guess_run_times`, { recursive: true });
 * await Deno.mkdir(`${dir}/al/exercises/01_guess_run_times`, { recursive: true });
 * const found = await findSubmissions(dir);
 * deepEqual(found.map((s) => [s.student, s.exercisesDir.slice(dir.length)]), [
 *   ["al", "/al"],
 *   ["zoë", "/zoë"],
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function findSubmissions(dir: string): Promise<Submission[]> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    throw new BatchInputError(
      `Cannot read the submissions folder: ${dir}: give a folder that holds one folder per ` +
        `student (deno task grade DIR)`,
      { cause: error },
    );
  }
  const submissions: Submission[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const folder = join(dir, entry.name);
    // A linked student folder is followed (the instructor made it); links inside never are.
    const isFolder = entry.isDirectory ||
      (entry.isSymlink && await Deno.stat(folder).then((info) => info.isDirectory, () => false));
    if (!isFolder) continue;
    // The layout is decided per exercise when it is graded (the runner's sourceDir), not here.
    submissions.push({ student: entry.name, dir: folder, exercisesDir: folder });
  }
  return submissions.sort((a, b) => compareIds(a.student, b.student));
}

/**
 * A folder name as a case- and form-insensitive disk sees it (macOS and Windows fold case; macOS
 * also Unicode form, `é` as one code point or two): two names with one key may be one folder, and
 * look like one student.
 */
function folderKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A fingerprint of the student files a submission holds for the catalog: SHA-256 over what
 * ingestion takes from it (each file's path and contents) and what it refuses (links, devices,
 * oversized files), so a changed submission is regraded.
 *
 * @param catalog The catalog.
 * @param submission The submission.
 * @param options Ingestion's caps.
 * @returns The hex digest.
 *
 * @example Usage
 * ```ts
 * import { submissionFingerprint } from "./batch.ts";
 * import { parseCatalog } from "../../catalog.ts";
 * import { equal, notEqual } from "node:assert/strict";
 *
 * const catalog = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" }],
 * });
 * const dir = await Deno.makeTempDir();
 * const submission = { student: "s", dir, exercisesDir: dir };
 * const empty = await submissionFingerprint(catalog, submission);
 * await Deno.mkdir(`${dir}/01_a`);
 * await Deno.writeTextFile(`${dir}/01_a/a.ts`, "export {};");
 * notEqual(await submissionFingerprint(catalog, submission), empty);
 * equal(empty.length, 64);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function submissionFingerprint(
  catalog: Catalog,
  submission: Submission,
  options: IngestCaps = {},
): Promise<string> {
  await using copy = await ingest(catalog, submission, options);
  return copy.fingerprint;
}

/**
 * Ingestion's caps, and the folders a linked student folder may not lead into (the batch gives
 * the kit and the folder of submissions).
 */
type IngestCaps = Pick<GradeBatchOptions, "fileBytes" | "submissionBytes"> & {
  notInto?: readonly string[];
};

function ingest(
  catalog: Catalog,
  submission: Submission,
  options: IngestCaps,
) {
  return ingestSubmission(submission.exercisesDir, catalog.exercises, {
    ...(options.notInto === undefined ? {} : { notInto: options.notInto }),
    ...(options.fileBytes === undefined ? {} : { fileBytes: options.fileBytes }),
    ...(options.submissionBytes === undefined ? {} : { submissionBytes: options.submissionBytes }),
  });
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
  const catalog = await loadCatalog(kitRoot);
  const submissions = (await findSubmissions(dir))
    .filter((submission) => resolve(submission.dir) !== resolve(out));
  const clash = submissions.find((submission) =>
    OUT_FILES.some((file) => folderKey(file) === folderKey(submission.student))
  );
  if (clash) {
    throw new BatchInputError(
      `A submission folder is named like a gradebook file: ${escapeId(clash.student)}: rename ` +
        `it, or its results would overwrite the gradebook`,
    );
  }
  const byKey = new Map<string, string>();
  for (const { student } of submissions) {
    const twin = byKey.get(folderKey(student));
    if (twin !== undefined) {
      throw new BatchInputError(
        `Two submission folders differ only in case or Unicode form: ${escapeId(twin)} and ` +
          `${escapeId(student)}: rename one (on a case- or form-insensitive disk their results ` +
          `would share a folder, and in the gradebook they look like one student)`,
      );
    }
    byKey.set(folderKey(student), student);
  }
  if (submissions.length === 0) {
    throw new BatchInputError(
      `No submission folders in ${dir}: put one folder per student in it (DIR/alice/...)`,
    );
  }
  const grader = options.grader ??
    runnerGrader({
      kitRoot,
      timeoutMs: options.timeoutMs,
      memoryMb: options.memoryMb,
      sweep: options.sweep,
      fileBytes: options.fileBytes,
      submissionBytes: options.submissionBytes,
    });
  // A student folder that is a link may lead neither into the kit nor to a classmate's folder.
  const caps: IngestCaps = { ...options, notInto: [kitRoot, dir] };
  const lanes = new Lanes(jobs, await allowedCpus());
  const rows = new Map<string, StudentResult>();
  const graderFailures: string[] = [];
  const pending: { submission: Submission; fingerprint: string; saved?: SavedStudent }[] = [];

  for (const submission of submissions) {
    const fingerprint = await submissionFingerprint(catalog, submission, caps);
    const saved = await readSaved(join(out, submission.student, SAVED_FILE));
    const retime = options.retime && saved?.row.exercises.some(isInconclusive);
    if (!options.force && !retime && saved?.complete && saved.submission === fingerprint) {
      rows.set(submission.student, saved.row);
      emit({ kind: "reused", row: saved.row });
    } else {
      pending.push({
        submission,
        fingerprint,
        saved: saved?.submission === fingerprint && !options.force ? saved : undefined,
      });
    }
  }
  emit({ kind: "start", total: submissions.length, reused: rows.size });

  let done = rows.size;
  const queue = [...pending];
  async function loop(): Promise<void> {
    for (let item = queue.shift(); item && !signal.aborted; item = queue.shift()) {
      const begin = performance.now();
      const { row, failed } = await gradeStudent(item.submission, item.saved);
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

  async function gradeStudent(
    original: Submission,
    saved: SavedStudent | undefined,
  ): Promise<{ row: StudentResult; failed: boolean }> {
    // Ingestion: the grade uses only this private copy of the catalog's student files.
    await using copy = await ingest(catalog, original, caps);
    const fingerprint = copy.fingerprint;
    const submission: Submission = {
      ...original,
      exercisesDir: copy.root,
      problems: copy.problems,
    };
    const budget = new Budget(budgetSeconds);
    const runSignal = AbortSignal.any([signal, budget.signal]);
    const path = join(out, submission.student, SAVED_FILE);
    const inconclusiveSaved = new Set(
      (saved?.row.exercises ?? []).filter(isInconclusive).map((result) => result.exercise),
    );
    const timedDone = new Set(
      (saved?.timed ?? []).filter((slug) => !(options.retime && inconclusiveSaved.has(slug))),
    );
    const save = (row: StudentResult, complete: boolean) =>
      writeJsonWhole(
        path,
        {
          version: RESULT_VERSION,
          submission: fingerprint,
          complete,
          timed: [...timedDone],
          row,
        } satisfies SavedStudent,
      );
    try {
      return await gradePhases(submission, saved, { budget, runSignal, save, timedDone });
    } finally {
      await grader.release?.(submission);
    }
  }

  async function gradePhases(
    submission: Submission,
    saved: SavedStudent | undefined,
    run: {
      budget: Budget;
      runSignal: AbortSignal;
      save: (row: StudentResult, complete: boolean) => Promise<void>;
      timedDone: Set<string>;
    },
  ): Promise<{ row: StudentResult; failed: boolean }> {
    const { budget, runSignal, save, timedDone } = run;
    // Correctness, beside other correctness runs; reuse a saved correctness phase. A submission's
    // exercises run at once in its lane: most of a correctness run is spent waiting for the
    // sandbox's nested Workers to start (SandboxOptions.pools), which overlaps; one student's code
    // is beside only itself, and the budget is charged the phase's wall time once.
    emit({ kind: "student", student: submission.student, phase: "correctness" });
    const results: ExerciseResult[] = await lanes.shared((cpus) =>
      budget.charge(() =>
        Promise.all(catalog.exercises.map((entry) => {
          const previous = saved?.row.exercises.find((result) => result.exercise === entry.slug);
          if (previous && !isGraderFailure(previous)) return previous;
          return guard(entry, () => grader.correctness(entry, submission, runSignal, cpus));
        }))
      )
    );
    signal.throwIfAborted();
    await save(studentRow(submission.student, results), false);
    // Timed checks, alone on the machine; a resumed student times only what was not timed yet.
    emit({ kind: "student", student: submission.student, phase: "timed" });
    for (const [i, entry] of catalog.exercises.entries()) {
      const correctness = results[i]!;
      if (isGraderFailure(correctness) || timedDone.has(entry.slug)) continue;
      const timed = await lanes.exclusive(() =>
        budget.charge(() =>
          guard(entry, () => grader.timed(entry, submission, correctness, runSignal))
        )
      );
      signal.throwIfAborted();
      if (timed) results[i] = timed;
      // An inconclusive timing is kept too (rerun with --retime to time it again): a submission
      // whose calls end just under their limits is not retimed on every rerun of the batch.
      if (!isGraderFailure(results[i]!)) timedDone.add(entry.slug);
    }
    const failed = results.some(isGraderFailure);
    const row = studentRow(submission.student, results);
    await save(row, !failed && timedDone.size === catalog.exercises.length);
    await writeJsonWhole(join(out, submission.student, "results.json"), gradescopeResults(row));
    return { row, failed };
  }

  async function guard<T extends ExerciseResult | undefined>(
    entry: CatalogEntry,
    run: () => Promise<T>,
  ): Promise<T | ExerciseResult> {
    try {
      const result = await run();
      // A result that does not fit the schema (a measurement the student's code made NaN) becomes
      // this exercise's grader-failure row, so that it cannot stop the gradebook of the class.
      const invalid = result && ExerciseResultSchema.safeParse(result).error;
      if (invalid) {
        return graderFailure(
          entry,
          new Error(`its result did not fit the result schema: ${z.prettifyError(invalid)}`),
        );
      }
      // Whatever the grader returns, a row stays small (the gradebook is written whatever the
      // students sent).
      return result && capResult(result);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return graderFailure(entry, error);
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
  const totalSeconds = (performance.now() - started) / 1000;
  const correctnessSeconds = lanes.correctnessMs / 1000;
  const timedSeconds = lanes.timedMs / 1000;
  const timing: BatchTiming = {
    totalSeconds,
    correctnessSeconds,
    timedSeconds,
    overheadSeconds: Math.max(0, totalSeconds - correctnessSeconds - timedSeconds),
    graded: pending.length,
    reused: submissions.length - pending.length,
  };
  const exercises = catalog.exercises.map((entry) => entry.slug);
  await writeJsonWhole(join(out, "gradebook.json"), gradebook);
  await writeWhole(join(out, "gradebook.csv"), gradebookCsv(gradebook, { exercises }));
  await writeWhole(
    join(out, "report.html"),
    await classReportHtml(gradebook, {
      timing,
      studentFigures: await studentSweepFigures(gradebook),
    }),
  );
  const inconclusive = gradebook.students
    .filter((row) => row.exercises.some(isInconclusive))
    .map((row) => row.student);
  await writeJsonWhole(join(out, "batch.json"), { timing, graderFailures, inconclusive });
  return { gradebook, timing, out, graderFailures, inconclusive };
}

async function readSaved(path: string): Promise<SavedStudent | undefined> {
  try {
    return SavedStudentSchema.parse(JSON.parse(await Deno.readTextFile(path)));
  } catch {
    return undefined;
  }
}

/** Whether a check of the result could not be decided (the machine was busy while timing). */
function isInconclusive(result: ExerciseResult): boolean {
  return result.checks.some((check) => check.status === "inconclusive");
}

/** The name of the check that stands for the grader's own failure on an exercise. */
const GRADER_CHECK = "the grader could check this exercise";

function isGraderFailure(result: ExerciseResult): boolean {
  return result.checks.length === 1 && result.checks[0]?.name === GRADER_CHECK;
}

function graderFailure(entry: CatalogEntry, error: unknown): ExerciseResult {
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

function studentRow(student: string, exercises: ExerciseResult[]): StudentResult {
  return {
    student: capText(student, TEXT_CAPS.id),
    score: exercises.reduce((sum, result) => sum + result.score, 0),
    maxScore: exercises.reduce((sum, result) => sum + result.maxScore, 0),
    exercises,
  };
}

/** Exit codes of `deno task grade` (CONTRACT.md). */
export const GRADE_EXIT = {
  ok: EXIT.passed,
  usage: EXIT.usage,
  graderFailed: EXIT.internal,
  interrupted: EXIT.interrupted,
} as const;

const USAGE =
  "deno task grade DIR [--out OUT] [--force] [--retime] [--jobs N] [--timeout SECONDS] " +
  "[--budget SECONDS] [--max-file-kib N] [--max-submission-kib N] [--sweep]";

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
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        force: { type: "boolean", default: false },
        jobs: { type: "string" },
        timeout: { type: "string" },
        budget: { type: "string" },
        "max-file-kib": { type: "string" },
        "max-submission-kib": { type: "string" },
        retime: { type: "boolean", default: false },
        sweep: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`error: ${(error as Error).message}: usage: ${USAGE}`);
    return GRADE_EXIT.usage;
  }
  if (parsed.values.help) {
    console.log(`usage: ${USAGE}`);
    return GRADE_EXIT.ok;
  }
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined || extra.length > 0) {
    console.error(`error: give exactly one folder of submissions: usage: ${USAGE}`);
    return GRADE_EXIT.usage;
  }
  const jobs = parsed.values.jobs === undefined ? undefined : Number(parsed.values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    console.error(`error: --jobs must be a positive integer: received ${parsed.values.jobs}`);
    return GRADE_EXIT.usage;
  }
  const timeout = parsed.values.timeout === undefined ? undefined : Number(parsed.values.timeout);
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    console.error(
      `error: --timeout must be a positive number of seconds: received ${parsed.values.timeout}`,
    );
    return GRADE_EXIT.usage;
  }
  const budget = positiveFlag(parsed.values.budget, "--budget", "a positive number of seconds");
  const fileKib = positiveFlag(
    parsed.values["max-file-kib"],
    "--max-file-kib",
    "a positive integer",
  );
  const submissionKib = positiveFlag(
    parsed.values["max-submission-kib"],
    "--max-submission-kib",
    "a positive integer",
  );
  if (budget === null || fileKib === null || submissionKib === null) return GRADE_EXIT.usage;
  if (
    [fileKib, submissionKib].some((kib) => kib !== undefined && !Number.isInteger(kib))
  ) {
    console.error("error: --max-file-kib and --max-submission-kib must be positive integers");
    return GRADE_EXIT.usage;
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort(new DOMException("Interrupted", "AbortError"));
  Deno.addSignalListener("SIGINT", onSignal);
  const progress = batchProgress();
  try {
    const summary = await gradeBatch(dir, {
      out: parsed.values.out,
      force: parsed.values.force,
      jobs,
      sweep: parsed.values.sweep,
      retime: parsed.values.retime,
      ...(budget === undefined ? {} : { budgetSeconds: budget }),
      ...(fileKib === undefined ? {} : { fileBytes: fileKib * 1024 }),
      ...(submissionKib === undefined ? {} : { submissionBytes: submissionKib * 1024 }),
      ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
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

/** A positive number flag: `undefined` when absent, `null` (after saying why) when wrong. */
function positiveFlag(
  value: string | undefined,
  name: string,
  what: string,
): number | null | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (Number.isFinite(number) && number > 0) return number;
  console.error(`error: ${name} must be ${what}: received ${escapeControl(value)}`);
  return null;
}

function printSummary(summary: BatchSummary): void {
  const { timing, gradebook } = summary;
  const per = timing.graded > 0
    ? ` (${(timing.totalSeconds / timing.graded).toFixed(1)} s per graded submission)`
    : "";
  console.log(
    `graded ${timing.graded} submission(s), reused ${timing.reused}, in ` +
      `${timing.totalSeconds.toFixed(1)} s${per}: ` +
      `correctness ${timing.correctnessSeconds.toFixed(1)} s (up to the jobs at once), ` +
      `timed runs ${timing.timedSeconds.toFixed(1)} s (alone), ` +
      `overhead ${timing.overheadSeconds.toFixed(1)} s`,
  );
  // Student ids are folder names: their control characters are shown escaped, never sent raw.
  const scores = gradebook.students.map((row) =>
    `${escapeId(row.student)} ${row.score}/${row.maxScore}`
  );
  console.log(`scores: ${scores.join(", ")}`);
  const projection = projectionLine(timing, gradebook.machine.cores);
  if (projection) console.log(projection);
  if (summary.inconclusive.length > 0) {
    console.log(
      `inconclusive timing (the machine was busy) for ${
        summary.inconclusive.map(escapeId).join(", ")
      }: rerun with --retime on a quieter machine to time only those again`,
    );
  }
  console.log(
    `wrote ${join(summary.out, "gradebook.csv")}, gradebook.json, report.html and ` +
      `<student>/results.json`,
  );
}
