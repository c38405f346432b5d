/**
 * The batch's shared types: a submission, the grader the batch drives, the events it reports, its
 * options and its summary.
 * Their own file, so the batch's helpers (`_runner.ts`, `_progress.ts`, `_summary.ts`) need not
 * import the batch.
 *
 * @module
 */
import type { CatalogEntry } from "../../catalog.ts";
import type { ExerciseResult, Gradebook, StudentResult } from "../../result.ts";
import type { BatchTiming } from "../../report/html.ts";
import type { IngestProblem } from "../../sandbox/ingest.ts";

/** One student's submission folder. */
export interface Submission {
  /** The student's id: the folder's name, exactly as it is on disk. */
  student: string;
  /** The submission folder. */
  dir: string;
  /**
   * The folder each exercise is looked up from, as ingestion does it: its `<slug>/` folder if that
   * is a real folder, else `exercises/<slug>/` (a copy of the kit). `findSubmissions` sets it to
   * `dir`, so each exercise finds its own layout (an empty or partial `exercises/` does not hide the
   * exercise folders beside it); while a student is graded the batch points it at the private copy
   * ingestion made; Gradescope's runner may point it at a laid-out copy.
   */
  exercisesDir: string;
  /**
   * What ingestion refused when the batch took the submission (`exercisesDir` is then the private
   * copy): the runner reports it on the exercise's row.
   */
  problems?: readonly IngestProblem[];
}

/**
 * What the batch asks of the grader for one exercise of one submission. The default grades with
 * the runner; tests pass a fake.
 */
export interface ExerciseGrader {
  /**
   * Runs the exercise's correctness checks, leaving its timed checks out; may run beside other
   * correctness runs.
   */
  correctness(
    entry: CatalogEntry,
    submission: Submission,
    signal: AbortSignal,
    cpus?: readonly number[],
  ): Promise<ExerciseResult>;
  /**
   * Completes a correctness result with the exercise's timed checks, alone on the machine; returns
   * `undefined` when there is nothing to time (no timed check, or correctness already failed).
   */
  timed(
    entry: CatalogEntry,
    submission: Submission,
    correctness: ExerciseResult,
    signal: AbortSignal,
  ): Promise<ExerciseResult | undefined>;
  /**
   * Starts what a submission's exercises share before their correctness runs (the runner's grader:
   * one type check of them all), with the exercises that will run; called in the correctness
   * lane, just before their `correctness` calls, which wait for their part of it.
   */
  prepare?(
    entries: readonly CatalogEntry[],
    submission: Submission,
    signal: AbortSignal,
    cpus?: readonly number[],
  ): void;
  /**
   * Frees what the grader kept for a submission between its phases (the timed checks' sandboxes it
   * opened ahead during correctness); called once the submission is done, whatever happened.
   */
  release?(submission: Submission): Promise<void>;
}

/** What the batch reports while it runs. */
export type BatchEvent =
  | { kind: "start"; total: number; reused: number }
  | { kind: "student"; student: string; phase: "correctness" | "timed" }
  | { kind: "graded"; row: StudentResult; done: number; total: number; seconds: number }
  | { kind: "reused"; row: StudentResult };

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

/** Options for `gradeBatch` (`batch.ts`). */
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
   * left when it runs out ends as `timeout`. Default `BATCH_DEFAULTS.budgetSeconds`.
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
