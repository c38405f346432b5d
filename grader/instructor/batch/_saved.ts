/**
 * The batch's resume: each student's saved state under `OUT/<student>/student.json` (the
 * submission's fingerprint, the results so far, the exercises already timed), and which students
 * a rerun reuses, resumes or grades again.
 *
 * @module
 */
import { z } from "zod";
import { join } from "node:path";
import type { Catalog } from "../../catalog.ts";
import { RESULT_VERSION, type StudentResult, StudentResultSchema } from "../../result.ts";
import { ingestSubmission } from "../../sandbox/ingest.ts";
import { writeJsonWhole } from "../_atomic_write.ts";
import type { Submission } from "./_types.ts";
import { isInconclusive } from "./_rows.ts";

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
/** One student's saved state. */
export type SavedStudent = z.infer<typeof SavedStudentSchema>;

/**
 * Ingestion's caps, and the folders a linked student folder may not lead into (the batch gives
 * the kit and the folder of submissions).
 */
export interface IngestCaps {
  /** The largest student file taken, in bytes. */
  fileBytes?: number;
  /** The most bytes taken from one submission. */
  submissionBytes?: number;
  /** Folders a linked student folder may not lead into. */
  notInto?: readonly string[];
}

/**
 * Ingests a submission's student files into a private copy (`sandbox/ingest.ts`).
 *
 * @param catalog The catalog.
 * @param submission The submission.
 * @param options Ingestion's caps.
 * @returns The private copy, removed when disposed.
 *
 * @example Usage
 * ```ts
 * import { ingest } from "./_saved.ts";
 * import { parseCatalog } from "../../catalog.ts";
 * import { equal } from "node:assert/strict";
 *
 * const catalog = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" }],
 * });
 * const dir = await Deno.makeTempDir();
 * await using copy = await ingest(catalog, { student: "s", dir, exercisesDir: dir }, {});
 * equal(copy.fingerprint.length, 64);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function ingest(
  catalog: Catalog,
  submission: Submission,
  options: IngestCaps,
): ReturnType<typeof ingestSubmission> {
  return ingestSubmission(submission.exercisesDir, catalog.exercises, {
    ...(options.notInto === undefined ? {} : { notInto: options.notInto }),
    ...(options.fileBytes === undefined ? {} : { fileBytes: options.fileBytes }),
    ...(options.submissionBytes === undefined ? {} : { submissionBytes: options.submissionBytes }),
  });
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

async function readSaved(path: string): Promise<SavedStudent | undefined> {
  try {
    return SavedStudentSchema.parse(JSON.parse(await Deno.readTextFile(path)));
  } catch {
    return undefined;
  }
}

/**
 * Saves a student's state whole (an interrupted batch resumes from it).
 *
 * @param path The student's {@linkcode SAVED_FILE}.
 * @param state The state.
 *
 * @example Usage
 * ```ts
 * import { saveStudent } from "./_saved.ts";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const row = { student: "al", score: 0, maxScore: 0, exercises: [] };
 * await saveStudent(`${dir}/student.json`, {
 *   version: 1,
 *   submission: "f",
 *   complete: false,
 *   timed: [],
 *   row,
 * });
 * equal(JSON.parse(await Deno.readTextFile(`${dir}/student.json`)).submission, "f");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function saveStudent(path: string, state: SavedStudent): Promise<void> {
  return writeJsonWhole(path, state);
}

/** A student the batch grades (again, or from where a saved state stopped). */
export interface PendingStudent {
  /** The submission. */
  submission: Submission;
  /** Its fingerprint now. */
  fingerprint: string;
  /** What was saved for this very submission, when the batch resumes it. */
  saved?: SavedStudent;
}

/** What decides whether a saved state is reused. */
export interface ResumeOptions {
  /** Ingestion's caps (the fingerprint is taken as ingestion takes the files). */
  caps: IngestCaps;
  /** Regrade everyone. */
  force?: boolean;
  /** Regrade students with an inconclusive timing. */
  retime?: boolean;
}

/**
 * Sorts the submissions into those whose saved results stand (complete, same fingerprint, not
 * forced, not to be retimed) and those to grade, each with what was saved for the same files.
 *
 * @param catalog The catalog.
 * @param submissions The submissions, in order.
 * @param out The batch's OUT folder.
 * @param options The caps, and `force` / `retime`.
 * @returns The reused rows and the pending students, both in submission order.
 *
 * @example Usage
 * ```ts
 * import { resumeState } from "./_saved.ts";
 * import { parseCatalog } from "../../catalog.ts";
 * import { equal } from "node:assert/strict";
 *
 * const catalog = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" }],
 * });
 * const dir = await Deno.makeTempDir();
 * const submission = { student: "s", dir, exercisesDir: dir };
 * const { reused, pending } = await resumeState(catalog, [submission], `${dir}/out`, { caps: {} });
 * equal(reused.length, 0);
 * equal(pending[0]?.saved, undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function resumeState(
  catalog: Catalog,
  submissions: readonly Submission[],
  out: string,
  options: ResumeOptions,
): Promise<{ reused: StudentResult[]; pending: PendingStudent[] }> {
  const reused: StudentResult[] = [];
  const pending: PendingStudent[] = [];
  for (const submission of submissions) {
    const fingerprint = await submissionFingerprint(catalog, submission, options.caps);
    const saved = await readSaved(join(out, submission.student, SAVED_FILE));
    const retime = options.retime && saved?.row.exercises.some(isInconclusive);
    if (!options.force && !retime && saved?.complete && saved.submission === fingerprint) {
      reused.push(saved.row);
    } else {
      pending.push({
        submission,
        fingerprint,
        saved: saved?.submission === fingerprint && !options.force ? saved : undefined,
      });
    }
  }
  return { reused, pending };
}

/**
 * The exercises a resumed student need not time again: those saved as timed, less the
 * inconclusive ones when retiming.
 *
 * @param saved The student's saved state, if any.
 * @param retime Whether inconclusive timings are timed again.
 * @returns The slugs.
 *
 * @example Usage
 * ```ts
 * import { timedDoneOf } from "./_saved.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(timedDoneOf(undefined, false).size, 0);
 * ```
 */
export function timedDoneOf(saved: SavedStudent | undefined, retime: boolean): Set<string> {
  const inconclusiveSaved = new Set(
    (saved?.row.exercises ?? []).filter(isInconclusive).map((result) => result.exercise),
  );
  return new Set(
    (saved?.timed ?? []).filter((slug) => !(retime && inconclusiveSaved.has(slug))),
  );
}
