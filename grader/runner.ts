/**
 * The grader's runner: one catalog entry and a folder of student files in, one
 * {@linkcode ExerciseResult} out. It opens a sandbox, runs the exercise's checks in declaration
 * order (reopening the sandbox when a check ended it), scores them, and never throws on student code.
 * Its parts: `_runner_options.ts` (its options), `_runner_checks.ts` (the check loop, each outcome
 * scored into a row) and `_runner_sandboxes.ts` (opening the sandboxes and their lifecycle across
 * the checks).
 *
 * @module
 */
import type { CatalogEntry } from "./catalog.ts";
import { KIT_ROOT } from "./_kit_root.ts";
import { CHECKS_BY_SLUG } from "./checks/mod.ts";
import { type CheckSpec, loadAverage } from "./checks/check.ts";
import {
  capResult,
  type ExerciseResult,
  exerciseStatus,
  type Machine,
  RESULT_VERSION,
} from "./result.ts";
import { type Casualties, type Sandbox, SANDBOX_DEFAULTS } from "./sandbox/sandbox.ts";
import { findExerciseFolder, ingestSubmission } from "./sandbox/ingest.ts";
import { usableCores } from "./measure/timing.ts";
import { TYPE_CHECK_NAME, typeCheck, typeCheckResults } from "./sandbox/typecheck.ts";
import { pointAtTypeCheck, runCheckLoop, startingResults } from "./_runner_checks.ts";
import type { CheckExerciseOptions, Source } from "./_runner_options.ts";
import { openSandbox, RunSandboxes } from "./_runner_sandboxes.ts";

/** Each exercise's checks, by folder name (the list lives in `checks/mod.ts`). */
export { CHECKS_BY_SLUG };

export type { CheckExerciseOptions, Source } from "./_runner_options.ts";
export { INGEST_CHECK, type ProgressEvent } from "./_runner_checks.ts";

/** The kit this grader belongs to (kept here for the runner's callers). */
export { KIT_ROOT };

/**
 * Finds the folder that holds an exercise's student files.
 *
 * @param entry The exercise.
 * @param source Where the files come from.
 * @param kitRoot The kit's root.
 * @returns The folder (it may not exist: its files are then missing, and the checks say so).
 *
 * @example Usage
 * ```ts
 * import { sourceDir } from "./runner.ts";
 * import { equal } from "node:assert/strict";
 *
 * const entry = { id: 1, slug: "01_x", title: "X", files: ["a.ts"], hint: "h" };
 * equal(await sourceDir(entry, { kind: "solutions" }, "/kit"), "/kit/solutions/01_x");
 * ```
 */
export async function sourceDir(
  entry: CatalogEntry,
  source: Source,
  kitRoot: string,
): Promise<string> {
  switch (source.kind) {
    case "exercises":
      return `${kitRoot}/exercises/${entry.slug}`;
    case "solutions":
      return `${kitRoot}/solutions/${entry.slug}`;
    case "submission": {
      // Every component is lstat'ed: a linked folder is never followed (ingestion's rule).
      const { folder } = await findExerciseFolder(source.dir, entry.slug);
      return `${source.dir}/${folder ?? entry.slug}`;
    }
  }
}

/** Where ingestion takes an exercise's files from: a folder and the layouts under it. */
function ingestFrom(source: Source, kitRoot: string): { dir: string; layouts?: string[] } {
  switch (source.kind) {
    case "exercises":
      return { dir: `${kitRoot}/exercises`, layouts: [""] };
    case "solutions":
      return { dir: `${kitRoot}/solutions`, layouts: [""] };
    case "submission":
      return { dir: source.dir };
  }
}

/**
 * Describes the machine a result is measured on.
 *
 * @param cores The usable cores.
 * @returns The machine.
 *
 * @example Usage
 * ```ts
 * import { machine } from "./runner.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(machine(2).cores, 2);
 * ```
 */
