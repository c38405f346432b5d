/**
 * {@linkcode Process}: one task in its own worker, after Python's `multiprocessing.Process` (which
 * looks a lot like a Java Thread): `start()` it, do other work, `await join()` it.
 *
 * @module
 */

import { checkHeapLimit, runTaskInWorker, type TaskWorker } from "./_spawn.ts";
import { encodeShared } from "./_shareable.ts";
import { startTimer } from "./_wait.ts";
import { assertTask, type Task } from "./task.ts";
import { IDENTITY_BYTES, processEntry, writeIdentity } from "./_process_entry.ts";
import { collectHandOffs } from "./_copies.ts";

/** Options of {@linkcode Process}. */
export interface ProcessOptions {
  /** A readable name, for `activeChildren()` and messages. Default: `"Process-<pid>"`. */
  name?: string;
  /**
   * The worker's heap limit in MiB: a task that needs more ends its worker (exit code 1) instead
   * of aborting the whole program. V8's default otherwise.
   */
  maxHeapMb?: number;
}

/** Options of {@linkcode Process.prototype.join}. */
export interface JoinOptions {
  /**
   * The most milliseconds to wait (`Infinity`: no limit); `join` then resolves even though the
   * process still runs.
   */
  timeout?: number;
}

/** `exitCode` after `terminate()`, as Python reports a process ended by SIGTERM. */
export const TERMINATED_EXIT_CODE: number = -15;
/** `exitCode` after `kill()`, as Python reports a process ended by SIGKILL. */
export const KILLED_EXIT_CODE: number = -9;

/** How long `await using` waits for a terminated process to end, in milliseconds. */
export const DISPOSE_GRACE_MS: number = 2000;

/**
 * A task running in its own worker (Python's `multiprocessing.Process`). Its arguments may hold
 * shared objects (a Queue, a Value, a Lock...), which arrive as the same objects.
 *
 * `exitCode` is `null` until the worker has ended, then 0 when the task returned, 1 when it threw
 * (its error is printed to stderr, as Python prints a traceback), `n` when it called
 * `Deno.exit(n)`, and -15 or -9 when `terminate()` or `kill()` ended it. A worker spinning in a
 * loop that never yields cannot be stopped by either: only the end of the program stops it.
 *
 * @typeParam A The task's argument list.
 * @typeParam R The task's result (a Process does not return it: use a Queue or a Value).
 *
 * @example Usage
 * ```ts
 * import { Process, Queue } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 * // A task module: `export const processTasks = defineTasks(import.meta.url, { feed, ... })`,
 * // where `feed(queue, items)` puts each item, then null.
 * import { processTasks } from "./testdata/shared_tasks.ts";
 *
 * const queue = new Queue<number | null>();
 * await using process = new Process(processTasks.feed, [queue, [1, 2]]);
 * process.start();
 * await process.join();
 * equal(process.exitCode, 0);
 * equal(queue.get(), 1);
 * ```
 */
export class Process<A extends readonly unknown[], R> implements AsyncDisposable {
  #task: Task<A, R>;
  #args: A;
  #options: ProcessOptions;
  #running: TaskWorker | undefined;
  #exitCode: number | null = null;
  #stopCode: number | undefined;
  #exited: Promise<void> | undefined;
  #closed = false;

  #check(caller: string): void {
    if (this.#closed) throw new Error(`Cannot ${caller} ${this.name}: the process is closed`);
  }

