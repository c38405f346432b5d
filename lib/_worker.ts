/**
 * The entry of every worker that `lib/` starts (`node:worker_threads`). It speaks `_protocol.ts`:
 * it runs its initializer, then the jobs it receives, one after another, in order, and answers in
 * batches: after the last queued job, or once {@linkcode FLUSH_MS} have passed since its last
 * answer, so that many tiny tasks share a message and a long job's neighbours are not held back.
 *
 * For each job it resolves the task with `resolveTask` (once per task), revives shared arguments,
 * calls the function, awaits a returned promise, encodes the result with `encodeShared`, and
 * measures the time spent inside the function (`busyMs`).
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import process from "node:process";
import { parentPort, workerData } from "node:worker_threads";
import { encodeShared, hasShared, reviveShared } from "./_shareable.ts";
import { resolveTask, type TaskFunction } from "./task.ts";
import {
  type FromWorker,
  isDataCloneError,
  type Job,
  type JobResult,
  type TaskRef,
  toWireError,
  type ToWorker,
  type WorkerSetup,
} from "./_protocol.ts";

/** The longest a finished job's answer waits for its batch's neighbours, in milliseconds. */
const FLUSH_MS = 1;

const port = parentPort;
if (port === null) {
  throw new TypeError(
    "Cannot start parakit worker: this module must run in a node:worker_threads Worker",
  );
}
const setup = workerData as WorkerSetup;

const refs = new Map<number, TaskRef>();
const functions = new Map<number, TaskFunction>();
const queue: Job[] = [];
let head = 0;
let draining = false;
let exitRequested = false;
let answers: JobResult[] = [];
let answerTasks: number[] = [];
let lastFlush = performance.now();

const initialized = initialize();

port.on("message", (message: ToWorker) => {
  if (message.type === "run") {
    for (const def of message.defs) refs.set(def.index, def);
    for (const job of message.jobs) queue.push(job);
  } else {
    exitRequested = true;
  }
  if (!draining) void drain();
});

async function initialize(): Promise<void> {
  if (setup.initializer === undefined) return;
  try {
    const initializer = await resolveTask(setup.initializer);
    const args = await reviveShared(setup.initargs ?? []) as unknown[];
    await initializer(...args);
  } catch (error) {
    post({ type: "fatal", error: toWireError(error) });
    process.exit(1);
  }
}

async function drain(): Promise<void> {
  draining = true;
  await initialized;
  while (head < queue.length) {
    const job = queue[head++]!;
    const outcome = runJob(job);
    const result = outcome instanceof Promise ? await outcome : outcome;
    answers.push(result);
    answerTasks.push(job.task);
    if (setup.mode === "once") return finishOnce(result);
    if (head === queue.length || performance.now() - lastFlush >= FLUSH_MS) flush();
  }
  queue.length = 0;
  head = 0;
  draining = false;
  if (exitRequested) {
    flush();
    process.exit(0);
  }
}

function finishOnce(result: JobResult): void {
  flush();
  if (!result.ok) {
    const { error } = result;
    console.error(error.stack ?? `${error.name}: ${error.message}`);
  }
  process.exit(result.ok ? 0 : 1);
}

/** Runs a job synchronously while it can; hands over to {@linkcode runJobAsync} when it cannot. */
function runJob(job: Job): JobResult | Promise<JobResult> {
  const fn = functions.get(job.task);
  if (fn === undefined) return runJobAsync(job, 0, [], 0);
  const values: unknown[] = [];
  let busyMs = 0;
  for (let i = 0; i < job.items.length; i++) {
    const args = job.items[i]!;
    if (hasShared(args)) return runJobAsync(job, i, values, busyMs);
    const start = performance.now();
    let value: unknown;
    try {
      value = fn(...args);
    } catch (error) {
      return failed(job, i, error, busyMs + performance.now() - start);
    }
    if (isThenable(value)) return runJobAsync(job, i, values, busyMs, { value, start });
    busyMs += performance.now() - start;
    values.push(encodeShared(value));
  }
  return { id: job.id, ok: true, values, busyMs };
}

async function runJobAsync(
  job: Job,
  from: number,
  values: unknown[],
  busyMs: number,
  started?: { value: PromiseLike<unknown>; start: number },
): Promise<JobResult> {
  let fn: TaskFunction;
  try {
    fn = await taskFunction(job.task);
  } catch (error) {
    return failed(job, from, error, busyMs);
  }
  for (let i = from; i < job.items.length; i++) {
    let start = 0;
    try {
      let value: unknown;
      if (i === from && started !== undefined) {
        start = started.start;
        value = await started.value;
      } else {
        const args = await reviveShared(job.items[i]!) as unknown[];
        start = performance.now();
        value = await fn(...args);
      }
      busyMs += performance.now() - start;
      values.push(encodeShared(value));
    } catch (error) {
      return failed(job, i, error, busyMs + (start === 0 ? 0 : performance.now() - start));
    }
  }
  return { id: job.id, ok: true, values, busyMs };
}

async function taskFunction(index: number): Promise<TaskFunction> {
  const known = functions.get(index);
  if (known !== undefined) return known;
  const ref = refs.get(index);
  if (ref === undefined) {
    throw new TypeError(`Cannot run job: task ${index} was never introduced to this worker`);
  }
  const fn = await resolveTask(ref);
  functions.set(index, fn);
  return fn;
}

function failed(job: Job, index: number, error: unknown, busyMs: number): JobResult {
  return { id: job.id, ok: false, error: toWireError(error), index, busyMs };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

/** Sends the answers gathered so far; one that cannot be cloned fails its job instead. */
function flush(): void {
  if (answers.length === 0) return;
  const results = answers;
  const tasks = answerTasks;
  answers = [];
  answerTasks = [];
  lastFlush = performance.now();
  try {
    post({ type: "done", results });
    return;
  } catch (error) {
    if (!isDataCloneError(error)) throw error;
  }
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    try {
      post({ type: "done", results: [result] });
    } catch (error) {
      if (!isDataCloneError(error)) throw error;
      const name = refs.get(tasks[i]!)?.name ?? "?";
      const refusal = new TypeError(
        `Cannot return the result of task "${name}": it cannot be cloned (functions, symbols and class instances with private state cannot travel): ${
          (error as Error).message
        }`,
      );
      post({
        type: "done",
        results: [failed({ id: result.id, task: 0, items: [] }, 0, refusal, result.busyMs)],
      });
    }
  }
}

function post(message: FromWorker): void {
  port!.postMessage(message);
}
