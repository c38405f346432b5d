/**
 * The Pool's jobs on the main side: a {@linkcode PendingJob} from submission to its outcome, the
 * {@linkcode JobOwner} told of that outcome, and the {@linkcode JobQueue} of jobs not yet sent.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { TaskRef } from "./_protocol.ts";

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

  /** Tells the owner of a job still waiting for its outcome that it failed; once. */
  fail(error: unknown): void {
    if (this.state !== "queued" && this.state !== "sent") return;
    this.state = "finished";
    this.owner.failed(this, error);
  }
}

/** The jobs not yet sent, first in first out; cancelled ones are skipped. */
export class JobQueue {
  #jobs: PendingJob[] = [];
  #head = 0;

  /** Queues a job. */
  push(job: PendingJob): void {
    this.#jobs.push(job);
  }

  /** The next job to send (skipping cancelled ones), or `undefined` when none waits. */
  peek(): PendingJob | undefined {
    const jobs = this.#jobs;
    while (this.#head < jobs.length && jobs[this.#head]!.state !== "queued") this.#head++;
    return jobs[this.#head];
  }

  /** Removes the job {@linkcode JobQueue.peek} returned, compacting the array now and then. */
  shift(): void {
    this.#head++;
    if (this.#head === this.#jobs.length) {
      this.#jobs = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#jobs.length) {
      this.#jobs = this.#jobs.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Whether a job waits to be sent. */
  get pending(): boolean {
    return this.peek() !== undefined;
  }

  /** Empties the queue. @returns The jobs that were in it. */
  takeAll(): PendingJob[] {
    const rest = this.#jobs.slice(this.#head);
    this.#jobs = [];
    this.#head = 0;
    return rest;
  }
}
