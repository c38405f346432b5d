/**
 * The Pool's private engine: its workers, their lives and deaths, and the flow of jobs through
 * them. `pool.ts` is the thin public face that validates arguments and shapes results; the small
 * pieces the engine is built of live beside it: `_jobs.ts` (jobs and their queue), `_dispatch.ts`
 * (credits, assignment, batched sending), `_slot.ts` (one worker's bookkeeping), `_death.ts` (what
 * a worker's death means), `_stats.ts` (the counters) and `_remote_error.ts` (task errors).
 *
 * Jobs submitted in the same tick are queued and dispatched together in one microtask.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import { BrokenPoolError, PoolClosedError } from "./async_result.ts";
import { hasShared, reviveShared } from "./_shareable.ts";
import { spawnWorker, type WorkerExit } from "./_spawn.ts";
import type { FromWorker, JobResult, TaskRef } from "./_protocol.ts";
import { type JobOwner, JobQueue, PendingJob } from "./_jobs.ts";
import { assign, Credit, sendOutbox } from "./_dispatch.ts";
import { Slot } from "./_slot.ts";
import { brokenPoolError } from "./_death.ts";
import { Counters } from "./_stats.ts";
import { jobError } from "./_remote_error.ts";
import type { PoolStats } from "./pool_stats.ts";

/** What the engine is started with (validated by `Pool`). */
export interface EngineOptions {
  readonly processes: number;
  readonly initializer?: TaskRef;
  /** The initializer's arguments, already encoded. */
  readonly initargs?: readonly unknown[];
  readonly maxTasksPerChild?: number;
  readonly maxHeapMb?: number;
}

/** The engine's life: it accepts jobs only while `open`. */
type EngineState = "open" | "closed" | "terminated" | "broken";

