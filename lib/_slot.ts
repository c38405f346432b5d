/**
 * One Pool worker as the engine sees it: the spawned worker, its jobs in flight, the tasks it has
 * been introduced to, its counters, and whether it keeps the process alive.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { PendingJob } from "./_jobs.ts";
import type { SpawnedWorker } from "./_spawn.ts";

/** One worker and what the engine knows about it. */
export class Slot {
  /** Jobs sent and not yet answered. */
  inflight = 0;
  /** Those jobs, by id. */
  readonly jobs = new Map<number, PendingJob>();
  /** The task indexes this worker has been introduced to. */
  readonly known = new Set<number>();
  /** Jobs assigned to it and not yet posted. */
  outbox: PendingJob[] = [];
  /** Task calls it ran (returned or threw). */
  tasks = 0;
  /** Jobs it answered. */
  chunks = 0;
  /** Milliseconds it spent inside task functions. */
  busyMs = 0;
  /** Jobs ever assigned to it (for `maxTasksPerChild`). */
  assigned = 0;
  /** It takes no new jobs and exits once its jobs are done (`maxTasksPerChild` reached). */
  retiring = false;
  exitSent = false;
  exited = false;
  referenced = false;

  constructor(readonly spawned: SpawnedWorker, readonly position: number) {}

  /** The worker's name (`"PoolWorker-3"`). */
  get name(): string {
    return this.spawned.info.name;
  }

  /** Lets the worker keep the process alive (while it has work). */
  ref(): void {
    if (this.referenced || this.exited) return;
    this.referenced = true;
    this.spawned.worker.ref();
  }

  /** Lets the process exit while the worker idles. */
  unref(): void {
    if (!this.referenced) return;
    this.referenced = false;
    this.spawned.worker.unref();
  }
}
