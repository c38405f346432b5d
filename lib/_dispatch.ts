/**
 * How the Pool engine hands queued jobs to its workers: each job goes to the live worker with the
 * fewest jobs in flight, and the jobs assigned to a worker in one flush travel in one message.
 *
 * Credits: a worker may hold up to a credit of jobs in flight: {@linkcode INITIAL_CREDIT} until
 * the first job comes back, then as many as take about {@linkcode TARGET_BATCH_MS} of measured
 * task time (between {@linkcode MIN_CREDIT} and {@linkcode MAX_CREDIT}), so that long chunks are
 * balanced one by one while tiny tasks travel by the hundred.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { JobQueue, PendingJob } from "./_jobs.ts";
import { isDataCloneError, type Job, type TaskDef } from "./_protocol.ts";
import type { Slot } from "./_slot.ts";
import type { Counters } from "./_stats.ts";

/** Jobs a worker may hold before any job has come back. */
const INITIAL_CREDIT = 2;
/** The fewest jobs a worker may hold once task times are known. */
const MIN_CREDIT = 2;
/** The most jobs a worker may hold. */
const MAX_CREDIT = 1024;
/** How much measured task time a worker's credit aims to cover, in milliseconds. */
const TARGET_BATCH_MS = 4;
/** The weight of the newest job in the running average of job times. */
const AVERAGE_WEIGHT = 0.2;

/** The running average of job times, and the credit it gives each worker. */
export class Credit {
  #averageMs = Number.NaN;

  /** Adds a job's measured time to the average. */
  record(busyMs: number): void {
    const average = this.#averageMs;
    this.#averageMs = Number.isNaN(average)
      ? busyMs
      : average + (busyMs - average) * AVERAGE_WEIGHT;
  }

  /** How many jobs a worker may hold in flight now. */
  get value(): number {
    const average = this.#averageMs;
    if (Number.isNaN(average)) return INITIAL_CREDIT;
    if (average <= 0) return MAX_CREDIT;
    return Math.max(MIN_CREDIT, Math.min(MAX_CREDIT, Math.ceil(TARGET_BATCH_MS / average)));
  }
}

/**
 * Moves queued jobs into the outboxes of the workers with room, least loaded first, until the
 * queue is empty or every worker holds its credit.
 *
 * @param queue The jobs not yet sent.
 * @param slots The workers.
 * @param credit The most jobs a worker may hold.
 * @param limit `maxTasksPerChild`: a worker assigned that many jobs retires.
 */
export function assign(
  queue: JobQueue,
  slots: readonly Slot[],
  credit: number,
  limit: number | undefined,
): void {
  for (let job = queue.peek(); job !== undefined; job = queue.peek()) {
    let best: Slot | undefined;
    for (const slot of slots) {
      if (slot.retiring || slot.exited || slot.inflight >= credit) continue;
      if (best === undefined || slot.inflight < best.inflight) best = slot;
    }
    if (best === undefined) return;
    queue.shift();
    job.state = "sent";
    best.inflight++;
    best.jobs.set(job.id, job);
    best.outbox.push(job);
    if (limit !== undefined && ++best.assigned >= limit) best.retiring = true;
  }
}

/** Takes back a job that could not be posted, failing it with `error`. */
export type Unsend = (slot: Slot, job: PendingJob, error: unknown) => void;

/**
 * Posts a worker's outbox as one message, introducing the tasks it has not seen. When something
 * in it cannot be cloned, posts the jobs one by one to find which, and fails those.
 *
 * @param slot The worker.
 * @param counters Where to count messages and chunks sent.
 * @param unsend Fails a job that could not be posted.
 */
export function sendOutbox(slot: Slot, counters: Counters, unsend: Unsend): void {
  const jobs = slot.outbox;
  slot.outbox = [];
  slot.ref();
  const defs: TaskDef[] = [];
  const wire: Job[] = new Array(jobs.length);
  let transfer: ArrayBuffer[] | undefined;
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    if (!slot.known.has(job.taskIndex)) {
      slot.known.add(job.taskIndex);
      defs.push(taskDef(job));
    }
    wire[i] = { id: job.id, task: job.taskIndex, items: job.items, spread: job.spread };
    if (job.transfer !== undefined) (transfer ??= []).push(...job.transfer);
  }
  try {
    slot.spawned.post({ type: "run", defs, jobs: wire }, transfer);
    counters.messagesSent++;
    counters.chunksSent += jobs.length;
    return;
  } catch (error) {
    if (!isDataCloneError(error)) {
      for (const job of jobs) unsend(slot, job, error);
      return;
    }
  }
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    try {
      slot.spawned.post({ type: "run", defs: [taskDef(job)], jobs: [wire[i]!] }, job.transfer);
      counters.messagesSent++;
      counters.chunksSent++;
    } catch (error) {
      unsend(slot, job, unsendableArguments(job, error));
    }
  }
}

function taskDef(job: PendingJob): TaskDef {
  return { index: job.taskIndex, module: job.task.module, name: job.task.name };
}

function unsendableArguments(job: PendingJob, error: unknown): TypeError {
  return new TypeError(
    `Cannot send the arguments of task "${job.task.name}": they cannot be cloned (functions, symbols and class instances with private state cannot travel): ${
      (error as Error).message
    }`,
    { cause: error },
  );
}
