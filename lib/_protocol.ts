/**
 * The one message protocol between `lib/` and its workers (`_worker.ts`): what the main side sends
 * (`ToWorker`), what a worker answers (`FromWorker`), and what a worker is started with
 * (`WorkerSetup`, its `workerData`).
 *
 * A unit of work is a {@linkcode Job}: one task applied to one or more argument lists (a chunk, in
 * Python's words). Jobs travel in batches, several per message, so that many small tasks share one
 * `postMessage`; a worker runs them one after another and answers in batches too. Task references
 * travel once per worker as {@linkcode TaskDef}s; jobs then name their task by index.
 *
 * Arguments and results inside jobs are encoded with `encodeShared` (`_shareable.ts`) and revived
 * with `reviveShared` on arrival.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { MessagePort } from "node:worker_threads";

/** A task reference as it travels: the module's URL and the function's name. */
export interface TaskRef {
  /** The absolute URL of the module that defines the task. */
  readonly module: string;
  /** The name the task is registered or exported under. */
  readonly name: string;
}

/** Introduces a task to a worker under a small index that later jobs use. */
export interface TaskDef extends TaskRef {
  /** The index jobs use for this task; unique per worker. */
  readonly index: number;
}

/** One unit of work: a task applied to each item of `items`, in order. */
export interface Job {
  /** Unique among the jobs in flight on the sending side. */
  readonly id: number;
  /** The task's index, introduced by a {@linkcode TaskDef} in this message or an earlier one. */
  readonly task: number;
  /**
   * One encoded item per call: one for `apply`, a chunk for `map`. Each item is the call's
   * argument list when `spread` is true, its one argument otherwise (`map`: a flat array of values
   * clones about fifty times faster than an array of one-element arrays).
   */
  readonly items: readonly unknown[];
  /** Whether each item is an argument list to spread, or the call's one argument. */
  readonly spread: boolean;
}

/** Main to worker: run these jobs after the ones already queued. */
export interface RunMessage {
  readonly type: "run";
  /** Tasks this worker has not seen before. */
  readonly defs: readonly TaskDef[];
  /** The jobs, in the order the worker runs them. */
  readonly jobs: readonly Job[];
}

/** Main to worker: finish the queued jobs, answer them, then exit with code 0. */
export interface ExitMessage {
  readonly type: "exit";
}

/** Main to a spare worker (started with no setup): what to run with; it arrives first, once. */
export interface SetupMessage {
  readonly type: "setup";
  /** What the worker would have been started with. */
  readonly setup: WorkerSetup;
}

/** Every message the main side sends to a worker. */
export type ToWorker = SetupMessage | RunMessage | ExitMessage;

/** An error as it travels: enough to rebuild it with its worker-side stack. */
export interface WireError {
  /** The error's `name` (`"TypeError"`), or `"Error"` when a non-error value was thrown. */
  readonly name: string;
  /** The error's message, or the thrown value as text. */
  readonly message: string;
  /** The stack as the worker saw it, when there was one. */
  readonly stack?: string;
  /** The error's `code`, when it had a string one (`"ERR_WORKER_OUT_OF_MEMORY"`). */
  readonly code?: string;
  /** The error's `cause`, when that was an error too. */
  readonly cause?: WireError;
}

/** A job whose every call returned. */
export interface JobDone {
  readonly id: number;
  readonly ok: true;
  /** One encoded result per item, in order. */
  readonly values: unknown[];
  /** Milliseconds spent inside the task function for this job, measured in the worker. */
  readonly busyMs: number;
}

/** A job in which a call threw (or its result could not be sent); later items did not run. */
export interface JobFailed {
  readonly id: number;
  readonly ok: false;
  /** What was thrown. */
  readonly error: WireError;
  /** The index of the item that failed. */
  readonly index: number;
  /**
   * True when no call threw but the job's results could not be cloned: `error` is then lib's own
   * `TypeError`, whose `cause` is the clone error.
   */
  readonly unsendable?: true;
  /** Milliseconds spent inside the task function for this job, measured in the worker. */
  readonly busyMs: number;
}

