/**
 * The options and default limits of a sandbox and of one call into it, and the default CPU limit
 * a call gets. Re-exported by `sandbox.ts`.
 *
 * @module
 */
import type { ReferenceOp, StudentOp } from "./_protocol.ts";
import type { Casualties } from "./_failure.ts";

/** Options of `Sandbox.open`. */
export interface SandboxOptions {
  /** The kit's root: its `lib/` is copied into the workspace. */
  kitRoot: string;
  /** The exercise folder's name (`01_guess_run_times`). */
  slug: string;
  /** The folder that holds the student files. */
  sourceDir: string;
  /** The student files to copy (the catalog's `files`). */
  files: readonly string[];
  /** The resident memory cap of the subprocess, in MiB. */
  memoryMb?: number;
  /** The JavaScript heap cap of each isolate, in MiB. */
  heapMb?: number;
  /** How many bytes of the student's output are kept. */
  outputBytes?: number;
  /** How long the subprocess may take to start and connect, in milliseconds. */
  startMs?: number;
  /** Ends the subprocess when aborted. */
  signal?: AbortSignal;
  /** Operations that ended an earlier sandbox of this run (see {@linkcode Casualties}). */
  casualties?: Casualties;
  /** The cores the subprocess is pinned to (`taskset`, Linux): its lane's. Default: not pinned. */
  cpus?: readonly number[];
  /**
   * The pool sizes the checks will ask for: the student Worker starts and warms them up at once
   * when the sandbox opens (a Worker started inside a Worker waits about a second before it runs
   * its first task; warmed together, the pools wait once), and `open` resolves once they are warm
   * (at most 8 s; no student file is loaded by then), so an open sandbox is quiet. Default: none,
   * pools start on demand.
   */
  pools?: readonly number[];
  /**
   * How many spare lib workers the student Worker starts when the sandbox opens, after the pools
   * (`prestartWorkers`): each of the student's own Processes then starts on one at once instead of
   * waiting out a nested Worker's start-up (about 0.5 s on Deno 2.9.6). Default: none.
   */
  spares?: number;
}

/** Options of one sandbox call. */
export interface CallOptions {
  /** Wall-time limit of the call, in milliseconds; past it the subprocess is ended. */
  timeoutMs?: number;
  /**
   * CPU-time limit of the call (every thread of the subprocess), in milliseconds; past it the
   * subprocess is ended with a `timeout`. Default {@linkcode defaultCpuMs}: the wall limit times
   * the threads the call was given plus 3, so it stops only code that runs more threads than it
   * was given (on a machine with more cores than that, it would take them from other lanes).
   */
  cpuMs?: number;
}

/**
 * The default CPU-time limit of a call: its wall limit times the threads it was given (its own,
 * plus its pool's or counter's workers) plus 3 (the processes, manager and GC threads honest code
 * uses beside them). Honest code never reaches it: its CPU time is at most its threads times its
 * wall time. Linux only (`/proc/PID/stat`); elsewhere the wall limit alone applies.
 *
 * @param op The operation.
 * @param timeoutMs The call's wall limit.
 * @returns The CPU limit, in milliseconds.
 *
 * @example Usage
 * ```ts
 * import { defaultCpuMs } from "./_options.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(defaultCpuMs({ op: "call", file: "a.ts", name: "f", args: [] }, 1000), 4000);
 * equal(defaultCpuMs({ op: "call", file: "a.ts", name: "f", args: [], pool: 2 }, 1000), 6000);
 * ```
 */
export function defaultCpuMs(op: StudentOp | ReferenceOp, timeoutMs: number): number {
  const workers = "pool" in op && op.pool ? op.pool : "workers" in op ? op.workers : 0;
  return timeoutMs * (1 + workers + 3);
}

/**
 * The default limits.
 *
 * @example Usage
 * ```ts
 * import { SANDBOX_DEFAULTS } from "./_options.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(SANDBOX_DEFAULTS.heapMb < SANDBOX_DEFAULTS.memoryMb);
 * ```
 */
export const SANDBOX_DEFAULTS = {
  memoryMb: 1536,
  heapMb: 1024,
  outputBytes: 16 * 1024,
  startMs: 15_000,
  timeoutMs: 10_000,
} as const;
