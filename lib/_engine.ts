/**
 * The Pool's private engine: its workers, its queue of jobs, the dispatcher that sends them, and
 * its counters. `pool.ts` is the thin public face that validates arguments and shapes results.
 *
 * Scheduling: jobs submitted in the same tick are queued and dispatched together in one microtask,
 * each to the live worker with the fewest jobs in flight, one message per worker. A worker may hold
 * up to a credit of jobs in flight: {@linkcode INITIAL_CREDIT} until the first job comes back, then
 * as many as take about {@linkcode TARGET_BATCH_MS} of measured task time (between
 * {@linkcode MIN_CREDIT} and {@linkcode MAX_CREDIT}), so that long chunks are balanced one by one
 * while tiny tasks travel by the hundred.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import { BrokenPoolError, PoolClosedError } from "./async_result.ts";
import { hasShared, reviveShared } from "./_shareable.ts";
import { type SpawnedWorker, spawnWorker, type WorkerExit } from "./_spawn.ts";
import {
  type FromWorker,
  isDataCloneError,
  type Job,
  type JobFailed,
  type JobResult,
  type TaskDef,
  type TaskRef,
  type WireError,
} from "./_protocol.ts";
import type { PoolStats } from "./pool.ts";

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

/** What the engine is started with (validated by `Pool`). */
export interface EngineOptions {
  readonly processes: number;
  readonly initializer?: TaskRef;
  /** The initializer's arguments, already encoded. */
  readonly initargs?: readonly unknown[];
  readonly maxTasksPerChild?: number;
  readonly maxHeapMb?: number;
}

/** Receives the outcome of the jobs it submitted. Its methods must not throw. */
export interface JobOwner {
  /** The job's calls all returned: one revived value per item. */
  done(job: PendingJob, values: unknown[]): void;
  /** The job failed: a call threw, the worker died, or the pool was terminated. */
  failed(job: PendingJob, error: unknown): void;
}

/** A job on the main side, from submission to its outcome. */
export class PendingJob {
  /** `queued` until sent, `sent` until answered, then `finished`; or `cancelled`. */
  state: "queued" | "sent" | "finished" | "cancelled" = "queued";
  /** The worker it was sent to. */
  slot: Slot | undefined = undefined;

  constructor(
    readonly id: number,
    readonly task: TaskRef,
    readonly taskIndex: number,
    readonly items: readonly unknown[],
    /** Whether each item is an argument list (`apply`, `starmap`) or one argument (`map`). */
    readonly spread: boolean,
    readonly owner: JobOwner,
    /** The owner's tag: for a map, the index of the chunk's first item. */
    readonly tag: number,
    readonly transfer: readonly ArrayBuffer[] | undefined,
  ) {}
}

/** One worker and what the engine knows about it. */
class Slot {
  inflight = 0;
  readonly jobs = new Map<number, PendingJob>();
  readonly known = new Set<number>();
  outbox: PendingJob[] = [];
  tasks = 0;
  chunks = 0;
  busyMs = 0;
  assigned = 0;
  retiring = false;
  exitSent = false;
  exited = false;
  referenced = false;

  constructor(readonly spawned: SpawnedWorker, readonly position: number) {}

  get name(): string {
    return this.spawned.info.name;
  }

  ref(): void {
    if (this.referenced || this.exited) return;
    this.referenced = true;
    this.spawned.worker.ref();
  }

  unref(): void {
    if (!this.referenced) return;
    this.referenced = false;
    this.spawned.worker.unref();
  }
}

/** The engine's life: it accepts jobs only while `open`. */
type EngineState = "open" | "closed" | "terminated" | "broken";

/** Runs jobs on a fixed number of workers; see the module documentation. */
export class Engine {
  readonly #options: EngineOptions;
  readonly #slots: Slot[] = [];
  readonly #everySlot: Slot[] = [];
  #queue: PendingJob[] = [];
  #head = 0;
  #nextJobId = 1;
  readonly #taskIndexByRef = new WeakMap<TaskRef, number>();
  readonly #taskIndexByKey = new Map<string, number>();
  #flushQueued = false;
  #state: EngineState = "open";
  #brokenBy: BrokenPoolError | undefined;
  #holds = 0;
  #averageMs = Number.NaN;
  #tasksSubmitted = 0;
  #tasksCompleted = 0;
  #tasksFailed = 0;
  #chunksSent = 0;
  #messagesSent = 0;
  #messagesReceived = 0;
  readonly #joined: Promise<void>;
  #markJoined!: () => void;
  readonly #flushTask = () => this.#flush();

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
    const job = new PendingJob(
      this.#nextJobId++,
      task,
      this.#taskIndex(task),
      items,
      spread,
      owner,
      tag,
      transfer,
    );
    this.#queue.push(job);
    this.#tasksSubmitted += items.length;
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

