/**
 * The batch's submissions: finding the student folders of DIR, and refusing a set of them the
 * batch cannot grade safely (a folder named like a gradebook file, two folders one disk would
 * merge, none at all).
 *
 * @module
 */
import { join } from "node:path";
import { escapeId } from "../../report/_escape.ts";
import type { Submission } from "./_types.ts";
import { OUT_FILES } from "./_gradebook_files.ts";

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
 * Refuses submissions the batch cannot grade safely: a folder named like a gradebook file (its
 * results would overwrite the gradebook), two folders whose names differ only in case or Unicode
 * form (one folder on a case- or form-insensitive disk), or no folder at all.
 *
 * @param submissions The submissions found in DIR.
 * @param dir DIR, for the message when it holds none.
 * @throws {BatchInputError} Naming the folders and what to do.
 *
 * @example Usage
 * ```ts
 * import { BatchInputError, checkSubmissions } from "./_submissions.ts";
 * import { throws } from "node:assert/strict";
 *
 * const folder = (student: string) => ({ student, dir: student, exercisesDir: student });
 * checkSubmissions([folder("al"), folder("bo")], "DIR");
 * throws(() => checkSubmissions([folder("Al"), folder("al")], "DIR"), BatchInputError);
 * throws(() => checkSubmissions([folder("Gradebook.csv")], "DIR"), BatchInputError);
 * throws(() => checkSubmissions([], "DIR"), BatchInputError);
 * ```
 */
export function checkSubmissions(submissions: readonly Submission[], dir: string): void {
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
}

/**
 * A folder name as a case- and form-insensitive disk sees it (macOS and Windows fold case; macOS
 * also Unicode form, `é` as one code point or two): two names with one key may be one folder, and
 * look like one student.
 */
function folderKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

/**
 * Orders two student ids by code unit, the gradebook's order (not the locale's).
 *
 * @param a One id.
 * @param b The other.
 * @returns Negative, zero or positive, as `Array.prototype.sort` expects.
 *
 * @example Usage
 * ```ts
 * import { compareIds } from "./_submissions.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(["b", "B", "a"].sort(compareIds), ["B", "a", "b"]);
 * ```
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
