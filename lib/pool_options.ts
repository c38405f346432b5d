/**
 * The options objects of `Pool`: how to start one, and what each of its calls takes. `pool.ts`
 * re-exports these types.
 *
 * @module
 */
import type { AsyncResultCallbacks } from "./async_result.ts";
import type { Task } from "./task.ts";

/** How to start a `Pool`. */
export interface PoolOptions {
  /** How many workers to start: a positive integer; `cpuCount()` by default. */
  readonly processes?: number;
  /**
   * A task every worker runs once when it starts, before any other task (to load data or set up
   * globals). If it throws, the pool is broken (see `BrokenPoolError`).
   */
  readonly initializer?: Task<never[], unknown>;
  /** The initializer's arguments; `[]` by default. */
  readonly initargs?: readonly unknown[];
  /**
   * How many jobs (a call of `apply`, or one chunk of a `map`) a worker runs before it is replaced
   * by a fresh one, as in Python, to release what tasks leak; unlimited by default.
   */
  readonly maxTasksPerChild?: number;
  /**
   * Each worker's heap limit in MiB. A task that needs more ends its worker with an out-of-memory
   * error instead of aborting the whole process; the pool is then broken. V8's default otherwise.
   * (Deno 2.9 caveat: an `async` task that runs out of memory after an `await` hangs its worker
   * instead; a synchronous task, the usual case, is contained.)
   */
  readonly maxHeapMb?: number;
}

/** Options every call takes. */
export interface CallOptions {
  /**
   * Abandons the call when aborted: its tasks that have not started are not sent, the call rejects
   * with the signal's reason, and results of tasks already running are dropped. A running task
   * cannot be stopped from outside; it runs to its end.
   */
  readonly signal?: AbortSignal;
}

/** Options for `Pool.apply()`. */
export interface ApplyOptions extends CallOptions {
  /** ArrayBuffers inside the arguments to move to the worker instead of copying them. */
  readonly transfer?: readonly ArrayBuffer[];
}

/**
 * Options for `Pool.applyAsync()`.
 *
 * @typeParam R The task's result.
 */
export interface ApplyAsyncOptions<R> extends ApplyOptions, AsyncResultCallbacks<R> {}

/** Options for `Pool.map()` and `Pool.starmap()`. */
export interface MapOptions extends CallOptions {
  /**
   * How many items travel to a worker together. By default Python's rule:
   * `ceil(items / (4 × workers))` (see `defaultChunksize()`).
   */
  readonly chunksize?: number;
}

/**
 * Options for `Pool.mapAsync()` and `Pool.starmapAsync()`.
 *
 * @typeParam R The task's result.
 */
export interface MapAsyncOptions<R> extends MapOptions, AsyncResultCallbacks<R[]> {}

/** Options for `Pool.imap()` and `Pool.imapUnordered()`. */
export interface ImapOptions extends CallOptions {
  /** How many items travel to a worker together; 1 by default (as in Python). */
  readonly chunksize?: number;
  /**
   * The backpressure bound: the most chunks sent but not yet read by the loop. The input is read
   * only as the loop consumes results, so an endless input works; `16 × workers` by default.
   * The window refills once half of it has been read, so chunks travel in batches.
   */
  readonly bufferSize?: number;
}
