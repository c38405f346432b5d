/**
 * {@linkcode Pool}: a pool of worker threads that runs tasks in parallel, after Python's
 * `multiprocessing.Pool`. `await pool.map(tasks.sum, blocks)` reads like the lesson's
 * `p.map(sum, input_list)`.
 *
 * This file is the one public class with its two helpers, and stays over 300 lines because each of
 * the class's methods carries its documented, tested example. What it is built on lives beside
 * it: its options (`pool_options.ts`) and statistics (`pool_stats.ts`) types, its checks
 * (`_pool_checks.ts`), the owners that settle its results (`_owners.ts`), its engine
 * (`_engine.ts`) and lazy `imap` (`_imap.ts`).
 *
 * @module
 */
import {
  AsyncResult,
  BrokenPoolError,
  createAsyncResult,
  PoolClosedError,
} from "./async_result.ts";
import { Engine } from "./_engine.ts";
import { argumentList, imapResults } from "./_imap.ts";
import { ApplyOwner, MapOwner } from "./_owners.ts";
import { checkPositiveInteger, checkTransfer, engineOptions } from "./_pool_checks.ts";
import { encodeShared } from "./_shareable.ts";
import type { Task } from "./task.ts";
import { assertTask } from "./task.ts";
import { markTransfer } from "./_protocol.ts";
import { assertNotImportingTaskModule } from "./_children.ts";
import type {
  ApplyAsyncOptions,
  ApplyOptions,
  ImapOptions,
  MapAsyncOptions,
  MapOptions,
  PoolOptions,
} from "./pool_options.ts";
import type { PoolStats } from "./pool_stats.ts";

export { AsyncResult, BrokenPoolError, PoolClosedError };
export type {
  ApplyAsyncOptions,
  ApplyOptions,
  CallOptions,
  ImapOptions,
  MapAsyncOptions,
  MapOptions,
  PoolOptions,
} from "./pool_options.ts";
export type { PoolStats, WorkerStats } from "./pool_stats.ts";

/**
 * Python's default chunksize for `map`: `ceil(items / (4 × workers))`, and 0 when there are no
 * items.
 *
 * @param items How many items the map has.
 * @param workers How many workers the pool has.
 * @returns The chunksize.
 *
 * @example Usage
 * ```ts
 * import { defaultChunksize } from "./pool.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(defaultChunksize(1000, 2), 125);
 * equal(defaultChunksize(9, 2), 2);
 * equal(defaultChunksize(0, 2), 0);
 * ```
 */
export function defaultChunksize(items: number, workers: number): number {
  return Math.ceil(items / (4 * workers));
}

/**
 * Marks a task's result so that its worker moves `buffers` back to the caller instead of copying
 * them (the worker's copies become empty). Call it in the task, on the value it returns.
 * SharedArrayBuffers need no marking: they always travel shared.
 *
 * @typeParam T The result's type.
 * @param value The result (an object, such as a typed array).
 * @param buffers The ArrayBuffers inside it to move.
 * @returns `value` itself.
 * @throws {TypeError} If `value` is not an object or a buffer is not an ArrayBuffer.
 *
 * @example Usage
 * ```ts
 * import { transferResult } from "./pool.ts";
 * import { equal } from "node:assert/strict";
 *
 * // In a task: `return transferResult(samples, [samples.buffer]);`
 * const samples = new Float64Array(4);
 * equal(transferResult(samples, [samples.buffer]), samples);
 * ```
 */
export function transferResult<T extends object>(value: T, buffers: readonly ArrayBuffer[]): T {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`Cannot transfer result: expected an object: received ${typeof value}`);
  }
  if (!Array.isArray(buffers) || !buffers.every((buffer) => buffer instanceof ArrayBuffer)) {
    throw new TypeError("Cannot transfer result: buffers must be an array of ArrayBuffers");
  }
  markTransfer(value, buffers);
  return value;
}

