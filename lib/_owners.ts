/**
 * The owners of a Pool call's jobs on the main side: they settle its `AsyncResult` from the jobs'
 * outcomes (one job for `applyAsync`, the chunks of a map gathered in input order), and stop
 * watching its abort signal once it settles.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { Settle } from "./async_result.ts";
import type { Engine } from "./_engine.ts";
import type { JobOwner, PendingJob } from "./_jobs.ts";

/** Settles an `applyAsync` result from its one job. */
export class ApplyOwner<R> implements JobOwner {
  #stopWatching: (() => void) | undefined;

  constructor(readonly settle: Settle<R>) {}

  watch(engine: Engine, job: PendingJob, signal: AbortSignal): void {
    const onAbort = () => {
      engine.cancel(job);
      this.settle.reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    this.#stopWatching = () => signal.removeEventListener("abort", onAbort);
  }

  done(_job: PendingJob, values: unknown[]): void {
    this.#stopWatching?.();
    this.settle.resolve(values[0] as R);
  }

  failed(_job: PendingJob, error: unknown): void {
    this.#stopWatching?.();
    this.settle.reject(error);
  }
}

/** Gathers a map's chunks into one ordered result. */
export class MapOwner<R> implements JobOwner {
  readonly jobs: PendingJob[] = [];
  readonly #results: R[];
  #remaining: number;
  #settled = false;
  #stopWatching: (() => void) | undefined;

  constructor(readonly engine: Engine, readonly settle: Settle<R[]>, items: number) {
    this.#results = new Array(items);
    this.#remaining = items;
  }

  watch(signal: AbortSignal): void {
    const onAbort = () => this.failed(undefined, signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    this.#stopWatching = () => signal.removeEventListener("abort", onAbort);
  }

  done(job: PendingJob, values: unknown[]): void {
    if (this.#settled) return;
    for (let i = 0; i < values.length; i++) this.#results[job.tag + i] = values[i] as R;
    this.#remaining -= values.length;
    if (this.#remaining > 0) return;
    this.#settled = true;
    this.#stopWatching?.();
    this.settle.resolve(this.#results);
  }

  failed(_job: PendingJob | undefined, error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#stopWatching?.();
    for (const job of this.jobs) this.engine.cancel(job);
    this.settle.reject(error);
  }
}
