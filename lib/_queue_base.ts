/**
 * The engine of the three queue classes: one ring buffer in shared memory, its encode and decode
 * steps, and the blocking and async forms of put and get over it.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import { adopted, sharedState } from "./_adopt.ts";
import { type Ctx, ctxOf } from "./_mutex.ts";
import {
  checkOptionsObject,
  checkSize,
  decodeItem,
  encodeFor,
  Ring,
  type RingFailure,
  type RingResult,
} from "./_ring.ts";
import { abortError, runAsync, runBlocking } from "./_wait.ts";
import type { SyncWaitOptions } from "./timeout.ts";
import { QueueClosedError, QueueEmptyError, QueueFullError } from "./queue_errors.ts";

/** A queue's default buffer size in bytes (`DEFAULT_QUEUE_CAPACITY`): 1 MiB. */
export const DEFAULT_CAPACITY = 1 << 20;

/** The options a queue's engine reads (`QueueOptions`). */
export interface QueueBaseOptions {
  readonly maxsize?: number;
  readonly capacity?: number;
}

function failure(why: RingFailure, ctx: Ctx, full: boolean): unknown {
  if (why === "aborted") return abortError(ctx.signal, ctx.caller);
  if (why === "closed") {
    return new QueueClosedError(
      full
        ? `Cannot ${ctx.caller}: the queue is closed`
        : `Cannot ${ctx.caller}: the queue is closed and empty`,
    );
  }
  const message = `Cannot ${ctx.caller}: the queue stayed ${
    full ? "full" : "empty"
  } for ${ctx.timeout} ms`;
  return full ? new QueueFullError(message) : new QueueEmptyError(message);
}

/** A ring result's value, or its failure thrown. */
export function unwrap<T>(result: RingResult<T>, ctx: Ctx, full: boolean): T {
  if (!result.ok) throw failure(result.why, ctx, full);
  return result.value;
}

/**
 * The shared engine of the three queue classes; holds the ring and its encode/decode steps.
 *
 * @ignore
 */
export abstract class QueueBase<T> {
  readonly #ring: Ring;

  constructor(options: QueueBaseOptions, kind: string) {
    const state = adopted();
    if (state !== undefined) {
      this.#ring = new Ring(sharedState(state, kind, ["buffer"]).buffer);
      return;
    }
    checkOptionsObject(options, "make queue");
    const maxsize = checkSize(options.maxsize, 0, "maxsize", 0, "make queue");
    const capacity = checkSize(
      options.capacity,
      DEFAULT_CAPACITY,
      "capacity",
      16,
      "make queue",
    );
    this.#ring = new Ring(Ring.allocate(capacity, maxsize));
  }

  protected get ring(): Ring {
    return this.#ring;
  }

  /** Whether a put adds an unfinished task (JoinableQueue). */
  protected get countsTasks(): boolean {
    return false;
  }

  #encode(item: T, ctx: Ctx): Uint8Array {
    return encodeFor(this.#ring, item, ctx.caller, "queue");
  }

  /** The fast path of a put: `true` when done without waiting. */
  #tryPut(bytes: Uint8Array, ctx: Ctx): boolean {
    if (ctx.signal?.aborted) return false;
    const done = this.#ring.tryPut(bytes, this.countsTasks);
    if (done === "closed") throw failure("closed", ctx, true);
    return done === "ok";
  }

  /** The fast path of a get: the item's bytes when there was one. */
  #tryGet(ctx: Ctx): Uint8Array | undefined {
    if (ctx.signal?.aborted) return undefined;
    const got = this.#ring.tryGet();
    if (got === "closed") throw failure("closed", ctx, false);
    return got === "wait" ? undefined : got;
  }

  protected putBlocking(item: T, options: SyncWaitOptions): void {
    const ctx = ctxOf(options, "put item");
    const bytes = this.#encode(item, ctx);
    if (this.#tryPut(bytes, ctx)) return;
    unwrap(
      runBlocking(this.#ring.put(bytes, ctx, this.countsTasks), ctx.timeout, ctx.signal),
      ctx,
      true,
    );
  }

  protected async putAsyncImpl(item: T, options: SyncWaitOptions): Promise<void> {
    const ctx = ctxOf(options, "put item");
    const bytes = this.#encode(item, ctx);
    if (this.#tryPut(bytes, ctx)) return;
    unwrap(
      await runAsync(this.#ring.put(bytes, ctx, this.countsTasks), ctx.timeout, ctx.signal),
      ctx,
      true,
    );
  }

  protected getBlocking(options: SyncWaitOptions): T {
    const ctx = ctxOf(options, "get item");
    const bytes = this.#tryGet(ctx) ??
      unwrap(runBlocking(this.#ring.get(ctx), ctx.timeout, ctx.signal), ctx, false);
    return decodeItem(bytes) as T;
  }

  protected async getAsyncImpl(options: SyncWaitOptions): Promise<T> {
    const ctx = ctxOf(options, "get item");
    const bytes = this.#tryGet(ctx) ??
      unwrap(await runAsync(this.#ring.get(ctx), ctx.timeout, ctx.signal), ctx, false);
    return decodeItem(bytes) as T;
  }

  protected closeRing(): void {
    const ctx = ctxOf({}, "close queue");
    runBlocking(this.#ring.close(ctx), Infinity);
  }
}