/**
 * A pool of worker threads (`node:worker_threads`) that runs tasks in parallel, after Python's
 * `multiprocessing.Pool`. A worker cannot receive a function, so tasks are typed references made
 * with `defineTasks` (see `task.ts`); their argument and result types flow to every call.
 *
 * - `map` / `starmap` keep input order; `mapAsync`, `starmapAsync` and `applyAsync` return an
 *   {@linkcode AsyncResult}; `imap` / `imapUnordered` are async iterables with backpressure.
 * - A task's error rejects the call with the same name and message, and the worker's stack as its
 *   `cause`. A result that cannot be cloned rejects with a `TypeError` naming the task, whose
 *   `cause` is the clone error (a `DataCloneError`), as CPython's `MaybeEncodingError` keeps the
 *   pickling error; the worker lives on.
 * - A worker that dies (`Deno.exit`, an uncaught error outside a task, out of memory) breaks the
 *   pool, as `concurrent.futures` does (Python's `multiprocessing.Pool` hangs instead): pending
 *   calls reject with {@linkcode BrokenPoolError}, later calls throw it, instead of a hang (one
 *   exception in Deno 2.9: see `maxHeapMb`).
 * - `close()` then `join()` finishes the queued work and lets the workers exit; `terminate()`
 *   stops them now. `terminate()` cannot stop a task spinning in `while (true) {}`: the pool
 *   forgets the worker and the process can still exit, but that thread burns a core until it does.
 * - `await using pool = new Pool()` closes and joins at the end of the block (like
 *   `concurrent.futures`' `with`, unlike `multiprocessing.Pool`'s `with`, which terminates), so
 *   work still running finishes; call `terminate()` first to stop it instead.
 * - Idle workers do not keep the process alive, so a forgotten pool does not hang the program.
 *
 * @example Usage
 * ```ts
 * import { Pool } from "./pool.ts";
 * import { deepEqual } from "node:assert/strict";
 * // A task module: `export const tasks = defineTasks(import.meta.url, { sum, ... })`. Workers
 * // import it, so its top-level code must not start pools (guard with `if (import.meta.main)`).
 * import { tasks } from "./testdata/tasks.ts";
 *
 * await using pool = new Pool({ processes: 2 });
 * deepEqual(await pool.map(tasks.sum, [[1, 2], [3, 4], [5]]), [3, 7, 5]);
 * ```
 */
export class Pool implements AsyncDisposable {
  readonly #engine: Engine;
  readonly #processes: number;

  /**
   * Starts the workers.
   *
   * @param options How many workers, their initializer, their limits.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `processes`, `maxTasksPerChild` or `maxHeapMb` is out of range.
   * @throws {Error} If called by a task module's top-level code as a worker imports it (guard such
   * code with `if (import.meta.main)`, as Python's `if __name__ == "__main__"`).
   */
  constructor(options: PoolOptions = {}) {
    assertNotImportingTaskModule("start pool");
    const checked = engineOptions(options);
    this.#processes = checked.processes;
    this.#engine = new Engine(checked);
  }

  /** How many workers the pool runs (its `processes` option). */
  get processes(): number {
    return this.#processes;
  }

  /**
   * Runs one task and waits for its result, Python's `apply`. Python's keyword arguments
   * (`apply(f, args, kwds)`) have no JavaScript form: a task that wants named arguments takes
   * one object.
   *
   * @typeParam A The task's argument list.
   * @typeParam R The task's result.
   * @param task The task.
   * @param args Its arguments.
   * @param options An abort signal; ArrayBuffers to transfer.
   * @returns The task's result.
   * @throws {PoolClosedError} If the pool is closed or terminated.
   * @throws {BrokenPoolError} If a worker died.
   * @throws {unknown} The task's error, with the worker's stack as its `cause`.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { equal } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 1 });
   * equal(await pool.apply(tasks.add, [2, 3]), 5);
   * ```
   */
  async apply<A extends readonly unknown[], R>(
    task: Task<A, R>,
    args: NoInfer<A>,
    options: ApplyOptions = {},
  ): Promise<R> {
    return await this.#applyAsync(task, args, options, "apply").get();
  }

  /**
   * Starts one task and returns at once, Python's `apply_async`. Tasks started in the same tick
   * travel to the workers together.
   *
   * @typeParam A The task's argument list.
   * @typeParam R The task's result.
   * @param task The task.
   * @param args Its arguments.
   * @param options Callbacks, an abort signal, ArrayBuffers to transfer.
   * @returns The task's {@linkcode AsyncResult}.
   * @throws {TypeError} If `task` is not a task, `args` not an array, or `transfer` not an array
   * of ArrayBuffers.
   * @throws {PoolClosedError} If the pool is closed or terminated.
   * @throws {BrokenPoolError} If a worker died.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { equal } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 2 });
   * const results = [1, 2, 3].map((x) => pool.applyAsync(tasks.square, [x]));
   * equal(await results[2]!.get(), 9);
   * ```
   */
  applyAsync<A extends readonly unknown[], R>(
    task: Task<A, R>,
    args: NoInfer<A>,
    options: ApplyAsyncOptions<R> = {},
  ): AsyncResult<R> {
    return this.#applyAsync(task, args, options, "applyAsync");
  }

