/**
 * Starts the workers of `lib/` (`node:worker_threads` running `_worker.ts`), registers them in
 * `_children.ts` while they live, and reports how each one ended. The Pool starts its workers
 * here; `Process` and `Manager` do too ({@linkcode runTaskInWorker} runs one task in a dedicated
 * worker and reports its exit code).
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { Worker } from "node:worker_threads";
import { type ChildInfo, type ChildKind, registerChild } from "./_children.ts";
import { encodeShared } from "./_shareable.ts";
import type {
  FromWorker,
  JobResult,
  SetupMessage,
  TaskRef,
  ToWorker,
  WireError,
  WorkerSetup,
} from "./_protocol.ts";
import { startWorker, takeSpare } from "./_spares.ts";

/** How to start a worker. */
export interface SpawnOptions {
  /** What starts it, for `activeChildren()`. */
  readonly kind: ChildKind;
  /** Its name; `"<Kind>-<id>"` when omitted. */
  readonly name?: string;
  /** What the worker runs with (its `workerData`). */
  readonly setup: WorkerSetup;
  /**
   * The worker's heap limit in MiB (`resourceLimits.maxOldGenerationSizeMb`): a task that needs
   * more ends that worker with `ERR_WORKER_OUT_OF_MEMORY` instead of aborting the process.
   */
  readonly maxHeapMb?: number;
}

/** How a worker ended. */
export interface WorkerExit {
  /** Its exit code: 0 after a requested exit, `n` after `Deno.exit(n)`, 1 after an uncaught error or `terminate()`. */
  readonly code: number;
  /** The uncaught error that ended it, if one did (`code` `"ERR_WORKER_OUT_OF_MEMORY"` when out of memory). */
  readonly error?: Error;
  /** What its initializer threw, if that is why it exited. */
  readonly fatal?: WireError;
}

/** A started worker. */
export interface SpawnedWorker {
  /** The `node:worker_threads` worker: listen to its `"message"` events for {@linkcode FromWorker}. */
  readonly worker: Worker;
  /** Its entry in `activeChildren()` while it lives. */
  readonly info: ChildInfo;
  /** Settles once it has exited (and left `activeChildren()`); never rejects. */
  readonly exited: Promise<WorkerExit>;
  /** Sends it a message. */
  post(message: ToWorker, transfer?: readonly ArrayBuffer[]): void;
}

/**
 * Starts a worker running `_worker.ts`.
 *
 * @param options How to start it.
 * @returns The started worker.
 */
export function spawnWorker(options: SpawnOptions): SpawnedWorker {
  const registration = registerChild(options.kind, options.name);
  // What the worker is sent travels over a port of its own (`_spares.ts` `startWorker` says why).
  // A spare has paid its start-up already; one with a heap limit cannot be a spare.
  const spare = options.maxHeapMb === undefined ? takeSpare() : undefined;
  spare?.port.postMessage({ type: "setup", setup: options.setup } satisfies SetupMessage);
  const { worker, port: toWorker } = spare ?? startWorker(options.setup, options.maxHeapMb);
  let error: Error | undefined;
  let fatal: WireError | undefined;
  worker.on("error", (thrown: unknown) => {
    error = thrown instanceof Error ? thrown : new Error(String(thrown));
  });
  worker.on("message", (message: FromWorker) => {
    if (message.type === "fatal") fatal = message.error;
  });
  const exited = new Promise<WorkerExit>((resolve) => {
    worker.once("exit", (code: number) => {
      toWorker.close();
      registration.unregister();
      resolve({
        code,
        ...(error === undefined ? {} : { error }),
        ...(fatal === undefined ? {} : { fatal }),
      });
    });
  });
  return {
    worker,
    info: registration.info,
    exited,
    post(message, transfer) {
      if (transfer === undefined) toWorker.postMessage(message);
      else toWorker.postMessage(message, [...transfer]);
    },
  };
}

/**
 * Checks a heap limit option (`Pool`'s and `Process`'s `maxHeapMb`).
 *
 * @param value The option.
 * @param what What was being done, for the message (`"Cannot start pool"`).
 * @throws {TypeError} If it is not a number.
 * @throws {RangeError} If it is not above 0.
 */
export function checkHeapLimit(value: unknown, what: string): void {
  const message = `${what}: maxHeapMb must be a positive number of MiB: received`;
  if (typeof value !== "number") throw new TypeError(`${message} ${typeof value}`);
  if (!(value > 0)) throw new RangeError(`${message} ${value}`);
}

/** How to run one task in its own worker. */
export interface RunTaskOptions {
  /** What starts it, for `activeChildren()`; `"process"` by default. */
  readonly kind?: ChildKind;
  /** The worker's name; `"Process-<id>"` when omitted. */
  readonly name?: string;
  /** The worker's heap limit in MiB; see {@linkcode SpawnOptions.maxHeapMb}. */
  readonly maxHeapMb?: number;
  /** ArrayBuffers inside `args` to move rather than copy (the caller's copies become empty). */
  readonly transfer?: readonly ArrayBuffer[];
}

/** A task running in its own worker. */
export interface TaskWorker extends SpawnedWorker {
  /**
   * Settles with the task's outcome (encoded: pass `values[0]` through `reviveShared`), or with
   * `undefined` when the worker ended before answering (`Deno.exit`, an uncaught error,
   * `terminate()`). Never rejects.
   */
  readonly result: Promise<JobResult | undefined>;
}

/**
 * Runs one task in a dedicated worker that exits when the task is done: with code 0 when it
 * returned, 1 when it threw (the error is printed to stderr, as Python prints a process's
 * traceback), `n` when the task called `Deno.exit(n)`. This is what `Process` is built on.
 *
 * @param task The task to run.
 * @param args Its arguments (shared objects travel shared).
 * @param options How to run it.
 * @returns The running worker, its result and its exit.
 */
export function runTaskInWorker(
  task: TaskRef,
  args: readonly unknown[],
  options: RunTaskOptions = {},
): TaskWorker {
  const spawned = spawnWorker({
    kind: options.kind ?? "process",
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.maxHeapMb === undefined ? {} : { maxHeapMb: options.maxHeapMb }),
    setup: { mode: "once" },
  });
  const result = new Promise<JobResult | undefined>((resolve) => {
    spawned.worker.on("message", (message: FromWorker) => {
      if (message.type === "done" && message.results[0] !== undefined) resolve(message.results[0]);
    });
    void spawned.exited.then(() => resolve(undefined));
  });
  spawned.post(
    {
      type: "run",
      defs: [{ index: 0, module: task.module, name: task.name }],
      jobs: [{ id: 0, task: 0, items: [encodeShared(args)], spread: true }],
    },
    options.transfer,
  );
  return { ...spawned, result };
}