  /**
   * Prepares a process; `start()` runs it.
   *
   * @param task The task to run, from `defineTasks` or `taskFromExport`.
   * @param args Its arguments.
   * @param options Its name and heap limit.
   * @throws {TypeError} If `task` is not a task reference, `args` is not an array, or an option
   * has the wrong type.
   * @throws {RangeError} If `maxHeapMb` is not above 0.
   */
  constructor(task: Task<A, R>, args: A, options: ProcessOptions = {}) {
    assertTask(task, "make process");
    if (!Array.isArray(args)) {
      throw new TypeError(
        `Cannot make process: args must be an array of the task's arguments: received ${typeof args}`,
      );
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Cannot make process: options must be an object: received ${options}`);
    }
    const { name, maxHeapMb } = options;
    if (name !== undefined && typeof name !== "string") {
      throw new TypeError(`Cannot make process: name must be a string: received ${typeof name}`);
    }
    if (maxHeapMb !== undefined) checkHeapLimit(maxHeapMb, "Cannot make process");
    this.#task = task;
    this.#args = args;
    this.#options = options;
  }

  /**
   * Starts the task in a new worker.
   *
   * @throws {Error} If the process was started before.
   * @throws {TypeError} If an argument cannot be sent to a worker (a function, say).
   */
  start(): void {
    this.#check("start process");
    if (this.#running !== undefined) {
      throw new Error(`Cannot start process ${this.name}: it was started before`);
    }
    const encoded = encodeShared(this.#args) as unknown[];
    try {
      structuredClone(encoded);
    } catch (error) {
      throw new TypeError(
        `Cannot start process: an argument cannot be sent to a worker: ${
          (error as Error).message
        }: pass data, shared objects, or tasks`,
        { cause: error },
      );
    }
    const identity = new SharedArrayBuffer(IDENTITY_BYTES);
    const task = { module: this.#task.module, name: this.#task.name };
    // Pipe ends handed over count as the child's copies, released when its worker ends.
    const [running, releases] = collectHandOffs(() =>
      runTaskInWorker(processEntry.runAsProcess, [identity, task, this.#args], {
        ...(this.#options.name === undefined ? {} : { name: this.#options.name }),
        ...(this.#options.maxHeapMb === undefined ? {} : { maxHeapMb: this.#options.maxHeapMb }),
      })
    );
    void running.exited.then(() => {
      for (const release of releases) release();
    });
    writeIdentity(identity, running.info.name, running.info.id);
    this.#running = running;
    this.#exited = running.exited.then((exit) => {
      // A terminated worker exits with 1; one that finished first keeps its own code.
      this.#exitCode = this.#stopCode !== undefined && exit.code === 1 ? this.#stopCode : exit.code;
    });
  }

  /**
   * Waits until the process has ended, or until the timeout.
   *
   * @param options The longest wait in milliseconds.
   * @returns Once the process has ended or the timeout passed (check `exitCode` to tell which).
   * @throws {Error} If the process was never started, or is closed.
   * @throws {RangeError} If the timeout is not a number; a negative one acts as 0, as in Python.
   */
  async join(options: JoinOptions = {}): Promise<void> {
    this.#check("join process");
    const exited = this.#exited;
    if (exited === undefined) {
      throw new Error(`Cannot join process ${this.name}: it was never started`);
    }
    const { timeout } = options;
    if (timeout === undefined) return await exited;
    if (typeof timeout !== "number" || Number.isNaN(timeout)) {
      throw new RangeError(
        `Cannot join process: timeout must be a number of milliseconds: received ${timeout}`,
      );
    }
    let stopTimer: (() => void) | undefined;
    try {
      await Promise.race([
        exited,
        new Promise<void>((resolve) => stopTimer = startTimer(Math.max(0, timeout), resolve)),
      ]);
    } finally {
      stopTimer?.();
    }
  }

  /**
   * True from `start()` until the worker has ended.
   *
   * @returns Whether the worker runs.
   * @throws {Error} If the process is closed.
   */
  isAlive(): boolean {
    this.#check("check process");
    return this.#running !== undefined && this.#exitCode === null;
  }

  /** `null` while not ended; see the class doc for the values. */
  get exitCode(): number | null {
    return this.#exitCode;
  }

  /** The process's readable name. */
  get name(): string {
    return this.#running?.info.name ?? this.#options.name ?? "Process (not started)";
  }

  /** An id of the kit's own, unique in this program (not an OS pid): `undefined` before `start()`. */
  get pid(): number | undefined {
    return this.#running?.info.id;
  }

  #stop(code: number): void {
    this.#check("stop process");
    if (!this.isAlive()) return;
    this.#stopCode ??= code;
    void this.#running!.worker.terminate();
  }

  /** Asks the worker to stop (it stops at its next await or between statements of async code). */
  terminate(): void {
    this.#stop(TERMINATED_EXIT_CODE);
  }

  /** The same as `terminate()`: a worker thread has no stronger stop than that. */
  kill(): void {
    this.#stop(KILLED_EXIT_CODE);
  }

  /**
   * Releases the process object, as Python's `close()`: later calls of `start`, `join`,
   * `isAlive`, `terminate` and `kill` throw. Closing again does nothing.
   *
   * @throws {Error} If the worker still runs: join it (or terminate it) first. Python raises a
   * ValueError; a running worker is never ended behind the caller's back.
   */
  close(): void {
    if (this.#closed) return;
    if (this.#running !== undefined && this.#exitCode === null) {
      throw new Error(
        `Cannot close process ${this.name}: it is still running: join or terminate it first`,
      );
    }
    this.#closed = true;
  }

  /**
   * `await using`: closes the process (see {@linkcode Process.prototype.close}), after waiting
   * for a worker that is ending already (at most {@linkcode DISPOSE_GRACE_MS}).
   *
   * @throws {Error} If the worker still runs.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    if (this.#stopCode !== undefined) await this.join({ timeout: DISPOSE_GRACE_MS });
    this.close();
  }
}