  // `caller` names the public method in error messages (`apply` runs on this too).
  #applyAsync<A extends readonly unknown[], R>(
    task: Task<A, R>,
    args: NoInfer<A>,
    options: ApplyAsyncOptions<R>,
    caller: string,
  ): AsyncResult<R> {
    assertTask(task, caller);
    if (!Array.isArray(args)) {
      throw new TypeError(
        `Cannot ${caller}: args must be an array of arguments: received ${typeof args}`,
      );
    }
    const { signal, transfer } = options;
    if (transfer !== undefined) checkTransfer(transfer, caller);
    this.#assertAccepting(caller);
    const [result, settle] = createAsyncResult<R>(options);
    if (signal?.aborted) {
      settle.reject(signal.reason);
      return result;
    }
    const owner = new ApplyOwner(settle);
    const job = this.#engine.submit(task, [encodeShared(args)], true, owner, 0, transfer);
    if (signal !== undefined) owner.watch(this.#engine, job, signal);
    return result;
  }

  /**
   * Runs a task on every item and returns the results in input order, Python's `map`. The items
   * travel in chunks of `chunksize` (Python's rule by default).
   *
   * @typeParam T The task's one argument.
   * @typeParam R The task's result.
   * @param task A task of one argument.
   * @param iterable The items.
   * @param options The chunksize; an abort signal.
   * @returns One result per item, in input order.
   * @throws {TypeError} If `task` is not a task.
   * @throws {RangeError} If `chunksize` is not a positive integer.
   * @throws {PoolClosedError} If the pool is closed or terminated.
   * @throws {BrokenPoolError} If a worker died.
   * @throws {unknown} The first failing item's error (in completion order).
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { deepEqual } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 2 });
   * deepEqual(await pool.map(tasks.square, [1, 2, 3, 4]), [1, 4, 9, 16]);
   * ```
   */
  async map<T, R>(
    task: Task<[T], R>,
    iterable: Iterable<NoInfer<T>>,
    options: MapOptions = {},
  ): Promise<R[]> {
    return await this.#mapAsync<R>(task, iterable, options, false, "map").get();
  }

  /**
   * Starts a `map` and returns at once, Python's `map_async`.
   *
   * @typeParam T The task's one argument.
   * @typeParam R The task's result.
   * @param task A task of one argument.
   * @param iterable The items (read at once).
   * @param options The chunksize; callbacks; an abort signal.
   * @returns An {@linkcode AsyncResult} of the results in input order.
   * @throws {TypeError} If `task` is not a task or `iterable` is not iterable.
   * @throws {RangeError} If `chunksize` is not a positive integer.
   * @throws {PoolClosedError} If the pool is closed or terminated.
   * @throws {BrokenPoolError} If a worker died.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { deepEqual } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 2 });
   * let seen: number[] = [];
   * const result = pool.mapAsync(tasks.square, [1, 2, 3], { callback: (r) => seen = r });
   * deepEqual(await result.get(), [1, 4, 9]);
   * deepEqual(seen, [1, 4, 9]);
   * ```
   */
  mapAsync<T, R>(
    task: Task<[T], R>,
    iterable: Iterable<NoInfer<T>>,
    options: MapAsyncOptions<R> = {},
  ): AsyncResult<R[]> {
    return this.#mapAsync(task, iterable, options, false, "mapAsync");
  }

  /**
   * Like {@linkcode Pool.map}, with each item an argument list, Python's `starmap`.
   *
   * @typeParam A The task's argument list.
   * @typeParam R The task's result.
   * @param task The task.
   * @param iterable One argument list per call.
   * @param options The chunksize; an abort signal.
   * @returns One result per item, in input order.
   * @throws {TypeError} If `task` is not a task or an item is not an array.
   * @throws {RangeError} If `chunksize` is not a positive integer.
   * @throws {PoolClosedError} If the pool is closed or terminated.
   * @throws {BrokenPoolError} If a worker died.
   * @throws {unknown} The first failing item's error (in completion order).
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { deepEqual } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 2 });
   * deepEqual(await pool.starmap(tasks.add, [[2, 3], [3, 4]]), [5, 7]);
   * ```
   */
  async starmap<A extends readonly unknown[], R>(
    task: Task<A, R>,
    iterable: Iterable<NoInfer<A>>,
    options: MapOptions = {},
  ): Promise<R[]> {
    return await this.#mapAsync<R>(task, iterable, options, true, "starmap").get();
  }

  /**
   * Starts a `starmap` and returns at once, Python's `starmap_async`.
   *
   * @typeParam A The task's argument list.
   * @typeParam R The task's result.
   * @param task The task.
   * @param iterable One argument list per call (read at once).
   * @param options The chunksize; callbacks; an abort signal.
   * @returns An {@linkcode AsyncResult} of the results in input order.
   * @throws {TypeError} If `task` is not a task or an item is not an array.
   * @throws {RangeError} If `chunksize` is not a positive integer.
   * @throws {PoolClosedError} If the pool is closed or terminated.
   * @throws {BrokenPoolError} If a worker died.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { deepEqual } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 2 });
   * deepEqual(await pool.starmapAsync(tasks.add, [[5, 1], [1, 5]]).get(), [6, 6]);
   * ```
   */
  starmapAsync<A extends readonly unknown[], R>(
    task: Task<A, R>,
    iterable: Iterable<NoInfer<A>>,
    options: MapAsyncOptions<R> = {},
  ): AsyncResult<R[]> {
    return this.#mapAsync(task, iterable, options, true, "starmapAsync");
  }

  #mapAsync<R>(
    task: Task<never[], unknown>,
    iterable: Iterable<unknown>,
    options: MapAsyncOptions<R>,
    star: boolean,
    caller: string,
  ): AsyncResult<R[]> {
    assertTask(task, caller);
    if (typeof (iterable as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== "function") {
      throw new TypeError(
        `Cannot ${caller}: expected an iterable of items: received ${typeof iterable}`,
      );
    }
    const { signal } = options;
    const chunksizeOption = options.chunksize;
    if (chunksizeOption !== undefined) {
      checkPositiveInteger(chunksizeOption, `Cannot ${caller}: chunksize`);
    }
    this.#assertAccepting(caller);
    const items = encodeShared(
      star ? Array.from(iterable, (item) => argumentList(item, caller)) : Array.from(iterable),
    ) as unknown[];
    const [result, settle] = createAsyncResult<R[]>(options);
    if (signal?.aborted) {
      settle.reject(signal.reason);
      return result;
    }
    const chunksize = chunksizeOption ?? defaultChunksize(items.length, this.#processes);
    const owner = new MapOwner<R>(this.#engine, settle, items.length);
    for (let start = 0; start < items.length; start += chunksize) {
      owner.jobs.push(
        this.#engine.submit(task, items.slice(start, start + chunksize), star, owner, start),
      );
    }
    if (items.length === 0) settle.resolve([]);
    else if (signal !== undefined) owner.watch(signal);
    return result;
  }

  /**
   * Runs a task on every item and yields the results in input order as they come, Python's
   * `imap`. The input (sync or async) is read lazily, at most `bufferSize` chunks ahead of the
   * loop. Leaving the loop early cancels the chunks not yet run. If the input throws, the results
   * of the chunks read before it are yielded first, then its error is thrown (a chunk the error
   * cut short is dropped), as in CPython.
   *
   * @typeParam T The task's one argument.
   * @typeParam R The task's result.
   * @param task A task of one argument.
   * @param iterable The items, sync or async, possibly endless.
   * @param options The chunksize (1), the backpressure bound, an abort signal.
   * @returns An async iterable of the results.
   * @throws {TypeError} If `task` is not a task or `iterable` is not iterable.
   * @throws {RangeError} If `chunksize` or `bufferSize` is not a positive integer.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { deepEqual } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 2 });
   * const squares: number[] = [];
   * for await (const square of pool.imap(tasks.square, [2, 4, 6])) squares.push(square);
   * deepEqual(squares, [4, 16, 36]);
   * ```
   */
  imap<T, R>(
    task: Task<[T], R>,
    iterable: Iterable<NoInfer<T>> | AsyncIterable<NoInfer<T>>,
    options: ImapOptions = {},
  ): AsyncGenerator<R, void, undefined> {
    return this.#imap(task, iterable, options, true, "imap");
  }

  /**
   * Like {@linkcode Pool.imap}, but yields each result as soon as its chunk is done, Python's
   * `imap_unordered`. An input that throws ends it as it ends `imap`.
   *
   * @typeParam T The task's one argument.
   * @typeParam R The task's result.
   * @param task A task of one argument.
   * @param iterable The items, sync or async, possibly endless.
   * @param options The chunksize (1), the backpressure bound, an abort signal.
   * @returns An async iterable of the results, in completion order.
   * @throws {TypeError} If `task` is not a task or `iterable` is not iterable.
   * @throws {RangeError} If `chunksize` or `bufferSize` is not a positive integer.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { deepEqual } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 2 });
   * const results: number[] = [];
   * for await (const value of pool.imapUnordered(tasks.square, [1, 2, 3])) results.push(value);
   * deepEqual(results.sort(), [1, 4, 9]);
   * ```
   */
  imapUnordered<T, R>(
    task: Task<[T], R>,
    iterable: Iterable<NoInfer<T>> | AsyncIterable<NoInfer<T>>,
    options: ImapOptions = {},
  ): AsyncGenerator<R, void, undefined> {
    return this.#imap(task, iterable, options, false, "imapUnordered");
  }

  #imap<R>(
    task: Task<never[], unknown>,
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    options: ImapOptions,
    ordered: boolean,
    caller: string,
  ): AsyncGenerator<R, void, undefined> {
    assertTask(task, caller);
    const source = iterable as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null;
    if (
      typeof source?.[Symbol.iterator] !== "function" &&
      typeof source?.[Symbol.asyncIterator] !== "function"
    ) {
      throw new TypeError(
        `Cannot ${caller}: expected an iterable or async iterable of items: received ${typeof iterable}`,
      );
    }
    const chunksize = options.chunksize ?? 1;
    checkPositiveInteger(chunksize, `Cannot ${caller}: chunksize`);
    const bufferSize = options.bufferSize ?? 16 * this.#processes;
    checkPositiveInteger(bufferSize, `Cannot ${caller}: bufferSize`);
    return imapResults(this.#engine, task, iterable, {
      ordered,
      star: false,
      chunksize,
      bufferSize,
      caller,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    }) as AsyncGenerator<R, void, undefined>;
  }

  /**
   * Accepts no more calls; the workers exit once the work already submitted is done (an `imap`
   * already being read may still send its input). Python's `close`.
   */
  close(): void {
    this.#engine.close();
  }

  /**
   * Stops every worker now, Python's `terminate`: pending calls reject with a
   * {@linkcode PoolClosedError}. A task spinning without yielding is not stopped (its thread runs
   * on until the process ends), but the pool no longer waits for it.
   *
   * @returns A promise that resolves once every worker has exited.
   */
  terminate(): Promise<void> {
    return this.#engine.terminate();
  }

  /**
   * Waits for every worker to exit, after {@linkcode Pool.close} or {@linkcode Pool.terminate}.
   * Python's `join`.
   *
   * @returns A promise that resolves once every worker has exited.
   * @throws {TypeError} If the pool is still open (call `close()` or `terminate()` first).
   */
  join(): Promise<void> {
    if (this.#engine.state === "open") {
      return Promise.reject(
        new TypeError("Cannot join pool: it is still running: call close() or terminate() first"),
      );
    }
    return this.#engine.joined;
  }

  /**
   * What the pool has done so far: tasks, chunks and messages, and per worker its tasks and the
   * time spent inside task functions.
   *
   * @returns A plain snapshot (see {@linkcode PoolStats}).
   *
   * @example Usage
   * ```ts
   * import { Pool } from "./pool.ts";
   * import { tasks } from "./testdata/tasks.ts";
   * import { equal } from "node:assert/strict";
   *
   * await using pool = new Pool({ processes: 2 });
   * await pool.map(tasks.square, [1, 2, 3, 4], { chunksize: 1 });
   * const stats = pool.stats();
   * equal(stats.tasksCompleted, 4);
   * equal(stats.perWorker.reduce((sum, worker) => sum + worker.tasks, 0), 4);
   * ```
   */
  stats(): PoolStats {
    return this.#engine.stats();
  }

  /**
   * `await using` support: closes the pool and waits for its workers (see the class docs).
   *
   * @returns A promise that resolves once every worker has exited.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.#engine.joined;
  }

  #assertAccepting(caller: string): void {
    const refusal = this.#engine.refusal(caller);
    if (refusal !== undefined) throw refusal;
  }
}
