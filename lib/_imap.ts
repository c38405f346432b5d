/**
 * The engine side of `Pool.imap` and `Pool.imapUnordered`: reads the input lazily, keeps at most
 * `bufferSize` chunks sent or waiting to be read (the backpressure bound), and yields results in
 * input order or in completion order.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { Engine } from "./_engine.ts";
import type { JobOwner, PendingJob } from "./_jobs.ts";
import { encodeShared } from "./_shareable.ts";
import type { TaskRef } from "./_protocol.ts";

/** How an imap runs. */
export interface ImapSpec {
  /** Results in input order (`imap`) or in completion order (`imapUnordered`). */
  readonly ordered: boolean;
  /** Each input item is an argument list (`starmap` style) rather than one argument. */
  readonly star: boolean;
  readonly chunksize: number;
  readonly bufferSize: number;
  readonly signal?: AbortSignal;
  /** What the caller was doing, for messages (`"imap"`). */
  readonly caller: string;
}

interface Chunk {
  readonly job: PendingJob;
  settled: boolean;
  failed: boolean;
  values: unknown[];
  error: unknown;
}

/** Gathers chunk outcomes and wakes the reader. */
class Window implements JobOwner {
  readonly inOrder: Chunk[] = [];
  readonly completed: Chunk[] = [];
  readonly byJob = new Map<PendingJob, Chunk>();
  wake: (() => void) | undefined;

  add(job: PendingJob): void {
    const chunk: Chunk = { job, settled: false, failed: false, values: [], error: undefined };
    this.byJob.set(job, chunk);
    this.inOrder.push(chunk);
  }

  done(job: PendingJob, values: unknown[]): void {
    this.#settle(job, false, values, undefined);
  }

  failed(job: PendingJob, error: unknown): void {
    this.#settle(job, true, [], error);
  }

  #settle(job: PendingJob, failed: boolean, values: unknown[], error: unknown): void {
    const chunk = this.byJob.get(job);
    if (chunk === undefined || chunk.settled) return;
    chunk.settled = true;
    chunk.failed = failed;
    chunk.values = values;
    chunk.error = error;
    this.completed.push(chunk);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Takes the next chunk to read, once it is settled. */
  take(ordered: boolean, signal: AbortSignal | undefined): Promise<Chunk> | Chunk {
    const ready = this.#ready(ordered);
    if (ready !== undefined) return ready;
    return new Promise<Chunk>((resolve, reject) => {
      const onAbort = () => {
        this.wake = undefined;
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const check = () => {
        const chunk = this.#ready(ordered);
        if (chunk === undefined) {
          this.wake = check;
          return;
        }
        signal?.removeEventListener("abort", onAbort);
        resolve(chunk);
      };
      this.wake = check;
    });
  }

  #ready(ordered: boolean): Chunk | undefined {
    if (ordered) {
      const head = this.inOrder[0];
      if (head === undefined || !head.settled) return undefined;
      this.inOrder.shift();
      this.byJob.delete(head.job);
      return head;
    }
    const chunk = this.completed.shift();
    if (chunk === undefined) return undefined;
    this.inOrder.splice(this.inOrder.indexOf(chunk), 1);
    this.byJob.delete(chunk.job);
    return chunk;
  }
}

/** What one read of the input gave: a chunk's items, and whether the input ended or threw. */
interface Read {
  readonly items: unknown[];
  /** The input has no more items (it ended or threw). */
  readonly exhausted: boolean;
  /** What the input threw, if it did; the items read before it in this chunk are dropped. */
  readonly thrown?: { readonly error: unknown };
}

/**
 * Reads up to `chunksize` items, encoded for travel. An input that throws ends the input: as in
 * CPython, the results of the chunks sent before are still yielded, then the error is thrown.
 */
async function readChunk(
  iterator: Iterator<unknown> | AsyncIterator<unknown>,
  spec: ImapSpec,
): Promise<Read> {
  const items: unknown[] = [];
  try {
    while (items.length < spec.chunksize) {
      const step = iterator.next();
      const next = step instanceof Promise ? await step : step as IteratorResult<unknown>;
      if (next.done) return { items, exhausted: true };
      items.push(encodeShared(spec.star ? argumentList(next.value, spec.caller) : next.value));
    }
  } catch (error) {
    return { items: [], exhausted: true, thrown: { error } };
  }
  return { items, exhausted: false };
}

/**
 * Runs a task over an input lazily; see the module documentation.
 *
 * @param engine The pool's engine.
 * @param task The task.
 * @param source The input, sync or async.
 * @param spec How to run.
 * @returns The results, as an async generator.
 */
export async function* imapResults(
  engine: Engine,
  task: TaskRef,
  source: Iterable<unknown> | AsyncIterable<unknown>,
  spec: ImapSpec,
): AsyncGenerator<unknown, void, undefined> {
  const { signal, bufferSize, ordered, star, caller } = spec;
  signal?.throwIfAborted();
  const refusal = engine.refusal(caller);
  if (refusal !== undefined) throw refusal;
  const release = engine.hold();
  const iterator = Symbol.asyncIterator in source
    ? source[Symbol.asyncIterator]()
    : (source as Iterable<unknown>)[Symbol.iterator]();
  const window = new Window();
  let exhausted = false;
  let thrown: { readonly error: unknown } | undefined;
  let outstanding = 0;
  let position = 0;
  try {
    while (true) {
      // Refill once half the window is read, so that refills travel in batches.
      const refill = outstanding <= bufferSize >> 1;
      while (refill && !exhausted && outstanding < bufferSize) {
        const read = await readChunk(iterator, spec);
        exhausted = read.exhausted;
        thrown = read.thrown;
        if (read.items.length === 0) break;
        signal?.throwIfAborted();
        const stopped = engine.refusal(caller, true);
        if (stopped !== undefined) throw stopped;
        window.add(engine.submit(task, read.items, star, window, position));
        position += read.items.length;
        outstanding++;
      }
      if (outstanding === 0) {
        if (thrown !== undefined) throw thrown.error;
        return;
      }
      signal?.throwIfAborted();
      const taken = window.take(ordered, signal);
      const chunk = taken instanceof Promise ? await taken : taken;
      outstanding--;
      if (chunk.failed) throw chunk.error;
      for (const value of chunk.values) yield value;
    }
  } finally {
    for (const chunk of window.byJob.values()) engine.cancel(chunk.job);
    release();
    if (!exhausted) await iterator.return?.();
  }
}

/**
 * Checks that a starmap item is an argument list.
 *
 * @param value The item.
 * @param caller What the caller was doing.
 * @returns The item, as an argument list.
 * @throws {TypeError} If it is not an array.
 */
export function argumentList(value: unknown, caller: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new TypeError(
      `Cannot ${caller}: each item must be an array of arguments: received ${typeof value}`,
    );
  }
  return value;
}
