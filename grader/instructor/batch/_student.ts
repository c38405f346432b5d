/**
 * Grading one student of the batch: ingest the submission into a private copy, run its
 * correctness phase in a shared lane and its timed phase alone, each under the submission's wall
 * budget, save the state after each phase, and write the student's Gradescope results. A result
 * that throws or does not fit the schema becomes that exercise's grader-failure row.
 *
 * @module
 */
import { z } from "zod";
import { join } from "node:path";
import type { Catalog, CatalogEntry } from "../../catalog.ts";
import {
  capResult,
  type ExerciseResult,
  ExerciseResultSchema,
  RESULT_VERSION,
  type StudentResult,
} from "../../result.ts";
import { writeJsonWhole } from "../_atomic_write.ts";
import { gradescopeResults } from "../../report/gradescope.ts";
import { Budget, type Lanes } from "./_lanes.ts";
import type { BatchEvent, ExerciseGrader, Submission } from "./_types.ts";
import { graderFailure, isGraderFailure, studentRow } from "./_rows.ts";
import {
  ingest,
  type IngestCaps,
  SAVED_FILE,
  type SavedStudent,
  saveStudent,
  timedDoneOf,
} from "./_saved.ts";

/** What grading a student needs of its batch. */
export interface StudentRun {
  /** The catalog. */
  catalog: Catalog;
  /** The grader. */
  grader: ExerciseGrader;
  /** The batch's lanes: shared correctness runs, exclusive timed runs. */
  lanes: Lanes;
  /** Ingestion's caps. */
  caps: IngestCaps;
  /** The batch's OUT folder. */
  out: string;
  /** One submission's wall budget, in seconds. */
  budgetSeconds: number;
  /** Time the saved inconclusive timings again. */
  retime: boolean;
  /** Stops the batch. */
  signal: AbortSignal;
  /** Called as the student is graded. */
  emit: (event: BatchEvent) => void;
}

/** What one phase of a student's grading shares. */
interface Phase {
  budget: Budget;
  runSignal: AbortSignal;
  save: (row: StudentResult, complete: boolean) => Promise<void>;
  timedDone: Set<string>;
}

/**
 * Grades one student: both phases, resumed from what was saved for the same files.
 *
 * @param run The batch's catalog, grader, lanes, limits and events.
 * @param original The submission as found in DIR.
 * @param saved What was saved for these very files, if anything.
 * @returns The student's row, and whether the grader failed on one of its exercises.
 * @throws {DOMException} The batch's abort reason when its signal stops it.
 *
 * @example Usage
 * ```ts
 * import { gradeStudent } from "./_student.ts";
 * import { Lanes } from "./_lanes.ts";
 * import { parseCatalog } from "../../catalog.ts";
 * import { equal } from "node:assert/strict";
 *
 * const catalog = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" }],
 * });
 * const dir = await Deno.makeTempDir();
 * const grader = {
 *   correctness: () => Promise.reject(new Error("no sandbox here")),
 *   timed: () => Promise.resolve(undefined),
 * };
 * const { row, failed } = await gradeStudent({
 *   catalog,
 *   grader,
 *   lanes: new Lanes(1, undefined),
 *   caps: {},
 *   out: `${dir}/out`,
 *   budgetSeconds: 10,
 *   retime: false,
 *   signal: new AbortController().signal,
 *   emit: () => {},
 * }, { student: "al", dir, exercisesDir: dir });
 * equal(failed, true);
 * equal(row.exercises[0]?.checks[0]?.status, "crashed");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function gradeStudent(
  run: StudentRun,
  original: Submission,
  saved?: SavedStudent,
): Promise<{ row: StudentResult; failed: boolean }> {
  // Ingestion: the grade uses only this private copy of the catalog's student files.
  await using copy = await ingest(run.catalog, original, run.caps);
  const fingerprint = copy.fingerprint;
  const submission: Submission = {
    ...original,
    exercisesDir: copy.root,
    problems: copy.problems,
  };
  const budget = new Budget(run.budgetSeconds);
  const runSignal = AbortSignal.any([run.signal, budget.signal]);
  const path = join(run.out, submission.student, SAVED_FILE);
  const timedDone = timedDoneOf(saved, run.retime);
  const save = (row: StudentResult, complete: boolean) =>
    saveStudent(path, {
      version: RESULT_VERSION,
      submission: fingerprint,
      complete,
      timed: [...timedDone],
      row,
    });
  try {
    return await gradePhases(run, submission, saved, { budget, runSignal, save, timedDone });
  } finally {
    await run.grader.release?.(submission);
  }
}

async function gradePhases(
  run: StudentRun,
  submission: Submission,
  saved: SavedStudent | undefined,
  phase: Phase,
): Promise<{ row: StudentResult; failed: boolean }> {
  const { catalog, grader, lanes, signal, emit } = run;
  const { budget, runSignal, save, timedDone } = phase;
  // Correctness, beside other correctness runs; reuse a saved correctness phase. A submission's
  // exercises run at once in its lane: most of a correctness run is spent waiting for the
  // sandbox's nested Workers to start (SandboxOptions.pools), which overlaps; one student's code
  // is beside only itself, and the budget is charged the phase's wall time once.
  emit({ kind: "student", student: submission.student, phase: "correctness" });
  // The grader's shared work for the exercises that run (one type check of them all) starts
  // first, in the lane; each exercise's correctness run waits for its part of it.
  const kept = (entry: CatalogEntry) => {
    const previous = saved?.row.exercises.find((result) => result.exercise === entry.slug);
    return previous && !isGraderFailure(previous) ? previous : undefined;
  };
  const results: ExerciseResult[] = await lanes.shared((cpus) =>
    budget.charge(() => {
      const entries = catalog.exercises.filter((entry) => !kept(entry));
      grader.prepare?.(entries, submission, runSignal, cpus);
      return Promise.all(catalog.exercises.map((entry) =>
        kept(entry) ??
          guard(signal, entry, () => grader.correctness(entry, submission, runSignal, cpus))
      ));
    })
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
        guard(signal, entry, () => grader.timed(entry, submission, correctness, runSignal))
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
  await writeJsonWhole(join(run.out, submission.student, "results.json"), gradescopeResults(row));
  return { row, failed };
}

async function guard<T extends ExerciseResult | undefined>(
  signal: AbortSignal,
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
