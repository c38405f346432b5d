/**
 * The entry of every worker that `lib/` starts (`node:worker_threads`). It speaks `_protocol.ts`:
 * it runs its initializer, then the jobs it receives, one after another, in order, and answers in
 * batches: after the last queued job, once {@linkcode FLUSH_MS} have passed since its last answer,
 * and before a job that may be long (its task's jobs have averaged {@linkcode FLUSH_MS} or more, or
 * it has not run here yet). So many tiny tasks share a message, and the answers before a long job
 * are not held back by it (unless a task known to be quick turns out long).
 *
 * For each job it resolves the task with `resolveTask` (once per task), revives shared arguments,
 * calls the function, awaits a returned promise, encodes the result with `encodeShared`, and
 * measures the time spent inside the function (`busyMs`). The answers are gathered and sent by
 * `_worker_answers.ts`.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import process from "node:process";
import { setImmediate } from "node:timers";
import { parentPort, workerData } from "node:worker_threads";
import { hasShared, reviveShared } from "./_shareable.ts";
import {
  addAnswer,
  encodeResult,
  flush,
  hasAnswers,
  msSinceFlush,
  post,
} from "./_worker_answers.ts";
import { resolveTask, type TaskFunction } from "./task.ts";
import { markImportingTaskModule } from "./_children.ts";
import {
  type Job,
  type JobResult,
  type TaskRef,
  toWireError,
  type ToWorker,
  type WorkerData,
  type WorkerSetup,
} from "./_protocol.ts";

/** The longest a finished job's answer waits for its batch's neighbours, in milliseconds. */
const FLUSH_MS = 1;
/** The weight of the newest job in a task's running average of job times. */
const AVERAGE_WEIGHT = 0.25;

if (parentPort === null) {
  throw new TypeError(
    "Cannot start parakit worker: this module must run in a node:worker_threads Worker",
  );
}
const data = workerData as WorkerData;
/** Where this worker's jobs arrive (`_spares.ts` `startWorker` says why it is not `parentPort`). */
const port = data.port;
/** What it runs with: from its workerData, or for a spare (`_spares.ts`) its first message. */
let setup: WorkerSetup = data.setup ?? { mode: "pool" };

const refs = new Map<number, TaskRef>();
const functions = new Map<number, TaskFunction>();
const unresolvable = new Map<number, unknown>();
const unrevivable = new Map<Job, unknown>();
const queue: Job[] = [];
let head = 0;
let ready = false;
let scheduled = false;
let awaiting = false;
let exitRequested = false;
/** Per task index: the running average of its jobs' busy time in milliseconds. */
const averageMs = new Map<number, number>();

port.on("message", (message: ToWorker) => {
  if (message.type === "setup") {
    setup = message.setup;
    return start();
  }
  if (message.type === "run") {
    for (const def of message.defs) refs.set(def.index, def);
    for (const job of message.jobs) queue.push(job);
  } else {
    exitRequested = true;
  }
  schedule();
});

// A spare (`_spares.ts`) says on its port that it runs, then waits there for its setup.
if (data.setup === undefined) port.postMessage({ type: "spare" });
else start();

function start(): void {
  void initialize().then(() => {
    ready = true;
    schedule();
  });
}

async function initialize(): Promise<void> {
  if (setup.initializer === undefined) return;
  try {
    const initializer = await importing(resolveTask(setup.initializer));
    const args = await reviveShared(setup.initargs ?? []) as unknown[];
    await initializer(...args);
  } catch (error) {
    post({ type: "fatal", error: toWireError(error) });
    process.exit(1);
  }
}

/**
 * Runs the queued jobs from a fresh macrotask. Not from the message handler, nor from a microtask:
 * Deno 2.9 contains a worker's out-of-memory error (`resourceLimits`) only when it happens in a
 * timer callback; inside a message handler or a promise continuation the worker hangs instead.
 */
function schedule(): void {
  if (scheduled || awaiting || !ready) return;
  scheduled = true;
  setImmediate(drain);
}

function drain(): void {
  scheduled = false;
  while (head < queue.length) {
    const job = queue[head]!;
    if (hasAnswers() && !((averageMs.get(job.task) ?? Infinity) < FLUSH_MS)) flush();
    const preparing = prepare(job);
    if (preparing !== undefined) return pause(preparing);
    head++;
    const outcome = runJob(job);
    if (outcome instanceof Promise) {
      return pause(outcome.then(
        (result) => void answer(job, result),
        (error) => void answer(job, failed(job, 0, error, 0)),
      ));
    }
    if (answer(job, outcome)) return;
  }
  queue.length = 0;
  head = 0;
  if (exitRequested) {
    flush();
    process.exit(0);
  }
}

