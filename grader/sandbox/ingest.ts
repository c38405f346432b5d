/**
 * Ingestion: the one step through which a submission's files reach the grader. Before anything
 * runs, the catalog's student files are copied from the student's folder into a private temporary
 * tree, and the grade uses only that copy. Every path component below the student's folder is
 * `lstat`ed: a link (to a file or a folder, at any depth), a device, a fifo or a socket is refused,
 * never followed; so is a file over the per-file cap, or one that would take the submission past
 * its cap. Each refusal is a {@linkcode IngestProblem} that the runner reports on the student's row.
 * The per-path checks (each component `lstat`ed, each file opened only if it is the one seen) are
 * in `_ingest_paths.ts`; this file holds the public functions built on them.
 *
 * @module
 */
import { basename, join } from "node:path";
import { formatBytes, linkedInto, takeFile, walk } from "./_ingest_paths.ts";

/** The caps of one ingestion. */
export interface IngestOptions {
  /** The largest student file taken, in bytes. Default 256 KiB. */
  fileBytes?: number;
  /** The most bytes taken from one submission, over every exercise. Default 2 MiB. */
  submissionBytes?: number;
  /**
   * Where an exercise's folder may be under the student's folder, in order: `""` for
   * `DIR/<slug>/`, `"exercises"` for a copy of the kit (`DIR/exercises/<slug>/`). Default both.
   */
  layouts?: readonly string[];
  /**
   * Folders a student's folder that is itself a link may not lead into, at any hop: the batch
   * gives the kit (its solutions and fixtures are the instructor's) and the folder of submissions
   * (a classmate's work). An archive can unpack to such a link where the instructor meant a
   * folder. Default none.
   */
  notInto?: readonly string[];
}

/** The default caps and layouts. */
export const INGEST_DEFAULTS = {
  fileBytes: 256 * 1024,
  submissionBytes: 2 * 1024 * 1024,
  layouts: ["", "exercises"],
} as const;

/** A student file (or folder) that was refused, and why. */
export interface IngestProblem {
  /** The exercise's folder name. */
  exercise: string;
  /** The path that was refused, relative to the student's folder. */
  path: string;
  /** Why, for the student: `is a link (links are never followed)`. */
  reason: string;
}

/** What an exercise needs from the catalog. */
export interface IngestEntry {
  /** The exercise's folder name. */
  slug: string;
  /** Its student files. */
  files: readonly string[];
}

/**
 * A private copy of a submission: `root/<slug>/<file>` for every file taken. Remove it with
 * {@linkcode Ingested.remove} (or `await using`).
 */
