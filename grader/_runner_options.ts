/**
 * The runner's options: where the student files come from, the sandbox's limits, timing on or off,
 * the batch's phases. Their own file so the runner's parts need not import the runner; imported
 * through `runner.ts`.
 *
 * @module
 */
import type { ExerciseResult } from "./result.ts";
import type { Sandbox } from "./sandbox/sandbox.ts";
import type { IngestProblem } from "./sandbox/ingest.ts";
import type { TypeCheckReport } from "./sandbox/typecheck.ts";
import type { ProgressEvent } from "./_runner_checks.ts";

/**
 * Where the student files come from: the kit's `exercises/`, its hidden `solutions/`, or a
 * submission folder in either layout of the contract (`DIR/<slug>/` or `DIR/exercises/<slug>/`).
 */
export type Source =
  | { kind: "exercises" }
  | { kind: "solutions" }
  | { kind: "submission"; dir: string };

/** Options of `checkExercise` (`runner.ts`). */
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
   * The type check's report of these files, made by the caller (the batch checks a student's
   * exercises at once, `typeCheckStudent`), used instead of running `deno check` here. Default:
   * this run type-checks its own copy.
   */
  typeCheckReport?: Promise<TypeCheckReport>;
  /**
   * A sandbox opened ahead for the timed checks (`openTimedSandbox`), used instead of
   * opening a fresh one when they start; closed by this run whether it was used or not. Default:
   * with timed checks on and no `previous`, one is opened when the run starts.
   */
  timedSandbox?: Promise<Sandbox | undefined>;
}
