/**
 * Grades one Gradescope submission into Gradescope's `results.json`; the bundle's `run_autograder`
 * calls it as `deno run -A grader/instructor/gradescope/run.ts SUBMISSION RESULTS [--cores N]`.
 *
 * A submission may be the exercise folders, a copy of the kit (`exercises/`), either of those inside
 * one top folder (an uploaded zip), or the student files uploaded loose (Gradescope puts single
 * uploads side by side): loose files are matched to their exercise by name. Correctness and timed
 * checks run one after the other; the container has the machine to itself. With fewer than two
 * usable cores (Gradescope's default is half a CPU) the speedup checks are `skipped` with a message,
 * not failed. Whatever happens, `results.json` is written.
 *
 * @module
 */
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { writeJsonWhole } from "../_atomic_write.ts";
import { runnerGrader } from "../batch/_runner.ts";
import type { Submission } from "../batch/batch.ts";
import { type Catalog, loadCatalog } from "../../catalog.ts";
import type { ExerciseResult, StudentResult } from "../../result.ts";
import { type GradescopeResults, gradescopeResults } from "../../report/gradescope.ts";
import { usableCores } from "../../measure/timing.ts";
import { copyStudentFiles, type IngestProblem } from "../../sandbox/ingest.ts";
import { KIT_ROOT } from "../../_kit_root.ts";

/** Options for {@linkcode gradeSubmission}. */
export interface GradeSubmissionOptions {
  /** The kit that grades; default this kit. */
  kitRoot?: string;
  /** The cores to assume; default what the process can use (cgroup quota included). */
  cores?: number;
  /** Wall-time limit of one sandbox call, in milliseconds; default the runner's. */
  timeoutMs?: number;
}

/**
 * Finds where a submission keeps its exercise folders, laying loose student files out in a temporary
 * folder when it has none.
 *
 * @param dir The submission folder.
 * @param catalog The catalog.
 * @returns The folder holding `<slug>/` folders, and a cleanup for a temporary one (with the loose
 * files it refused).
 *
 * @example Usage
 * ```ts
 * import { exerciseFolders } from "./run.ts";
 * import { parseCatalog } from "../../catalog.ts";
 * import { ok } from "node:assert/strict";
 *
 * const catalog = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" }],
 * });
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.ts`, "export {};");
 * const { exercisesDir, cleanup } = await exerciseFolders(dir, catalog);
 * ok((await Deno.stat(`${exercisesDir}/01_a/a.ts`)).isFile);
 * await cleanup();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function exerciseFolders(
  dir: string,
  catalog: Catalog,
): Promise<{ exercisesDir: string; problems?: IngestProblem[]; cleanup(): Promise<void> }> {
  const keep = { cleanup: () => Promise.resolve() };
  // Every component below the upload is lstat'ed (Deno.lstat checks only the last one): a linked
  // `exercises/` or top folder is never taken for the student's folders.
  const isDir = async (path: string) => {
    let at = dir;
    for (const part of relative(dir, path).split(sep).filter(Boolean)) {
      at = join(at, part);
      if (!await Deno.lstat(at).then((info) => info.isDirectory, () => false)) return false;
    }
    return true;
  };
  const hasSlugs = async (path: string) => {
    for (const entry of catalog.exercises) if (await isDir(join(path, entry.slug))) return true;
    return false;
  };
  for (const candidate of [dir, join(dir, "exercises")]) {
    if (await hasSlugs(candidate)) return { exercisesDir: candidate, ...keep };
  }
  const folders = (await Array.fromAsync(Deno.readDir(dir))).filter((e) => e.isDirectory);
  if (folders.length === 1) {
    const top = join(dir, folders[0]!.name);
    for (const candidate of [top, join(top, "exercises")]) {
      if (await hasSlugs(candidate)) return { exercisesDir: candidate, ...keep };
    }
  }
  // Loose files: each student file name belongs to one exercise; by ingestion's rules (no link,
  // no oversized file), what is refused reported.
  const laidOut = await Deno.makeTempDir({ prefix: "parakit_submission_" });
  const problems: IngestProblem[] = [];
  for (const entry of catalog.exercises) {
    await Deno.mkdir(join(laidOut, entry.slug));
    const refused = await copyStudentFiles(dir, entry.files, join(laidOut, entry.slug));
    problems.push(...refused.map((problem) => ({ ...problem, exercise: entry.slug })));
  }
  return {
    exercisesDir: laidOut,
    problems,
    cleanup: () => Deno.remove(laidOut, { recursive: true }),
  };
}

/**
 * Grades one submission, every exercise of the catalog, correctness then timed checks.
 *
 * @param dir The submission folder.
 * @param options The kit, the cores, the time limit.
 * @returns The student's results (the student id is `submission`).
 *
 * @example Usage
 * ```ts ignore
 * import { gradeSubmission } from "./run.ts";
 * const row = await gradeSubmission("/autograder/submission", { cores: 2 });
 * ```
 */
