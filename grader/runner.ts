/**
 * The grader's runner: one catalog entry and a folder of student files in, one
 * {@linkcode ExerciseResult} out. It opens a sandbox, runs the exercise's checks in declaration
 * order (reopening the sandbox when a check ended it), scores them, and never throws on student code.
 *
 * @module
 */
import type { CatalogEntry } from "./catalog.ts";
import { KIT_ROOT } from "./_kit_root.ts";
import { CHECKS_BY_SLUG } from "./checks/mod.ts";
import { type CheckContext, type CheckSpec, loadAverage, type Outcome } from "./checks/check.ts";
import {
  capResult,
  capText,
  type CheckResult,
  type ExerciseResult,
  exerciseStatus,
  type Machine,
  RESULT_VERSION,
  TEXT_CAPS,
} from "./result.ts";
import { type Casualties, Sandbox, SANDBOX_DEFAULTS, SandboxFailure } from "./sandbox/sandbox.ts";
import {
  describeProblems,
  findExerciseFolder,
  type IngestProblem,
  ingestSubmission,
} from "./sandbox/ingest.ts";
import { usableCores } from "./measure/timing.ts";
import {
  repeatedError,
  TYPE_CHECK_NAME,
  typeCheck,
  typeCheckResults,
} from "./sandbox/typecheck.ts";

/** Each exercise's checks, by folder name (the list lives in `checks/mod.ts`). */
export { CHECKS_BY_SLUG };

/**
 * Where the student files come from: the kit's `exercises/`, its hidden `solutions/`, or a
 * submission folder in either layout of the contract (`DIR/<slug>/` or `DIR/exercises/<slug>/`).
 */
export type Source =
  | { kind: "exercises" }
  | { kind: "solutions" }
  | { kind: "submission"; dir: string };

/** A progress event: which check of how many is running, and what it is doing. */
export interface ProgressEvent {
  /** The exercise's folder name. */
  exercise: string;
  /** The check's name. */
  check: string;
  /** Its index, 0-based. */
  index: number;
  /** How many checks the exercise has. */
  total: number;
  /** What it is doing now, when it says. */
  detail?: string;
}

/** Options of {@linkcode checkExercise}. */
export interface CheckExerciseOptions {
  /** The kit's root folder (its `lib/` is the one the student's code gets). Default: this kit. */
  kitRoot?: string;
  /** Where the student files come from. Default `{ kind: "exercises" }`. */
  source?: Source;
  /** Whether timed (speedup) checks run; when `false` they are `skipped`. Default `true`. */
  timed?: boolean;
  /** Wall-time limit of one sandbox call, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Resident memory cap of the sandbox subprocess, in MiB. Default 1536. */
  memoryMb?: number;
  /** JavaScript heap cap per isolate in the sandbox, in MiB. Default 1024. */
  heapMb?: number;
  /** Bytes of student output kept. Default 16 KiB. */
  outputBytes?: number;
  /** The cores to assume; default: what the process can really use. */
  cores?: number;
  /** The seed of random inputs; default: from the clock. */
  seed?: number;
  /** Stops the run: the sandbox is ended and the remaining checks are `skipped`. */
  signal?: AbortSignal;
  /** Called when a check starts and when it reports what it does. */
  onProgress?: (event: ProgressEvent) => void;
  /** The largest student file taken, in bytes (ingestion). Default 256 KiB. */
  fileBytes?: number;
  /** The most bytes taken from the student's files, in bytes (ingestion). Default 2 MiB. */
  submissionBytes?: number;
  /**
   * What an earlier ingestion refused (the batch takes a whole submission at once): reported on
   * this exercise's row beside what this run's own ingestion refuses.
   */
  problems?: readonly IngestProblem[];
  /**
   * A result of this exercise with timed checks off: when given, only the timed checks run and
   * every other check's result is taken from it (the batch's exclusive timed phase).
   */
  previous?: ExerciseResult;
  /** The cores the sandboxes are pinned to (the batch's lane). Default: not pinned. */
  cpus?: readonly number[];
  /** Whether the student files are type-checked first (`grader/sandbox/typecheck.ts`). Default `true`. */
  typeCheck?: boolean;
  /**
   * A sandbox opened ahead for the timed checks ({@linkcode openTimedSandbox}), used instead of
   * opening a fresh one when they start; closed by this run whether it was used or not. Default:
   * with timed checks on and no `previous`, one is opened when the run starts.
   */
  timedSandbox?: Promise<Sandbox | undefined>;
}