/** Runs jobs on a fixed number of workers; see the module documentation. */
export class Engine {
  readonly #options: EngineOptions;
  readonly #slots: Slot[] = [];
  readonly #everySlot: Slot[] = [];
  readonly #queue = new JobQueue();
  readonly #credit = new Credit();
  readonly #counters = new Counters();
  #nextJobId = 1;
  readonly #taskIndexByRef = new WeakMap<TaskRef, number>();
  readonly #taskIndexByKey = new Map<string, number>();
  #flushQueued = false;
  #state: EngineState = "open";
  #brokenBy: BrokenPoolError | undefined;
  #holds = 0;
  readonly #joined: Promise<void>;
  #markJoined!: () => void;
  readonly #flushTask = () => this.#flush();
  readonly #unsend = (slot: Slot, job: PendingJob, error: unknown) => {
    slot.jobs.delete(job.id);
    slot.inflight--;
    if (slot.inflight === 0 && !slot.exitSent) slot.unref();
    job.fail(error);
  };

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#joined = new Promise((resolve) => this.#markJoined = resolve);
    for (let i = 0; i < options.processes; i++) this.#slots.push(this.#spawn(i));
  }

  /** The engine's state. */
  get state(): EngineState {
    return this.#state;
  }

  /** Why the engine broke, once it has. */
  get brokenBy(): BrokenPoolError | undefined {
    return this.#brokenBy;
  }

  /** Settles once every worker has exited after `close()` or `terminate()` (or a break). */
  get joined(): Promise<void> {
    return this.#joined;
  }

  #spawn(position: number): Slot {
    const { initializer, initargs, maxHeapMb } = this.#options;
    const spawned = spawnWorker({
      kind: "pool",
      setup: {
        mode: "pool",
        ...(initializer === undefined
          ? {}
          : { initializer: { module: initializer.module, name: initializer.name } }),
        ...(initargs === undefined ? {} : { initargs }),
      },
      ...(maxHeapMb === undefined ? {} : { maxHeapMb }),
    });
    const slot = new Slot(spawned, position);
    spawned.worker.unref();
    spawned.worker.on("message", (message: FromWorker) => this.#onMessage(slot, message));
    void spawned.exited.then((exit) => this.#onExit(slot, exit));
    this.#everySlot.push(slot);
    return slot;
  }

  /**
   * Lets a stream (an `imap`) keep submitting after `close()` until it releases its hold.
   *
   * @returns A function that releases the hold (once).
   */
  hold(): () => void {
    this.#holds++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#holds--;
      this.#finishIfIdle();
    };
  }

  /**
   * Queues a job. The caller has checked that the engine accepts it (see {@linkcode Engine.refusal}).
   *
   * @returns The job, to cancel it later.
   */
  submit(
    task: TaskRef,
    items: readonly unknown[],
    spread: boolean,
    owner: JobOwner,
    tag: number,
    transfer?: readonly ArrayBuffer[],
  ): PendingJob {
    const index = this.#taskIndex(task);
    const job = new PendingJob(this.#nextJobId++, task, index, items, spread, owner, tag, transfer);
    this.#queue.push(job);
    this.#counters.tasksSubmitted += items.length;
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flushTask);
    }
    return job;
  }

  /**
   * Tells why a new call cannot be accepted, or `undefined` when it can.
   *
   * @param caller What the caller was doing (`"map"`), for the message.
   * @param held Whether the caller holds the engine (an `imap` started before `close()`).
   */
  refusal(caller: string, held = false): Error | undefined {
    switch (this.#state) {
      case "open":
        return undefined;
      case "closed":
        return held ? undefined : new PoolClosedError(
          `Cannot ${caller}: the pool is closed: make calls before close(), or use a new pool`,
        );
      case "terminated":
        return new PoolClosedError(
          `Cannot ${caller}: the pool was terminated: use a new pool`,
        );
      case "broken":
        return new BrokenPoolError(`Cannot ${caller}: ${this.#brokenBy!.message}`, {
          cause: this.#brokenBy,
        });
    }
  }

  /** Forgets a job: not sent if still queued, its outcome ignored if already sent. */
  cancel(job: PendingJob): void {
    if (job.state === "queued" || job.state === "sent") job.state = "cancelled";
  }

  /** Accepts no more jobs; the workers exit once the queued and running ones are done. */
  close(): void {
    if (this.#state === "open") this.#state = "closed";
    this.#finishIfIdle();
  }

  /** Stops every worker now; pending jobs fail with a {@linkcode PoolClosedError}. */
  terminate(): Promise<void> {
    if (this.#state === "open" || this.#state === "closed") {
      this.#state = "terminated";
      this.#failEverything(
        new PoolClosedError(
          "Cannot finish task: the pool was terminated before it ran or returned",
        ),
      );
    }
    this.#stopAll();
    return this.#joined;
  }

  /** A snapshot of the counters; see `PoolStats` in `pool_stats.ts`. */
  stats(): PoolStats {
    return this.#counters.snapshot(this.#slots, this.#everySlot);
  }

  #taskIndex(task: TaskRef): number {
    const known = this.#taskIndexByRef.get(task);
    if (known !== undefined) return known;
    const key = `${task.module}#${task.name}`;
    let index = this.#taskIndexByKey.get(key);
    if (index === undefined) {
      index = this.#taskIndexByKey.size;
      this.#taskIndexByKey.set(key, index);
    }
    if (Object.isFrozen(task)) this.#taskIndexByRef.set(task, index);
    return index;
  }

  #flush(): void {
    this.#flushQueued = false;
    if (this.#state === "terminated" || this.#state === "broken") return;
    assign(this.#queue, this.#slots, this.#credit.value, this.#options.maxTasksPerChild);
    for (const slot of this.#slots) {
      if (slot.outbox.length > 0) sendOutbox(slot, this.#counters, this.#unsend);
    }
    // A flush can leave every worker idle with nothing queued (cancelled jobs skipped, arguments
    // that could not be cloned failed in sendOutbox): after close(), that is the end of the work.
    this.#finishIfIdle();
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    this.#counters.messagesReceived++;
    if (message.type !== "done") return;
    for (const result of message.results) this.#finish(slot, result);
    if (slot.inflight === 0) {
      if (slot.retiring) this.#sendExit(slot);
      else slot.unref();
    }
    if (this.#queue.pending) this.#flush();
    this.#finishIfIdle();
  }

  #finish(slot: Slot, result: JobResult): void {
    const job = slot.jobs.get(result.id);
    if (job === undefined) return;
    slot.jobs.delete(result.id);
    slot.inflight--;
    this.#counters.answered(slot, result);
    this.#credit.record(result.busyMs);
    if (job.state !== "sent") return;
    if (!result.ok) return job.fail(jobError(result, job.task, slot.name));
    job.state = "finished";
    if (hasShared(result.values)) {
      reviveShared(result.values).then(
        (values) => job.owner.done(job, values as unknown[]),
        (error) => job.owner.failed(job, error),
      );
    } else {
      job.owner.done(job, result.values);
    }
  }

  #sendExit(slot: Slot): void {
    if (slot.exitSent || slot.exited) return;
    slot.exitSent = true;
    slot.ref();
    slot.spawned.post({ type: "exit" });
    this.#counters.messagesSent++;
  }

  #finishIfIdle(): void {
    if (this.#state !== "closed" || this.#holds > 0 || this.#queue.pending) return;
    for (const slot of this.#slots) if (slot.inflight > 0) return;
    for (const slot of this.#slots) this.#sendExit(slot);
    this.#checkJoined();
  }

  #onExit(slot: Slot, exit: WorkerExit): void {
    slot.exited = true;
    slot.referenced = false;
    if (this.#state === "terminated" || this.#state === "broken") return this.#checkJoined();
    if (slot.exitSent && exit.code === 0 && slot.jobs.size === 0) {
      const wanted = this.#state === "open" || this.#queue.pending || this.#holds > 0;
      if (slot.retiring && wanted) {
        this.#slots[slot.position] = this.#spawn(slot.position);
        this.#flush();
      }
      return this.#checkJoined();
    }
    const error = brokenPoolError(slot, exit, this.#options.maxHeapMb);
    this.#state = "broken";
    this.#brokenBy = error;
    this.#failEverything(error);
    this.#stopAll();
  }

  #failEverything(error: unknown): void {
    const failing = this.#queue.takeAll();
    for (const slot of this.#slots) {
      for (const job of slot.jobs.values()) failing.push(job);
      slot.jobs.clear();
      slot.inflight = 0;
      slot.outbox = [];
    }
    for (const job of failing) job.fail(error);
  }

  #stopAll(): void {
    for (const slot of this.#slots) {
      if (slot.exited) continue;
      slot.ref();
      void slot.spawned.worker.terminate();
    }
    this.#checkJoined();
  }

  #checkJoined(): void {
    if (this.#state === "open") return;
    if (this.#everySlot.every((slot) => slot.exited)) this.#markJoined();
  }
}