  /** A snapshot of the counters; see `PoolStats` in `pool.ts`. */
  stats(): PoolStats {
    return {
      workers: this.#slots.filter((slot) => !slot.exited).length,
      tasksSubmitted: this.#tasksSubmitted,
      tasksCompleted: this.#tasksCompleted,
      tasksFailed: this.#tasksFailed,
      chunksSent: this.#chunksSent,
      messagesSent: this.#messagesSent,
      messagesReceived: this.#messagesReceived,
      perWorker: this.#everySlot.map((slot) => ({
        id: slot.spawned.info.id,
        name: slot.name,
        alive: !slot.exited,
        tasks: slot.tasks,
        chunks: slot.chunks,
        busyMs: slot.busyMs,
      })),
    };
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

  #credit(): number {
    const average = this.#averageMs;
    if (Number.isNaN(average)) return INITIAL_CREDIT;
    if (average <= 0) return MAX_CREDIT;
    return Math.max(MIN_CREDIT, Math.min(MAX_CREDIT, Math.ceil(TARGET_BATCH_MS / average)));
  }

  #flush(): void {
    this.#flushQueued = false;
    if (this.#state === "terminated" || this.#state === "broken") return;
    const credit = this.#credit();
    const limit = this.#options.maxTasksPerChild;
    const queue = this.#queue;
    const slots = this.#slots;
    let head = this.#head;
    while (head < queue.length) {
      const job = queue[head]!;
      if (job.state !== "queued") {
        head++;
        continue;
      }
      let best: Slot | undefined;
      for (const slot of slots) {
        if (slot.retiring || slot.exited || slot.inflight >= credit) continue;
        if (best === undefined || slot.inflight < best.inflight) best = slot;
      }
      if (best === undefined) break;
      head++;
      job.state = "sent";
      job.slot = best;
      best.inflight++;
      best.jobs.set(job.id, job);
      best.outbox.push(job);
      if (limit !== undefined && ++best.assigned >= limit) best.retiring = true;
    }
    if (head === queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (head > 4096 && head * 2 > queue.length) {
      this.#queue = queue.slice(head);
      this.#head = 0;
    } else {
      this.#head = head;
    }
    for (const slot of slots) if (slot.outbox.length > 0) this.#send(slot);
    // A flush can leave every worker idle with nothing queued (cancelled jobs skipped, arguments
    // that could not be cloned failed in #send): after close(), that is the end of the work.
    this.#finishIfIdle();
  }

  #send(slot: Slot): void {
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
        defs.push({ index: job.taskIndex, module: job.task.module, name: job.task.name });
      }
      wire[i] = { id: job.id, task: job.taskIndex, items: job.items, spread: job.spread };
      if (job.transfer !== undefined) (transfer ??= []).push(...job.transfer);
    }
    try {
      slot.spawned.post({ type: "run", defs, jobs: wire }, transfer);
      this.#messagesSent++;
      this.#chunksSent += jobs.length;
      return;
    } catch (error) {
      if (!isDataCloneError(error)) {
        for (const job of jobs) this.#unsend(slot, job, error);
        return;
      }
    }
    // Something in the batch cannot be cloned: send the jobs one by one to find which.
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      const def = { index: job.taskIndex, module: job.task.module, name: job.task.name };
      try {
        slot.spawned.post({ type: "run", defs: [def], jobs: [wire[i]!] }, job.transfer);
        this.#messagesSent++;
        this.#chunksSent++;
      } catch (error) {
        this.#unsend(
          slot,
          job,
          new TypeError(
            `Cannot send the arguments of task "${job.task.name}": they cannot be cloned (functions, symbols and class instances with private state cannot travel): ${
              (error as Error).message
            }`,
            { cause: error },
          ),
        );
      }
    }
  }

  #unsend(slot: Slot, job: PendingJob, error: unknown): void {
    slot.jobs.delete(job.id);
    slot.inflight--;
    if (slot.inflight === 0 && !slot.exitSent) slot.unref();
    if (job.state !== "sent") return;
    job.state = "finished";
    job.owner.failed(job, error);
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    this.#messagesReceived++;
    if (message.type !== "done") return;
    for (const result of message.results) this.#finish(slot, result);
    if (slot.inflight === 0) {
      if (slot.retiring) this.#sendExit(slot);
      else slot.unref();
    }
    if (this.#hasQueued()) this.#flush();
    this.#finishIfIdle();
  }

  #finish(slot: Slot, result: JobResult): void {
    const job = slot.jobs.get(result.id);
    if (job === undefined) return;
    slot.jobs.delete(result.id);
    slot.inflight--;
    slot.chunks++;
    slot.busyMs += result.busyMs;
    const average = this.#averageMs;
    this.#averageMs = Number.isNaN(average)
      ? result.busyMs
      : average + (result.busyMs - average) * AVERAGE_WEIGHT;
    if (result.ok) {
      slot.tasks += result.values.length;
      this.#tasksCompleted += result.values.length;
    } else {
      slot.tasks += result.index + 1;
      this.#tasksCompleted += result.index;
      this.#tasksFailed++;
    }
    if (job.state !== "sent") return;
    job.state = "finished";
    if (!result.ok) {
      job.owner.failed(job, jobError(result, job.task, slot.name));
    } else if (hasShared(result.values)) {
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
    this.#messagesSent++;
  }

  /** Whether a job still waits to be sent; skips the cancelled ones at the queue's head. */
  #hasQueued(): boolean {
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.state !== "queued") {
      this.#head++;
    }
    return this.#head < this.#queue.length;
  }

  #finishIfIdle(): void {
    if (this.#state !== "closed" || this.#holds > 0 || this.#hasQueued()) return;
    for (const slot of this.#slots) if (slot.inflight > 0) return;
    for (const slot of this.#slots) this.#sendExit(slot);
    this.#checkJoined();
  }

  #onExit(slot: Slot, exit: WorkerExit): void {
    slot.exited = true;
    slot.referenced = false;
    if (this.#state === "terminated" || this.#state === "broken") return this.#checkJoined();
    if (slot.exitSent && exit.code === 0 && slot.jobs.size === 0) {
      const wanted = this.#state === "open" || this.#hasQueued() || this.#holds > 0;
      if (slot.retiring && wanted) {
        this.#slots[slot.position] = this.#spawn(slot.position);
        this.#flush();
      }
      return this.#checkJoined();
    }
    this.#break(slot, exit);
  }

  #break(slot: Slot, exit: WorkerExit): void {
    const cause = exit.fatal !== undefined
      ? remoteError(exit.fatal, { module: "", name: "initializer" }, slot.name)
      : exit.error;
    const error = new BrokenPoolError(
      `Pool is broken: ${
        this.#describeExit(slot, exit)
      }: its pending tasks failed: make a new pool`,
      cause === undefined ? undefined : { cause },
    );
    this.#state = "broken";
    this.#brokenBy = error;
    this.#failEverything(error);
    this.#stopAll();
  }

  #describeExit(slot: Slot, exit: WorkerExit): string {
    if (exit.fatal !== undefined) {
      return `${slot.name}'s initializer threw ${exit.fatal.name}: ${exit.fatal.message}`;
    }
    const code = (exit.error as { code?: unknown } | undefined)?.code;
    if (code === "ERR_WORKER_OUT_OF_MEMORY") {
      const limit = this.#options.maxHeapMb;
      return `${slot.name} ran out of memory (${
        limit === undefined ? "the default heap limit" : `maxHeapMb: ${limit}`
      })`;
    }
    if (exit.error !== undefined) {
      return `${slot.name} died of an uncaught error outside its task: ${exit.error.message}`;
    }
    return `${slot.name} exited with code ${exit.code} (Deno.exit() or process.exit() in a task)`;
  }

  #failEverything(error: unknown): void {
    const failing: PendingJob[] = [];
    for (let i = this.#head; i < this.#queue.length; i++) failing.push(this.#queue[i]!);
    this.#queue = [];
    this.#head = 0;
    for (const slot of this.#slots) {
      for (const job of slot.jobs.values()) failing.push(job);
      slot.jobs.clear();
      slot.inflight = 0;
      slot.outbox = [];
    }
    for (const job of failing) {
      if (job.state !== "queued" && job.state !== "sent") continue;
      job.state = "finished";
      job.owner.failed(job, error);
    }
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

const BUILT_IN_ERRORS: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * The error a failed job rejects with: the task's error rebuilt ({@linkcode remoteError}), or for
 * results that could not be cloned, a `TypeError` naming the task with the clone error as its
 * `cause` (as CPython's `MaybeEncodingError` keeps the pickling error).
 *
 * @param result The failed job's answer.
 * @param task The task.
 * @param worker The worker's name.
 * @returns The error to reject with.
 */
export function jobError(result: JobFailed, task: TaskRef, worker: string): Error {
  const { error } = result;
  if (result.unsendable !== true) return remoteError(error, task, worker);
  return new TypeError(
    `Cannot return the result of task "${task.name}": ${error.message}`,
    error.cause === undefined ? undefined : { cause: remoteError(error.cause, task, worker) },
  );
}

/**
 * Rebuilds a task's error on the main side, as Python re-raises a worker's exception with its
 * remote traceback as the cause: the same name and message (a built-in class when the name is
 * one), and as `cause` an error whose `stack` is the worker's stack.
 *
 * @param wire The error as it travelled.
 * @param task The task that threw.
 * @param worker The worker's name.
 * @returns The error to reject with.
 */
export function remoteError(wire: WireError, task: TaskRef, worker: string): Error {
  const remote = new Error(`Task "${task.name}" failed in ${worker}`);
  remote.name = "RemoteError";
  remote.stack = `RemoteError: task "${task.name}" failed in ${worker}:\n${
    wire.stack ?? `${wire.name}: ${wire.message}`
  }`;
  if (wire.cause !== undefined) remote.cause = remoteError(wire.cause, task, worker);
  const Constructor = BUILT_IN_ERRORS[wire.name] ?? Error;
  const error = new Constructor(wire.message, { cause: remote });
  if (error.name !== wire.name) error.name = wire.name;
  if (wire.code !== undefined) (error as { code?: string }).code = wire.code;
  return error;
}