/** The name of the check that reports what ingestion refused (links, devices, oversized files). */
export const INGEST_CHECK = "the submitted files are the student's own";

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
  const source = options.source ?? { kind: "exercises" };
  const timed = options.timed ?? true;
  const timeoutMs = options.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs;
  const cores = options.cores ?? await usableCores();
  const seed = options.seed ?? (Date.now() % 1_000_000);
  const specs = CHECKS_BY_SLUG[entry.slug];
  if (!specs) throw new Error(`The grader has no checks for exercise ${entry.slug}`);
  // Ingestion: the student's files are copied into a private tree first; only that copy is graded.
  const from = ingestFrom(source, kitRoot);
  await using copy = await ingestSubmission(from.dir, [entry], {
    ...(from.layouts ? { layouts: from.layouts } : {}),
    ...(options.fileBytes === undefined ? {} : { fileBytes: options.fileBytes }),
    ...(options.submissionBytes === undefined ? {} : { submissionBytes: options.submissionBytes }),
  });
  const dir = `${copy.root}/${entry.slug}`;
  const problems = [
    ...(options.problems ?? []).filter((problem) => problem.exercise === entry.slug),
    ...copy.problems,
  ];
  const previous = options.previous;

  let sandbox: Sandbox | undefined;
  const casualties: Casualties = new Map();
  const open = (which: readonly CheckSpec[]) =>
    openSandbox(entry, dir, { ...options, kitRoot, cores, casualties }, which);
  const timedSpecs = timed ? specs.filter((spec) => spec.timed) : [];
  const untimedSpecs = specs.filter((spec) => !spec.timed);
  // The timed checks' fresh sandbox opens now, beside the correctness checks: its start-up and its
  // pools' warm-up (about a second of waiting, see SandboxOptions.pools) overlap their work.
  let spare: Promise<Sandbox | undefined> | undefined = options.timedSandbox ??
    (timedSpecs.length > 0 && !previous ? open(timedSpecs) : undefined);
  spare?.catch(() => {});
  let output = previous?.output ?? "";
  const collect = async () => {
    if (!sandbox) return;
    const current = sandbox;
    sandbox = undefined;
    await current.close();
    if (current.output) {
      output = capText(output + (output ? "\n" : "") + current.output, TEXT_CAPS.output);
    }
  };
  // The timed phase keeps what the correctness phase found of the files (ingestion, type check).
  const results: CheckResult[] = previous
    ? previous.checks.filter((check) =>
      check.name === INGEST_CHECK || check.name === TYPE_CHECK_NAME
    )
    : problems.length > 0
    ? [{
      name: INGEST_CHECK,
      status: "error",
      message: capText(describeProblems(problems), TEXT_CAPS.message),
      score: 0,
      maxScore: 0,
    }]
    : [];
  const memos = new Map<string, Promise<unknown>>();
  const memo = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!memos.has(key)) memos.set(key, make());
    return memos.get(key) as Promise<T>;
  };
  try {
    if ((options.typeCheck ?? true) && !previous) {
      options.onProgress?.({
        exercise: entry.slug,
        check: TYPE_CHECK_NAME,
        index: 0,
        total: specs.length,
      });
      const report = await typeCheck({
        kitRoot,
        slug: entry.slug,
        sourceDir: dir,
        files: entry.files,
        signal: options.signal,
      });
      results.push(...typeCheckResults(report));
    }
    for (const [index, spec] of specs.entries()) {
      const report = (detail?: string) =>
        options.onProgress?.({
          exercise: entry.slug,
          check: spec.name,
          index,
          total: specs.length,
          ...(detail ? { detail } : {}),
        });
      const kept = previous && !spec.timed
        ? previous.checks.find((check) => check.name === spec.name)
        : undefined;
      if (kept) {
        results.push(kept);
        continue;
      }
      report();
      // A timed check gets a fresh sandbox: the correctness checks' inputs (numbers near 1e12, say)
      // leave type feedback in the student's workers that can slow their code down by half.
      const fresh = spec.timed && timed;
      if (fresh) await collect();
      const outcome = await runOne(spec, {
        sandbox: async () => {
          if (sandbox?.failure) await collect();
          if (!sandbox && fresh && spare) {
            const ready = spare;
            spare = undefined;
            sandbox = await ready;
            // One that ended while it waited (the budget, say) is replaced like any ended sandbox.
            if (sandbox?.failure && !options.signal?.aborted) await collect();
          }
          sandbox ??= await open(fresh ? timedSpecs : untimedSpecs);
          return sandbox;
        },
        kitRoot,
        timed,
        cores,
        timeoutMs,
        seed,
        progress: report,
        passed: (name) => results.some((r) => r.name === name && r.status === "passed"),
        memo,
      }, { timed, signal: options.signal, results });
      const repeated = outcome.status === "error"
        ? repeatedError(outcome.message, results)
        : undefined;
      results.push({
        name: spec.name,
        status: outcome.status,
        // Messages carry the student's error names, messages and values: capped where they enter.
        message: repeated
          ? `The same error as "${repeated.name}" above`
          : capText(outcome.message, TEXT_CAPS.message),
        score: outcome.status === "passed" ? spec.points : 0,
        maxScore: outcome.status === "skipped" ? 0 : spec.points,
        ...(outcome.measurements ? { measurements: outcome.measurements } : {}),
      });
    }
  } finally {
    await collect();
    await spare?.then((unused) => unused?.close(), () => {});
  }
  const score = results.reduce((sum, r) => sum + r.score, 0);
  const maxScore = results.reduce((sum, r) => sum + r.maxScore, 0);
  return capResult({
    version: RESULT_VERSION,
    exercise: entry.slug,
    status: exerciseStatus(results),
    score,
    maxScore,
    checks: results,
    ...(output ? { output } : {}),
    checkedAt,
    seconds: (performance.now() - started) / 1000,
    machine: machine(cores),
  });
}