export function machine(cores: number): Machine {
  const load = loadAverage();
  return {
    cores,
    deno: Deno.version.deno,
    platform: `${Deno.build.os}-${Deno.build.arch}`,
    ...(load === undefined ? {} : { load }),
  };
}

/**
 * Checks one exercise: runs its checks in a sandbox on the student files from `source`, in
 * declaration order, and returns the result data. Student code cannot make it throw: errors,
 * timeouts, crashes and memory exhaustion become check statuses.
 *
 * @param entry The exercise's catalog entry.
 * @param options Where the files come from, limits, timing on or off, cancellation, progress.
 * @returns The exercise's result.
 * @throws {Error} Only when the grader itself fails (a bug or a broken kit), never for student code.
 *
 * @example Usage
 * ```ts ignore
 * import { checkExercise } from "./runner.ts";
 * const result = await checkExercise(entry, { source: { kind: "solutions" }, timed: false });
 * ```
 */
export async function checkExercise(
  entry: CatalogEntry,
  options: CheckExerciseOptions = {},
): Promise<ExerciseResult> {
  const started = performance.now();
  const checkedAt = new Date().toISOString();
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  const timed = options.timed ?? true;
  const timeoutMs = options.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs;
  const cores = options.cores ?? await usableCores();
  const seed = options.seed ?? (Date.now() % 1_000_000);
  const specs = CHECKS_BY_SLUG[entry.slug];
  if (!specs) throw new Error(`The grader has no checks for exercise ${entry.slug}`);
  // Ingestion: the student's files are copied into a private tree first; only that copy is graded.
  await using copy = await ingestExercise(entry, options, kitRoot);
  const dir = `${copy.root}/${entry.slug}`;
  const problems = [
    ...(options.problems ?? []).filter((problem) => problem.exercise === entry.slug),
    ...copy.problems,
  ];
  const previous = options.previous;
  const casualties: Casualties = new Map();
  const open = (which: readonly CheckSpec[]) =>
    openSandbox(entry, dir, { ...options, kitRoot, cores, casualties }, which);
  const timedSpecs = timed ? specs.filter((spec) => spec.timed) : [];
  // The timed checks' fresh sandbox opens now, beside the correctness checks: its start-up and its
  // pools' warm-up (about a second of waiting, see SandboxOptions.pools) overlap their work.
  const spare = options.timedSandbox ??
    (timedSpecs.length > 0 && !previous ? open(timedSpecs) : undefined);
  spare?.catch(() => {});
  // So does the correctness checks' first sandbox while the type check runs: deno check keeps a
  // core busy for about a second, and a sandbox's start is mostly waiting (nested Workers).
  const typeChecked = (options.typeCheck ?? true) && !previous;
  const untimedSpecs = specs.filter((spec) => !spec.timed);
  const first = typeChecked && untimedSpecs.length > 0 ? open(untimedSpecs) : undefined;
  first?.catch(() => {});
  const sandboxes = new RunSandboxes(open, {
    ...(spare ? { spare } : {}),
    ...(first ? { first } : {}),
    output: previous?.output ?? "",
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const results = startingResults(previous, problems);
  try {
    // The type check runs beside the correctness checks (they time nothing; deno check takes a
    // core for a second or two), its rows first, and ends before any timed check starts.
    const typeRows = typeChecked
      ? typeCheckRows(entry, dir, { ...options, kitRoot }, specs.length)
      : Promise.resolve([]);
    typeRows.catch(() => {});
    const at = results.length;
    await runCheckLoop({
      entry,
      specs,
      ...(previous ? { previous } : {}),
      timed,
      sandboxes,
      timedSpecs,
      untimedSpecs,
      context: {
        kitRoot,
        timed,
        cores,
        timeoutMs,
        seed,
        memo: memoizer(),
      },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      beforeTimed: typeRows,
    }, results);
    const typeResults = await typeRows;
    const checkRows = results.splice(at);
    pointAtTypeCheck(checkRows, typeResults);
    results.push(...typeResults, ...checkRows);
  } finally {
    await sandboxes.close();
  }
  const output = sandboxes.output;
  return capResult({
    version: RESULT_VERSION,
    exercise: entry.slug,
    status: exerciseStatus(results),
    score: results.reduce((sum, r) => sum + r.score, 0),
    maxScore: results.reduce((sum, r) => sum + r.maxScore, 0),
    checks: results,
    ...(output ? { output } : {}),
    checkedAt,
    seconds: (performance.now() - started) / 1000,
    machine: machine(cores),
  });
}

/** A `CheckContext.memo`: each key's value made once per exercise run, shared between checks. */
function memoizer(): <T>(key: string, make: () => Promise<T>) => Promise<T> {
  const memos = new Map<string, Promise<unknown>>();
  return <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!memos.has(key)) memos.set(key, make());
    return memos.get(key) as Promise<T>;
  };
}

