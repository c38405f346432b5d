/**
 * The class-wide files a batch writes into OUT, beside the student folders: `gradebook.json`,
 * `gradebook.csv`, `report.html` (with each student's sweep figures) and `batch.json` (timing,
 * the grader's failures, the inconclusive timings).
 *
 * @module
 */
import { join } from "node:path";
import type { Gradebook } from "../../result.ts";
import { writeJsonWhole, writeWhole } from "../_atomic_write.ts";
import { gradebookCsv } from "../../report/csv.ts";
import { type BatchTiming, classReportHtml } from "../../report/html.ts";
import { studentSweepFigures } from "../../report/svg.ts";

/** The class-wide files written into OUT, beside the student folders. */
export const OUT_FILES: readonly string[] = [
  "gradebook.json",
  "gradebook.csv",
  "report.html",
  "batch.json",
];

/** What the class-wide files say besides the gradebook. */
export interface GradebookFilesOptions {
  /** The exercises' slugs, the CSV's columns in catalog order. */
  exercises: readonly string[];
  /** How the batch's time was spent. */
  timing: BatchTiming;
  /** Students on whom the grader itself failed. */
  graderFailures: readonly string[];
  /** Students with a timing that stayed inconclusive. */
  inconclusive: readonly string[];
}

/**
 * Writes {@linkcode OUT_FILES} into OUT, each file whole (a reader never sees half of one).
 *
 * @param out The folder to write into.
 * @param gradebook The gradebook.
 * @param options The CSV's columns, the timing and the students to name in `batch.json`.
 *
 * @example Usage
 * ```ts
 * import { OUT_FILES, writeGradebookFiles } from "./_gradebook_files.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const out = await Deno.makeTempDir();
 * const gradebook = {
 *   version: 1 as const,
 *   gradedAt: new Date(0).toISOString(),
 *   machine: { cores: 2, deno: "2.9.6", platform: "linux x86_64" },
 *   students: [],
 * };
 * const timing = {
 *   totalSeconds: 1,
 *   correctnessSeconds: 0,
 *   timedSeconds: 0,
 *   overheadSeconds: 1,
 *   graded: 0,
 *   reused: 0,
 * };
 * await writeGradebookFiles(out, gradebook, {
 *   exercises: [],
 *   timing,
 *   graderFailures: [],
 *   inconclusive: [],
 * });
 * const names = (await Array.fromAsync(Deno.readDir(out))).map((entry) => entry.name);
 * deepEqual(names.sort(), [...OUT_FILES].sort());
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function writeGradebookFiles(
  out: string,
  gradebook: Gradebook,
  options: GradebookFilesOptions,
): Promise<void> {
  const { timing, graderFailures, inconclusive } = options;
  await writeJsonWhole(join(out, "gradebook.json"), gradebook);
  await writeWhole(
    join(out, "gradebook.csv"),
    gradebookCsv(gradebook, { exercises: options.exercises }),
  );
  await writeWhole(
    join(out, "report.html"),
    await classReportHtml(gradebook, {
      timing,
      studentFigures: await studentSweepFigures(gradebook),
    }),
  );
  await writeJsonWhole(join(out, "batch.json"), { timing, graderFailures, inconclusive });
}