export interface Ingested {
  /** The private tree. */
  root: string;
  /** What was refused. */
  problems: IngestProblem[];
  /** The bytes taken. */
  bytes: number;
  /** SHA-256 (hex) of what was taken and what was refused: a changed submission changes it. */
  fingerprint: string;
  /** Removes the private tree. */
  remove(): Promise<void>;
  /** Removes the private tree. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Finds an exercise's folder under a student's folder, in the order of `layouts`, `lstat`ing
 * every component: a link anywhere on the way is refused (and the next layout tried).
 *
 * @param dir The student's folder.
 * @param slug The exercise's folder name.
 * @param layouts Where to look (see {@linkcode IngestOptions.layouts}).
 * @returns The folder's path relative to `dir` (`undefined` when none is a real folder) and the
 * refusals met on the way.
 *
 * @example Usage
 * ```ts
 * import { findExerciseFolder } from "./ingest.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/exercises/01_a`, { recursive: true });
 * await Deno.symlink(`${dir}/exercises/01_a`, `${dir}/01_a`);
 * const found = await findExerciseFolder(dir, "01_a");
 * deepEqual(found.folder, "exercises/01_a");
 * deepEqual(found.problems.map((p) => p.path), ["01_a"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function findExerciseFolder(
  dir: string,
  slug: string,
  layouts: readonly string[] = INGEST_DEFAULTS.layouts,
): Promise<{ folder: string | undefined; problems: IngestProblem[] }> {
  const problems: IngestProblem[] = [];
  for (const layout of layouts) {
    const parts = [...layout.split("/").filter(Boolean), slug];
    const found = await walk(dir, parts, "folder");
    if (found.kind === "ok") return { folder: parts.join("/"), problems };
    if (found.kind === "refused") {
      // Name the component that was refused, not the path under it.
      const path = parts.slice(0, (found.at ?? parts.length - 1) + 1).join("/");
      problems.push({ exercise: slug, path, reason: found.reason });
    }
  }
  return { folder: undefined, problems };
}

function checkCap(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot ingest: ${name} must be a positive integer: received ${value}`);
  }
  return value;
}

/**
 * Copies the catalog's student files of a submission into a private temporary tree
 * (`root/<slug>/<file>`), refusing links, non-regular files and oversized files. Only the files the
 * catalog names are looked at; everything else in the student's folder is ignored.
 *
 * @param dir The student's folder (it may itself be a link the instructor made; nothing below it
 * may be one).
 * @param entries The exercises (catalog entries) to take.
 * @param options The caps and where exercise folders may be.
 * @returns The private copy, what was refused, and a fingerprint.
 * @throws {RangeError} If a cap is not a positive integer.
 *
 * @example Usage
 * ```ts
 * import { ingestSubmission } from "./ingest.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/01_a`);
 * await Deno.writeTextFile(`${dir}/01_a/a.ts`, "export const a = 1;");
 * await Deno.writeTextFile(`${dir}/elsewhere.ts`, "export const b = 2;");
 * await Deno.symlink(`${dir}/elsewhere.ts`, `${dir}/01_a/b.ts`);
 * await using copy = await ingestSubmission(dir, [{ slug: "01_a", files: ["a.ts", "b.ts"] }]);
 * equal(await Deno.readTextFile(`${copy.root}/01_a/a.ts`), "export const a = 1;");
 * deepEqual(copy.problems.map((p) => p.path), ["01_a/b.ts"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function ingestSubmission(
  dir: string,
  entries: readonly IngestEntry[],
  options: IngestOptions = {},
): Promise<Ingested> {
  const fileBytes = checkCap("fileBytes", options.fileBytes ?? INGEST_DEFAULTS.fileBytes);
  const submissionBytes = checkCap(
    "submissionBytes",
    options.submissionBytes ?? INGEST_DEFAULTS.submissionBytes,
  );
  const layouts = options.layouts ?? INGEST_DEFAULTS.layouts;
  const root = await Deno.makeTempDir({ prefix: "parakit-submission-" });
  const remove = () => Deno.remove(root, { recursive: true }).catch(() => {});
  const problems: IngestProblem[] = [];
  const hash: string[] = [];
  let bytes = 0;
  const into = await linkedInto(dir, options.notInto ?? []);
  try {
    for (const entry of entries) {
      await Deno.mkdir(join(root, entry.slug));
      if (into !== undefined) {
        problems.push({
          exercise: entry.slug,
          path: basename(dir),
          reason: `is a link into ${into} (a student's folder must hold the student's own files)`,
        });
        continue;
      }
      const found = await findExerciseFolder(dir, entry.slug, layouts);
      problems.push(...found.problems);
      if (found.folder === undefined) continue;
      for (const name of entry.files) {
        const path = `${found.folder}/${name}`;
        const taken = await takeFile(dir, path, fileBytes);
        if (taken.kind === "missing") continue;
        if (taken.kind === "refused") {
          problems.push({ exercise: entry.slug, path, reason: taken.reason });
          continue;
        }
        if (bytes + taken.data.length > submissionBytes) {
          problems.push({
            exercise: entry.slug,
            path,
            reason: `would take the submission past its cap of ${formatBytes(submissionBytes)}`,
          });
          continue;
        }
        bytes += taken.data.length;
        await Deno.writeFile(join(root, entry.slug, name), taken.data, { createNew: true });
        hash.push(`${entry.slug}/${name}\u0000${await sha256(taken.data)}`);
      }
    }
  } catch (error) {
    await remove();
    throw error;
  }
  for (const problem of problems) hash.push(`!${problem.path}\u0000${problem.reason}`);
  return {
    root,
    problems,
    bytes,
    fingerprint: await sha256(new TextEncoder().encode(hash.join("\n"))),
    remove,
    [Symbol.asyncDispose]: remove,
  };
}

/**
 * Copies an exercise's student files from a folder into another, by the same rules as
 * {@linkcode ingestSubmission} (the folder itself is trusted; nothing below it is followed). The
 * sandbox builds its workspace with it, so even a caller that skipped ingestion copies no link.
 *
 * @param from The folder that holds the files.
 * @param files The file names.
 * @param to The folder to copy them into (it must exist).
 * @param options The per-file cap.
 * @returns What was refused (`exercise` is the folder's name); missing files are left out.
 *
 * @example Usage
 * ```ts
 * import { copyStudentFiles } from "./ingest.ts";
 * import { equal } from "node:assert/strict";
 *
 * const from = await Deno.makeTempDir();
 * const to = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${from}/a.ts`, "export {};");
 * await Deno.symlink("/etc/hostname", `${from}/b.ts`);
 * const problems = await copyStudentFiles(from, ["a.ts", "b.ts", "c.ts"], to);
 * equal(problems.length, 1);
 * equal(await Deno.readTextFile(`${to}/a.ts`), "export {};");
 * await Deno.remove(from, { recursive: true });
 * await Deno.remove(to, { recursive: true });
 * ```
 */
export async function copyStudentFiles(
  from: string,
  files: readonly string[],
  to: string,
  options: Pick<IngestOptions, "fileBytes"> = {},
): Promise<IngestProblem[]> {
  const cap = checkCap("fileBytes", options.fileBytes ?? INGEST_DEFAULTS.fileBytes);
  const problems: IngestProblem[] = [];
  for (const name of files) {
    const taken = await takeFile(from, name, cap);
    if (taken.kind === "refused") problems.push({ exercise: "", path: name, reason: taken.reason });
    if (taken.kind === "ok") await Deno.writeFile(join(to, name), taken.data, { createNew: true });
  }
  return problems;
}

async function sha256(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Describes what ingestion refused, for the student's row: one sentence per refusal.
 *
 * @param problems The refusals of one exercise.
 * @returns The message.
 *
 * @example Usage
 * ```ts
 * import { describeProblems } from "./ingest.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   describeProblems([{ exercise: "01_a", path: "01_a/a.ts", reason: "is a link" }]),
 *   "01_a/a.ts is a link; only the student's own regular files are graded",
 * );
 * ```
 */
export function describeProblems(problems: readonly IngestProblem[]): string {
  const each = problems.map((problem) => `${problem.path} ${problem.reason}`).join("; ");
  return `${each}; only the student's own regular files are graded`;
}