/** Ingests the exercise's student files from the run's source into a private copy. */
function ingestExercise(entry: CatalogEntry, options: CheckExerciseOptions, kitRoot: string) {
  const from = ingestFrom(options.source ?? { kind: "exercises" }, kitRoot);
  return ingestSubmission(from.dir, [entry], {
    ...(from.layouts ? { layouts: from.layouts } : {}),
    ...(options.fileBytes === undefined ? {} : { fileBytes: options.fileBytes }),
    ...(options.submissionBytes === undefined ? {} : { submissionBytes: options.submissionBytes }),
  });
}

/** The type check's rows (`sandbox/typecheck.ts`), reported as the run's first step. */
async function typeCheckRows(
  entry: CatalogEntry,
  dir: string,
  options: CheckExerciseOptions & { kitRoot: string },
  total: number,
) {
  options.onProgress?.({ exercise: entry.slug, check: TYPE_CHECK_NAME, index: 0, total });
  // The batch checks a student's exercises in one deno check and hands each its report.
  const report = await (options.typeCheckReport ?? typeCheck({
    kitRoot: options.kitRoot,
    slug: entry.slug,
    sourceDir: dir,
    files: entry.files,
    signal: options.signal,
    cpus: options.cpus,
  }));
  return typeCheckResults(report);
}

/**
 * Opens, ahead of time, the fresh sandbox an exercise's timed checks will run in, so that its
 * start-up and its pools' warm-up (about a second of waiting) overlap other work: the batch opens
 * it when the exercise's correctness run ends with its timed checks runnable, while the student's
 * other exercises still run, and hands it to the timed run
 * ({@linkcode CheckExerciseOptions.timedSandbox}). No student code runs in it until the timed
 * checks call it. It is never pinned (a timed run has the machine to itself).
 *
 * @param entry The exercise.
 * @param options Where the files come from (an ingested submission), the limits, the signal.
 * @returns The opening sandbox, or `undefined` when the exercise has no timed check.
 *
 * @example Usage
 * ```ts
 * import { openTimedSandbox } from "./runner.ts";
 * import { equal } from "node:assert/strict";
 *
 * const entry = { id: 1, slug: "01_guess_run_times", title: "X", files: ["a.ts"], hint: "h" };
 * equal(await openTimedSandbox(entry, { cores: 2 }), undefined);
 * ```
 */
export async function openTimedSandbox(
  entry: CatalogEntry,
  options: Omit<CheckExerciseOptions, "cpus" | "previous" | "timedSandbox"> = {},
): Promise<Sandbox | undefined> {
  const specs = (CHECKS_BY_SLUG[entry.slug] ?? []).filter((spec) => spec.timed);
  if (specs.length === 0) return undefined;
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  const cores = options.cores ?? await usableCores();
  // The sandbox copies the files by ingestion's rules (no link, no oversized file).
  const dir = await sourceDir(entry, options.source ?? { kind: "exercises" }, kitRoot);
  return await openSandbox(entry, dir, { ...options, kitRoot, cores }, specs);
}
