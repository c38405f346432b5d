/**
 * A multi-producer, multi-consumer queue of byte records in one SharedArrayBuffer: what `Queue`,
 * `JoinableQueue`, `SimpleQueue` and `Pipe` are made of. MessagePorts cannot do this job: a port
 * belongs to one worker, while a queue is shared by any number of them.
 *
 * Layout: a header of Int32 words (a futex mutex, the read and write offsets, the bytes and items
 * in use, two sequence words that waiters sleep on, the closed flag, the unfinished-task count),
 * then a circular data area of `capacity` bytes holding records `[u32 length][payload]`, which may
 * wrap around its end. Every change happens with the mutex held; waiters sleep on a sequence word
 * with the mutex released, and a changer bumps that word before `Atomics.notify`, so no wake-up is
 * lost. A change wakes every waiter of its word (they check again under the mutex): a waiter that
 * times out or only polls can then never swallow the wake-up another one needed.
 *
 * Items are encoded with `node:v8` `serialize` (the structured clone format; numbers and strings
 * take a faster path of their own): numbers, bigints,
 * strings, booleans, null, undefined, plain objects and arrays, Map, Set, Date, RegExp, typed
 * arrays and errors travel; functions, symbols, class prototypes (an instance arrives as a plain
 * object) and SharedArrayBuffers (so every shared object of `lib/`) do not.
 *
 * This file is private to `lib/`.
 *
 * This file stays over 300 lines: the ring is one algorithm (put, get, close and their wake-ups
 * keep one invariant over the same words) with its item codec.
 *
 * @module
 */

import { deserialize, serialize } from "node:v8";
import { type Ctx, mutexRelease, mutexSteps, mutexTry } from "./_mutex.ts";
import { encodeShared } from "./_shareable.ts";
import type { WaitSteps } from "./_wait.ts";
import { TimeoutError } from "./timeout.ts";

const HEAD = 2;
const TAIL = 3;
const USED = 4;
const COUNT = 5;
const NOT_EMPTY = 6;
const NOT_FULL = 7;
const CLOSED = 8;
const UNFINISHED = 9;
const MAXSIZE = 10;
const CAPACITY = 11;
const WORDS = 12;
const HEADER_BYTES = WORDS * 4;
const LENGTH_BYTES = 4;
/**
 * How long a put or get that may not wait tries for the ring's mutex, in milliseconds: its holder
 * only copies one record.
 */
const LOCK_SPIN_MS = 0.05;
/** Scratch space for a record's length prefix (one thread at a time uses it: JS is single-threaded per isolate). */
const LENGTH = new Uint8Array(LENGTH_BYTES);

/** Why a ring operation could not finish: the caller turns it into its own error. */
export type RingFailure = "closed" | "timed-out" | "aborted";

/** A ring operation's result: the value, or why there is none. */
export type RingResult<T> = { ok: true; value: T } | { ok: false; why: RingFailure };

const TAG_V8 = 0;
const TAG_NUMBER = 1;
const TAG_STRING = 2;
const SCRATCH = new Float64Array(1);
const SCRATCH_BYTES = new Uint8Array(SCRATCH.buffer);
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

/**
 * Encodes one item: a tag byte, then a number's 8 bytes, a string's UTF-8, or anything else in
 * the `node:v8` format (which costs microseconds in Deno, where the number and string paths cost
 * tens of nanoseconds).
 *
 * @param item The item.
 * @param caller What was being done, for the message.
 * @returns Its bytes.
 * @throws {TypeError} If the item cannot be encoded.
 */
export function encodeItem(item: unknown, caller: string): Uint8Array {
  if (typeof item === "number") {
    const bytes = new Uint8Array(9);
    bytes[0] = TAG_NUMBER;
    SCRATCH[0] = item;
    bytes.set(SCRATCH_BYTES, 1);
    return bytes;
  }
  if (typeof item === "string") {
    const bytes = new Uint8Array(1 + item.length * 3);
    bytes[0] = TAG_STRING;
    const { written } = UTF8_ENCODER.encodeInto(item, bytes.subarray(1));
    return bytes.subarray(0, 1 + written);
  }
  if (encodeShared(item) !== item) {
    throw new TypeError(
      `Cannot ${caller}: the item holds a shared object (a Value, Lock, Queue...): ` +
        "a queue copies its items, so pass shared objects to a task as arguments instead",
    );
  }
  let encoded: Uint8Array;
  try {
    encoded = serialize(item);
  } catch (error) {
    throw new TypeError(
      `Cannot ${caller}: the item cannot be copied: ${(error as Error).message}: ` +
        "a queue carries structured-cloneable data (no functions, symbols or shared objects: " +
        "pass a Value, Lock or Queue to a task as an argument instead)",
      { cause: error },
    );
  }
  const bytes = new Uint8Array(1 + encoded.length);
  bytes[0] = TAG_V8;
  bytes.set(encoded, 1);
  return bytes;
}

