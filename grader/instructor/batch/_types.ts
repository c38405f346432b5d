/**
 * The batch's shared types: a submission, the grader the batch drives and the events it reports.
 * Their own file, so the batch's helpers (`_runner.ts`, `_progress.ts`) need not import the batch.
 *
 * @module
 */
import type { CatalogEntry } from "../../catalog.ts";
import type { ExerciseResult, StudentResult } from "../../result.ts";
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