/** Stops draining until `work` settles, then drains again from a fresh macrotask. */
function pause(work: Promise<void>): void {
  awaiting = true;
  void work.finally(() => {
    awaiting = false;
    schedule();
  });
}

/**
 * Does a job's asynchronous groundwork before it runs (importing its task's module, reviving its
 * shared arguments), so that the task itself starts from a macrotask.
 *
 * @returns The groundwork to wait for, or `undefined` when the job can run now.
 */
function prepare(job: Job): Promise<void> | undefined {
  if (!functions.has(job.task) && !unresolvable.has(job.task)) {
    return resolveFunction(job.task);
  }
  if (!unrevivable.has(job) && hasShared(job.items)) {
    return reviveShared(job.items).then(
      (items) => void (queue[head] = { ...job, items: items as unknown[] }),
      (error) => void unrevivable.set(job, error),
    );
  }
  return undefined;
}

/** Marks the worker as importing a task module while `work` runs. */
async function importing<T>(work: Promise<T>): Promise<T> {
  markImportingTaskModule(true);
  try {
    return await work;
  } finally {
    markImportingTaskModule(false);
  }
}

async function resolveFunction(index: number): Promise<void> {
  try {
    const ref = refs.get(index);
    if (ref === undefined) {
      throw new TypeError(`Cannot run job: task ${index} was never introduced to this worker`);
    }
    functions.set(index, await importing(resolveTask(ref)));
  } catch (error) {
    unresolvable.set(index, error);
  }
}

/** Queues a job's answer and sends the batch when due; true when the worker is finishing. */
function answer(job: Job, result: JobResult): boolean {
  const average = averageMs.get(job.task);
  averageMs.set(
    job.task,
    average === undefined ? result.busyMs : average + (result.busyMs - average) * AVERAGE_WEIGHT,
  );
  addAnswer(result);
  if (setup.mode === "once") {
    finishOnce(result);
    return true;
  }
  if (head === queue.length || msSinceFlush() >= FLUSH_MS) flush();
  return false;
}

function finishOnce(result: JobResult): void {
  flush();
  if (!result.ok) {
    const { error } = result;
    console.error(error.stack ?? `${error.name}: ${error.message}`);
  }
  process.exit(result.ok ? 0 : 1);
}

/** Runs a prepared job synchronously; hands over to {@linkcode finishAsync} at a promise. */
function runJob(job: Job): JobResult | Promise<JobResult> {
  const fn = functions.get(job.task);
  if (fn === undefined) return failed(job, 0, unresolvable.get(job.task), 0);
  if (unrevivable.has(job)) {
    const error = unrevivable.get(job);
    unrevivable.delete(job);
    return failed(job, 0, error, 0);
  }
  const values: unknown[] = new Array(job.items.length);
  const start = performance.now();
  let pending: PromiseLike<unknown> | undefined;
  try {
    pending = runItems(fn, job, values);
  } catch (error) {
    return failed(job, current, error, performance.now() - start);
  }
  if (pending !== undefined) return finishAsync(job, fn, current, values, start, pending);
  return { id: job.id, ok: true, values, busyMs: performance.now() - start };
}

/** The index of the item {@linkcode runItems} is calling: the failing one when it throws. */
let current = 0;

/**
 * Calls the task on each item and encodes each result, until a call returns a promise. It holds
 * no `try` (its caller does, reading {@linkcode current}): V8 does not inline the task into a
 * loop inside a `try`, which made a tiny task's call about 2.5 times slower.
 *
 * @returns The first promise a call returned, or `undefined` when every call returned a value.
 */
function runItems(fn: TaskFunction, job: Job, values: unknown[]): PromiseLike<unknown> | undefined {
  const { items, spread } = job;
  for (current = 0; current < items.length; current++) {
    const value = spread ? fn(...items[current] as unknown[]) : fn(items[current]);
    if (isThenable(value)) return value;
    values[current] = encodeResult(value);
  }
  return undefined;
}

/**
 * Awaits the promise a call returned, then runs the job's remaining items. Busy time here is the
 * whole wall time from the job's start, awaits included.
 */
async function finishAsync(
  job: Job,
  fn: TaskFunction,
  from: number,
  values: unknown[],
  start: number,
  pending: PromiseLike<unknown>,
): Promise<JobResult> {
  const { items, spread } = job;
  for (let i = from; i < items.length; i++) {
    try {
      const value = i === from
        ? await pending
        : await (spread ? fn(...items[i] as unknown[]) : fn(items[i]));
      values[i] = encodeResult(value);
    } catch (error) {
      return failed(job, i, error, performance.now() - start);
    }
  }
  return { id: job.id, ok: true, values, busyMs: performance.now() - start };
}

function failed(job: Job, index: number, error: unknown, busyMs: number): JobResult {
  return { id: job.id, ok: false, error: toWireError(error), index, busyMs };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}