/**
 * Encodes one item for a ring that must be able to hold it: what every queue put and pipe send
 * does first.
 *
 * @param ring The ring it is for.
 * @param item The item.
 * @param caller What was being done, for the message.
 * @param owner What the ring belongs to, for the message: `"queue"` or `"pipe"`.
 * @returns Its bytes.
 * @throws {TypeError} If the item cannot be encoded.
 * @throws {RangeError} If the ring could never hold it (a put would wait for ever).
 */
export function encodeFor(ring: Ring, item: unknown, caller: string, owner: string): Uint8Array {
  const bytes = encodeItem(item, caller);
  if (!ring.canHold(bytes.length)) {
    const noun = owner === "pipe" ? "message" : "item";
    throw new RangeError(
      `Cannot ${caller}: the ${noun} takes ${bytes.length} bytes, more than the ${owner}'s ` +
        `capacity of ${ring.capacity}: make the ${owner} with a larger capacity`,
    );
  }
  return bytes;
}

/**
 * Decodes one item.
 *
 * @param bytes Its bytes, from {@linkcode encodeItem}.
 * @returns The item.
 */
export function decodeItem(bytes: Uint8Array): unknown {
  switch (bytes[0]) {
    case TAG_NUMBER:
      SCRATCH_BYTES.set(bytes.subarray(1, 9));
      return SCRATCH[0];
    case TAG_STRING:
      return UTF8_DECODER.decode(bytes.subarray(1));
    default:
      return deserialize(bytes.subarray(1));
  }
}

/**
 * Checks a queue's or pipe's options object at the boundary.
 *
 * @param options What the caller passed.
 * @param caller What was being done (`"make queue"`).
 * @throws {TypeError} If it is not an object.
 */