/** The outcome of one job. */
export type JobResult = JobDone | JobFailed;

/** Worker to main: these jobs finished, in the order they ran. */
export interface DoneMessage {
  readonly type: "done";
  readonly results: readonly JobResult[];
}

/** Worker to main: the worker cannot run tasks (its initializer threw) and is exiting with code 1. */
export interface FatalMessage {
  readonly type: "fatal";
  readonly error: WireError;
}

/** Every message a worker sends to the main side. */
export type FromWorker = DoneMessage | FatalMessage;

/** What a worker starts with, passed as its `workerData`. */
export interface WorkerSetup {
  /**
   * `"pool"`: run jobs until told to exit. `"once"` (for `Process`): run the first job, answer it,
   * then exit with code 0 when it succeeded, 1 when it threw (after printing the error to stderr,
   * as Python prints a process's traceback).
   */
  readonly mode: "pool" | "once";
  /** A task to run once before any job; its failure is fatal to the worker. */
  readonly initializer?: TaskRef;
  /** The initializer's encoded arguments. */
  readonly initargs?: readonly unknown[];
}

/** A worker's `workerData`: the port on which it is sent {@linkcode ToWorker}s, and its setup. */
export interface WorkerData {
  /** Where the worker's jobs and its exit request arrive (`_spares.ts` `startWorker` says why not `parentPort`). */
  readonly port: MessagePort;
  /** What it runs with; absent for a spare, which waits for a {@linkcode SetupMessage}. */
  readonly setup?: WorkerSetup;
}

/**
 * Describes a thrown value for travel.
 *
 * @param thrown What was thrown.
 * @param depth How many causes deep this is; causes stop after a few levels.
 * @returns Its wire form.
 */
export function toWireError(thrown: unknown, depth = 0): WireError {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    const cause = thrown.cause;
    return {
      name: thrown.name,
      message: thrown.message,
      ...(thrown.stack === undefined ? {} : { stack: thrown.stack }),
      ...(typeof code === "string" ? { code } : {}),
      ...(cause instanceof Error && depth < 4 ? { cause: toWireError(cause, depth + 1) } : {}),
    };
  }
  return { name: "Error", message: describeThrown(thrown) };
}

function describeThrown(thrown: unknown): string {
  if (typeof thrown === "string") return thrown;
  try {
    return `${typeof thrown === "object" ? JSON.stringify(thrown) : String(thrown)}`;
  } catch {
    return String(thrown);
  }
}

/**
 * True when an error is structured clone's refusal to copy a value (a function, a class with
 * private state, a symbol...).
 *
 * @param error The caught error.
 * @returns Whether it is a `DataCloneError`.
 */
export function isDataCloneError(error: unknown): boolean {
  return typeof error === "object" && error !== null &&
    (error as { name?: unknown }).name === "DataCloneError";
}

const TRANSFERS_KEY = Symbol.for("parakit.transfers");

/** One registry per isolate of results whose ArrayBuffers should move rather than be copied. */
function transfers(): WeakMap<object, readonly ArrayBuffer[]> {
  const holder = globalThis as { [TRANSFERS_KEY]?: WeakMap<object, readonly ArrayBuffer[]> };
  return holder[TRANSFERS_KEY] ??= new WeakMap();
}

/**
 * Asks the worker to move `buffers` with `value` when it sends `value` back.
 *
 * @param value A task's result (an object).
 * @param buffers The ArrayBuffers inside it to move.
 */
export function markTransfer(value: object, buffers: readonly ArrayBuffer[]): void {
  transfers().set(value, buffers);
}

/**
 * Takes the buffers {@linkcode markTransfer} registered for a result, if any.
 *
 * @param value A task's result.
 * @returns The buffers to move, or `undefined`.
 */
export function takeTransfer(value: unknown): readonly ArrayBuffer[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const buffers = transfers().get(value);
  if (buffers !== undefined) transfers().delete(value);
  return buffers;
}