/** Opens a sandbox on an exercise's files for the given checks, with their pools warmed. */
function openSandbox(
  entry: CatalogEntry,
  dir: string,
  options: CheckExerciseOptions & { kitRoot: string; cores: number; casualties?: Casualties },
  specs: readonly CheckSpec[],
): Promise<Sandbox> {
  return Sandbox.open({
    kitRoot: options.kitRoot,
    slug: entry.slug,
    sourceDir: dir,
    files: entry.files,
    memoryMb: options.memoryMb,
    heapMb: options.heapMb,
    outputBytes: options.outputBytes,
    signal: options.signal,
    ...(options.casualties ? { casualties: options.casualties } : {}),
    pools: poolsOf(specs, options.cores),
    ...(options.cpus ? { cpus: options.cpus } : {}),
  });
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

/** Every pool size the given checks ask for (`CheckSpec.pools`), each once. */
function poolsOf(specs: readonly CheckSpec[], cores: number): number[] {
  return [...new Set(specs.flatMap((spec) => spec.pools?.(cores) ?? []))];
}

async function runOne(
  spec: CheckSpec,
  context: CheckContext,
  run: { timed: boolean; signal?: AbortSignal; results: readonly CheckResult[] },
): Promise<Outcome> {
  if (run.signal?.aborted) {
    // A submission's spent budget ends its run with the reason the batch gave.
    const reason = run.signal.reason;
    if (reason instanceof SandboxFailure) return { status: reason.status, message: reason.message };
    return { status: "skipped", message: "Not run: the check was cancelled" };
  }
  if (spec.timed && !run.timed) {
    return { status: "skipped", message: "Not timed in this run (timed checks are off)" };
  }
  for (const name of spec.requires ?? []) {
    const earlier = run.results.find((r) => r.name === name);
    if (earlier?.status !== "passed") {
      return {
        status: "failed",
        message: `Not run: "${name}" must pass first (nothing is timed until it is right)`,
      };
    }
  }
  try {
    return await spec.run(context);
  } catch (error) {
    if (error instanceof SandboxFailure) {
      if (run.signal?.aborted) {
        const reason = run.signal.reason;
        if (reason instanceof SandboxFailure) {
          return { status: reason.status, message: reason.message };
        }
        return { status: "skipped", message: "Not finished: the check was cancelled" };
      }
      return { status: error.status, message: error.message };
    }
    throw error;
  }
}