export function checkOptionsObject(options: unknown, caller: string): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Cannot ${caller}: options must be an object: received ${
        options === null ? "null" : typeof options
      }`,
    );
  }
}

/**
 * Checks a queue's or pipe's size option (`maxsize`, `capacity`) at the boundary.
 *
 * @returns The size, or `fallback` when none was given.
 * @throws {TypeError} If it is not a number.
 * @throws {RangeError} If it is not an integer from `min` to 2^31 - 1.
 */
export function checkSize(
  value: number | undefined,
  fallback: number,
  name: string,
  min: number,
  caller: string,
): number {
  const size = value ?? fallback;
  if (typeof size !== "number") {
    throw new TypeError(`Cannot ${caller}: ${name} must be a number: received ${typeof size}`);
  }
  if (!Number.isSafeInteger(size) || size < min || size > 0x7fffffff) {
    throw new RangeError(
      `Cannot ${caller}: ${name} must be an integer from ${min} to ${0x7fffffff}: received ${size}`,
    );
  }
  return size;
}

/** A shared ring of byte records; see the module doc. */
export class Ring {
  readonly words: Int32Array;
  readonly data: Uint8Array;

  /**
   * Wraps the ring in `buffer`.
   *
   * @param buffer Made by {@linkcode Ring.allocate}, here or in another worker.
   */
  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer, 0, WORDS);
    this.data = new Uint8Array(buffer, HEADER_BYTES);
  }

  /**
   * Makes the memory of a new ring.
   *
   * @param capacity The data area's size in bytes.
   * @param maxsize The most items at once; 0 for no limit but the bytes.
   * @returns The buffer.
   */
  static allocate(capacity: number, maxsize: number): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(HEADER_BYTES + capacity);
    const words = new Int32Array(buffer, 0, WORDS);
    words[MAXSIZE] = maxsize;
    words[CAPACITY] = capacity;
    return buffer;
  }

  /** The memory, for travel. */
  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  /** The most items at once (0: no limit but the bytes). */
  get maxsize(): number {
    return this.words[MAXSIZE]!;
  }

  /** The data area's size in bytes. */
  get capacity(): number {
    return this.words[CAPACITY]!;
  }

  /** Items in the ring now. */
  get count(): number {
    return Atomics.load(this.words, COUNT);
  }

  /** Whether the ring was closed. */
  get closed(): boolean {
    return Atomics.load(this.words, CLOSED) === 1;
  }

  /** Items put and not yet marked done (JoinableQueue). */
  get unfinished(): number {
    return Atomics.load(this.words, UNFINISHED);
  }

  /**
   * Whether a record of `size` bytes fits in the ring when it is empty (its length prefix counts):
   * a bigger one could never be put, and a put would wait for ever.
   *
   * @param size The encoded item's size in bytes.
   * @returns Whether it can ever fit.
   */
  canHold(size: number): boolean {
    return LENGTH_BYTES + size <= this.words[CAPACITY]!;
  }

  #fits(need: number): boolean {
    const w = this.words;
    return (w[MAXSIZE]! <= 0 || w[COUNT]! < w[MAXSIZE]!) && w[CAPACITY]! - w[USED]! >= need;
  }

  #copyIn(offset: number, bytes: Uint8Array): number {
    const capacity = this.data.length;
    const first = Math.min(bytes.length, capacity - offset);
    this.data.set(bytes.subarray(0, first), offset);
    if (first < bytes.length) this.data.set(bytes.subarray(first), 0);
    return (offset + bytes.length) % capacity;
  }

  #copyOut(offset: number, into: Uint8Array): number {
    const capacity = this.data.length;
    const first = Math.min(into.length, capacity - offset);
    into.set(this.data.subarray(offset, offset + first));
    if (first < into.length) into.set(this.data.subarray(0, into.length - first), first);
    return (offset + into.length) % capacity;
  }

  /** Appends a record; the mutex is held and the record fits. */
  #write(bytes: Uint8Array, countTask: boolean): void {
    const w = this.words;
    const n = bytes.length;
    LENGTH[0] = n >>> 24;
    LENGTH[1] = (n >>> 16) & 0xff;
    LENGTH[2] = (n >>> 8) & 0xff;
    LENGTH[3] = n & 0xff;
    w[TAIL] = this.#copyIn(this.#copyIn(w[TAIL]!, LENGTH), bytes);
    w[USED]! += LENGTH_BYTES + n;
    w[COUNT]!++;
    if (countTask) w[UNFINISHED]!++;
    this.#wake(NOT_EMPTY, Infinity);
  }

  /** Removes the oldest record; the mutex is held and the ring is not empty. */
  #read(): Uint8Array {
    const w = this.words;
    let head = this.#copyOut(w[HEAD]!, LENGTH);
    const bytes = new Uint8Array(
      ((LENGTH[0]! << 24) | (LENGTH[1]! << 16) | (LENGTH[2]! << 8) | LENGTH[3]!) >>> 0,
    );
    head = this.#copyOut(head, bytes);
    w[HEAD] = head;
    w[USED]! -= LENGTH_BYTES + bytes.length;
    w[COUNT]!--;
    this.#wake(NOT_FULL, Infinity);
    return bytes;
  }

  /**
   * Puts a record if that needs no wait: the fast path of every put.
   *
   * @returns `"ok"`, `"closed"`, or `"wait"` when the caller must take the waiting path.
   */
  tryPut(bytes: Uint8Array, countTask: boolean): "ok" | "closed" | "wait" {
    const w = this.words;
    if (!mutexTry(w)) return "wait";
    try {
      if (w[CLOSED] === 1) return "closed";
      if (!this.#fits(LENGTH_BYTES + bytes.length)) return "wait";
      this.#write(bytes, countTask);
      return "ok";
    } finally {
      mutexRelease(w);
    }
  }

  /**
   * Takes a record if that needs no wait: the fast path of every get.
   *
   * @returns The record, `"closed"` (closed and empty), or `"wait"`.
   */
  tryGet(): Uint8Array | "closed" | "wait" {
    const w = this.words;
    if (!mutexTry(w)) return "wait";
    try {
      if (w[COUNT]! > 0) return this.#read();
      return w[CLOSED] === 1 ? "closed" : "wait";
    } finally {
      mutexRelease(w);
    }
  }

  /**
   * Sleeps on a sequence word with the mutex released, then takes the mutex back.
   *
   * @returns The wait's outcome once the mutex is held again.
   */
  *#sleep(index: number, ctx: Ctx): WaitSteps<"ok" | "timed-out" | "aborted"> {
    const seen = Atomics.load(this.words, index);
    mutexRelease(this.words);
    const outcome = yield { array: this.words, index, value: seen };
    yield* mutexSteps(this.words, ctx, true);
    return outcome;
  }

  #wake(index: number, n: number): void {
    Atomics.add(this.words, index, 1);
    Atomics.notify(this.words, index, n);
  }

  /**
   * Takes the mutex within the wait's deadline. The mutex guards only a copy, so a put or get
   * that may not wait (`timeout` 0) first spins for {@linkcode LOCK_SPIN_MS} rather than fail
   * because another thread was in the middle of one.
   *
   * @returns `false` when the deadline passed first (the caller reports it as full or empty).
   */
  *#lock(ctx: Ctx): WaitSteps<boolean> {
    if (ctx.timeout < LOCK_SPIN_MS) {
      const until = performance.now() + LOCK_SPIN_MS;
      do {
        if (mutexTry(this.words)) return true;
      } while (performance.now() < until);
    }
    try {
      yield* mutexSteps(this.words, ctx);
      return true;
    } catch (error) {
      if (error instanceof TimeoutError && error !== ctx.signal?.reason) return false;
      throw error;
    }
  }

  /**
   * Puts one encoded item, waiting while the ring is full.
   *
   * @param bytes The item's bytes; they must fit in the capacity.
   * @param ctx The wait's context.
   * @param countTask Whether to count an unfinished task (JoinableQueue).
   */
  *put(bytes: Uint8Array, ctx: Ctx, countTask: boolean): WaitSteps<RingResult<void>> {
    const w = this.words;
    const need = LENGTH_BYTES + bytes.length;
    if (!(yield* this.#lock(ctx))) return { ok: false, why: "timed-out" };
    try {
      for (;;) {
        if (w[CLOSED] === 1) return { ok: false, why: "closed" };
        if (this.#fits(need)) break;
        const outcome = yield* this.#sleep(NOT_FULL, ctx);
        if (outcome !== "ok" && w[CLOSED] !== 1 && !this.#fits(need)) {
          return { ok: false, why: outcome };
        }
      }
      this.#write(bytes, countTask);
      return { ok: true, value: undefined };
    } finally {
      mutexRelease(w);
    }
  }

  /**
   * Takes the oldest item's bytes, waiting while the ring is empty (and open).
   *
   * @param ctx The wait's context.
   */
  *get(ctx: Ctx): WaitSteps<RingResult<Uint8Array>> {
    const w = this.words;
    if (!(yield* this.#lock(ctx))) return { ok: false, why: "timed-out" };
    try {
      for (;;) {
        if (w[COUNT]! > 0) break;
        if (w[CLOSED] === 1) return { ok: false, why: "closed" };
        const outcome = yield* this.#sleep(NOT_EMPTY, ctx);
        if (outcome !== "ok" && w[COUNT] === 0 && w[CLOSED] !== 1) {
          return { ok: false, why: outcome };
        }
      }
      return { ok: true, value: this.#read() };
    } finally {
      mutexRelease(w);
    }
  }

  /**
   * Closes the ring: puts fail from now on, gets drain what is left; every waiter wakes.
   *
   * @param ctx The wait's context (for the mutex).
   */
  *close(ctx: Ctx): WaitSteps<void> {
    yield* mutexSteps(this.words, ctx, true);
    this.words[CLOSED] = 1;
    this.#wake(NOT_EMPTY, Infinity);
    this.#wake(NOT_FULL, Infinity);
    mutexRelease(this.words);
  }

  /**
   * Marks one unfinished task done (JoinableQueue).
   *
   * @returns `false` when there was no unfinished task.
   */
  *taskDone(ctx: Ctx): WaitSteps<boolean> {
    yield* mutexSteps(this.words, ctx, true);
    try {
      if (this.words[UNFINISHED]! <= 0) return false;
      if (--this.words[UNFINISHED]! === 0) Atomics.notify(this.words, UNFINISHED);
      return true;
    } finally {
      mutexRelease(this.words);
    }
  }

  /** Waits, without taking anything, until the ring holds an item or is closed. */
  *readable(): WaitSteps<RingResult<void>> {
    for (;;) {
      const seen = Atomics.load(this.words, NOT_EMPTY);
      if (this.count > 0 || this.closed) return { ok: true, value: undefined };
      const outcome = yield { array: this.words, index: NOT_EMPTY, value: seen };
      if (outcome !== "ok" && this.count === 0 && !this.closed) return { ok: false, why: outcome };
    }
  }

  /** Waits until every put item was marked done (JoinableQueue). */
  *join(): WaitSteps<RingResult<void>> {
    for (;;) {
      const unfinished = Atomics.load(this.words, UNFINISHED);
      if (unfinished === 0) return { ok: true, value: undefined };
      const outcome = yield { array: this.words, index: UNFINISHED, value: unfinished };
      if (outcome !== "ok" && Atomics.load(this.words, UNFINISHED) !== 0) {
        return { ok: false, why: outcome };
      }
    }
  }
}