export async function gradeSubmission(
  dir: string,
  options: GradeSubmissionOptions = {},
): Promise<StudentResult> {
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  const catalog = await loadCatalog(kitRoot);
  const cores = options.cores ?? await usableCores();
  const grader = runnerGrader({ kitRoot, cores, timeoutMs: options.timeoutMs });
  const { exercisesDir, problems = [], cleanup } = await exerciseFolders(dir, catalog);
  // Each exercise is ingested as it is checked (the runner); the loose files refused are reported.
  const submission: Submission = { student: "submission", dir, exercisesDir, problems };
  const signal = new AbortController().signal;
  try {
    const results: ExerciseResult[] = [];
    for (const entry of catalog.exercises) {
      const correctness = await grader.correctness(entry, submission, signal);
      results.push(await grader.timed(entry, submission, correctness, signal) ?? correctness);
    }
    return {
      student: submission.student,
      score: results.reduce((sum, result) => sum + result.score, 0),
      maxScore: results.reduce((sum, result) => sum + result.maxScore, 0),
      exercises: results,
    };
  } finally {
    await cleanup();
  }
}

/** Gradescope's results when the autograder itself failed: no score, and why. */
function failedResults(error: unknown): GradescopeResults {
  return {
    score: 0,
    execution_time: 0,
    output: `The autograder itself failed, not your code; your instructor will regrade: ${
      error instanceof Error ? error.message : String(error)
    }`,
    output_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: [],
  };
}

/**
 * The entry `run_autograder` calls.
 *
 * @param args `SUBMISSION RESULTS [--cores N] [--timeout SECONDS]`.
 * @returns 0 when the submission was graded, 2 bad usage, 3 the autograder failed (a
 * `results.json` saying so is written all the same).
 *
 * @example Usage
 * ```ts
 * import { gradescopeRunMain } from "./run.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(await gradescopeRunMain(["only-one-argument"]), 2);
 * ```
 */
export async function gradescopeRunMain(args: string[]): Promise<number> {
  const usage = "grader/cli.ts gradescope-run SUBMISSION RESULTS [--cores N] [--timeout SECONDS]";
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { cores: { type: "string" }, timeout: { type: "string" } },
    });
  } catch (error) {
    console.error(`error: ${(error as Error).message}: usage: ${usage}`);
    return 2;
  }
  const [submission, resultsPath] = parsed.positionals;
  const cores = parsed.values.cores === undefined ? undefined : Number(parsed.values.cores);
  const timeout = parsed.values.timeout === undefined ? undefined : Number(parsed.values.timeout);
  if (
    submission === undefined || resultsPath === undefined || parsed.positionals.length !== 2 ||
    (cores !== undefined && !(Number.isInteger(cores) && cores >= 1)) ||
    (timeout !== undefined && !(timeout > 0))
  ) {
    console.error(`error: give a submission folder and a results file: usage: ${usage}`);
    return 2;
  }
  try {
    const row = await gradeSubmission(submission, {
      ...(cores === undefined ? {} : { cores }),
      ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    });
    await writeJsonWhole(resultsPath, gradescopeResults(row));
    console.log(`graded: ${row.score} / ${row.maxScore} points, results in ${resultsPath}`);
    return 0;
  } catch (error) {
    await writeJsonWhole(resultsPath, failedResults(error));
    console.error(`error: the autograder failed: ${(error as Error)?.stack ?? error}`);
    return 3;
  }
}
