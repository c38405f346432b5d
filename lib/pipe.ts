/**
 * Pipes between workers (Python's `multiprocessing.Pipe`): two {@linkcode Connection}s joined by
 * shared ring buffers, one per direction. Give one end to a Process or a Pool task as an argument
 * and keep the other.
 *
 * Messages are copied like a Queue's items (structured clone via `node:v8`): no functions, no
 * shared objects.
 *
 * This file stays over 300 lines: `Connection` is one class whose message and byte forms share
 * one ring and one codec.
 *
 * @module
 */

import { adopt, adopted } from "./_adopt.ts";
import { type Ctx, ctxOf } from "./_mutex.ts";
import {
  checkOptionsObject,
  checkSize,
  decodeItem,
  encodeItem,
  Ring,
  type RingFailure,
  type RingResult,
} from "./_ring.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { abortError, runAsync, runBlocking } from "./_wait.ts";
import { type SyncWaitOptions, TimeoutError } from "./timeout.ts";
import { DEFAULT_QUEUE_CAPACITY } from "./queue.ts";
import { BufferTooShortError, PipeClosedError } from "./pipe_errors.ts";
import { COPIES_BYTES, countCopy, releaseCopy } from "./_copies.ts";
import { Assembly, chunked, REST_CTX, TAG_FIRST_CHUNK } from "./_frames.ts";

/** Options of {@linkcode Pipe}. */
export interface PipeOptions {
  /**
   * `true` (the default): both ends send and receive. `false`: the first end only receives and the
   * second only sends, as in Python.
   */
  duplex?: boolean;
  /**
   * The size in bytes of each direction's buffer; `send` waits while it is full, and streams a
   * message bigger than it in slices. Default: 1 MiB.
   */
  capacity?: number;
}

/** Options of {@linkcode Connection.prototype.sendBytes}. */
export interface SendBytesOptions extends SyncWaitOptions {
  /** Where the part to send starts, in bytes. Default: 0. */
  offset?: number;
  /** How many bytes to send. Default: all from `offset` on. */
  size?: number;
}

/** Options of {@linkcode Connection.prototype.recvBytes}. */
export interface RecvBytesOptions extends SyncWaitOptions {
  /** The longest message accepted, in bytes. Default: no limit. */
  maxLength?: number;
}

/** Options of {@linkcode Connection.prototype.recvBytesInto}. */
export interface RecvBytesIntoOptions extends SyncWaitOptions {
  /** Where in the buffer the message goes, in bytes. Default: 0. */
  offset?: number;
}

interface ConnectionState {
  readonly input?: SharedArrayBuffer;
  readonly output?: SharedArrayBuffer;
  /** The end's count of copies (see `_copies.ts`), and this copy's token (-1: not counted). */
  readonly copies?: SharedArrayBuffer;
  readonly token?: number;
}

function fail(why: RingFailure, ctx: Ctx, sending: boolean): unknown {
  if (why === "aborted") return abortError(ctx.signal, ctx.caller);
  if (why === "closed") return new PipeClosedError(`Cannot ${ctx.caller}: the pipe is closed`);
  return new TimeoutError(
    sending
      ? `Cannot ${ctx.caller}: the pipe stayed full for ${ctx.timeout} ms`
      : `Cannot ${ctx.caller}: nothing arrived within ${ctx.timeout} ms`,
  );
}

function asBytes(message: unknown, caller: string): Uint8Array {
  if (!(message instanceof Uint8Array)) {
    throw new TypeError(`Cannot ${caller}: the message is not bytes: received ${typeof message}`);
  }
  return message;
}

function unwrap<T>(result: RingResult<T>, ctx: Ctx, sending = false): T {
  if (!result.ok) throw fail(result.why, ctx, sending);
  return result.value;
}

/**
 * One end of a {@linkcode Pipe}: `send` copies a message to the other end, `recv` takes the next
 * message from it.
 *
 * @typeParam T The messages' type.
 *
 * @example Usage
 * ```ts
 * import { Pipe } from "./pipe.ts";
 * import { equal } from "node:assert/strict";
 *
 * const [left, right] = Pipe<string>();
 * left.send("ping");
 * equal(right.poll(), true);
 * equal(right.recv(), "ping");
 * ```
 */
export class Connection<T = unknown> implements Disposable {
  #input: Ring | undefined;
  #output: Ring | undefined;
  #closed = false;
  #copies: Int32Array | undefined;
  #token: number;

  /** Made by {@linkcode Pipe}; not meant to be called directly. */
  constructor() {
    const state = (adopted() ?? {}) as ConnectionState;
    this.#copies = state.copies instanceof SharedArrayBuffer
      ? new Int32Array(state.copies)
      : undefined;
    this.#token = typeof state.token === "number" ? state.token : -1;
    this.#input = state.input instanceof SharedArrayBuffer ? new Ring(state.input) : undefined;
    this.#output = state.output instanceof SharedArrayBuffer ? new Ring(state.output) : undefined;
    if (!this.#input && !this.#output) {
      throw new TypeError("Cannot make connection: use Pipe() to make a pair");
    }
  }

  // The wrong end of a one-way pipe fails as a closed one does (Python raises OSError for both).
  #in(caller: string): Ring {
    if (this.#closed) throw new PipeClosedError(`Cannot ${caller}: this end is closed`);
    if (!this.#input) {
      throw new PipeClosedError(`Cannot ${caller}: this end of the pipe only sends`);
    }
    return this.#input;
  }

  #out(caller: string): Ring {
    if (this.#closed) throw new PipeClosedError(`Cannot ${caller}: this end is closed`);
    if (!this.#output) {
      throw new PipeClosedError(`Cannot ${caller}: this end of the pipe only receives`);
    }
    return this.#output;
  }

  /** True when this end can receive. */
  get readable(): boolean {
    return this.#input !== undefined;
  }

  /** True when this end can send. */
  get writable(): boolean {
    return this.#output !== undefined;
  }

  /** True once this end was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a copy of a message to the other end; waits only while its buffer is full. A message
   * bigger than the buffer is streamed in slices, as Python streams a big pickle through the OS
   * pipe: the receiver must be taking them (in another thread, or with `recvAsync`), the timeout
   * and signal apply until the first slice is in, and one end must not be sent on by two threads
   * at once (Python's connections are not safe for that either).
   *
   * @param message The message.
   * @param options The longest wait and a signal.
   * @throws {TimeoutError} If the other end's buffer stays full until the timeout.
   * @throws {PipeClosedError} If either end was closed, or this end only receives.
   * @throws {TypeError} If the message cannot be copied.
   */
  send(message: T, options: SyncWaitOptions = {}): void {
    const ring = this.#out("send");
    const ctx = ctxOf(options, "send");
    const encoded = encodeItem(message, "send");
    const frames = ring.canHold(encoded.length) ? [encoded] : chunked(encoded, ring);
    for (const [i, bytes] of frames.entries()) {
      // A started message is finished whatever the timeout: half of one would corrupt the pipe.
      const frameCtx = i === 0 ? ctx : { caller: ctx.caller, timeout: Infinity, signal: undefined };
      const fast = frameCtx.signal?.aborted ? "wait" : ring.tryPut(bytes, false);
      if (fast === "ok") continue;
      if (fast === "closed") throw fail("closed", frameCtx, true);
      unwrap(
        runBlocking(ring.put(bytes, frameCtx, false), frameCtx.timeout, frameCtx.signal),
        frameCtx,
        true,
      );
    }
  }

  /**
   * Takes the next message, waiting (thread asleep) until one arrives.
   *
   * @param options The longest wait and a signal.
   * @returns The message.
   * @throws {TimeoutError} If nothing arrives in time.
   * @throws {PipeClosedError} If the pipe is closed and nothing is left, or this end only sends.
   */
  recv(options: SyncWaitOptions = {}): T {
    const ring = this.#in("receive");
    const ctx = ctxOf(options, "receive");
    const first = unwrap(runBlocking(ring.get(ctx), ctx.timeout, ctx.signal), ctx);
    if (first[0] !== TAG_FIRST_CHUNK) return decodeItem(first) as T;
    const whole = new Assembly(first);
    while (!whole.done) {
      whole.add(unwrap(runBlocking(ring.get(REST_CTX), Infinity), REST_CTX));
    }
    return decodeItem(whole.bytes) as T;
  }

  /**
   * Takes the next message, letting the event loop run until one arrives.
   *
   * @param options The longest wait and a signal.
   * @returns The message.
   * @throws {TimeoutError} If nothing arrives in time.
   * @throws {PipeClosedError} If the pipe is closed and nothing is left.
   */
  async recvAsync(options: SyncWaitOptions = {}): Promise<T> {
    const ring = this.#in("receive");
    const ctx = ctxOf(options, "receive");
    const first = unwrap(await runAsync(ring.get(ctx), ctx.timeout, ctx.signal), ctx);
    if (first[0] !== TAG_FIRST_CHUNK) return decodeItem(first) as T;
    const whole = new Assembly(first);
    while (!whole.done) {
      whole.add(unwrap(await runAsync(ring.get(REST_CTX), Infinity), REST_CTX));
    }
    return decodeItem(whole.bytes) as T;
  }

  /**
   * Tells whether a message (or the end of the pipe) is waiting, waiting up to `timeout` ms
   * (default 0: just look).
   *
   * @param timeout How long to wait for one, in milliseconds.
   * @returns `true` when `recv` would not wait.
   */
  poll(timeout = 0): boolean {
    const ring = this.#in("poll");
    const ctx = ctxOf({ timeout }, "poll");
    return runBlocking(ring.readable(), ctx.timeout).ok;
  }

  /**
   * Closes this end: the other end's `recv` gets what was already sent, then a PipeClosedError;
   * its `send` fails at once.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#copies !== undefined && this.#token >= 0) this.#release(this.#token);
    else this.#closeEnd();
  }

  /** Releases one counted copy of this end; the last one closes it. */
  #release(token: number): void {
    if (releaseCopy(this.#copies!, token)) this.#closeEnd();
  }

  #closeEnd(): void {
    const ctx = ctxOf({}, "close pipe");
    for (const ring of [this.#input, this.#output]) {
      if (ring) runBlocking(ring.close(ctx), Infinity);
    }
  }

  /**
   * Sends bytes as one message (Python's `send_bytes(buf, offset, size)`); the other end takes it
   * with {@linkcode Connection.prototype.recvBytes} or `recvBytesInto`.
   *
   * @param bytes The bytes: an ArrayBuffer or a view of one.
   * @param options Which part (`offset`, `size`, in bytes), the longest wait and a signal.
   * @throws {RangeError} If the part lies outside the bytes.
   * @throws {PipeClosedError} If either end was closed, or this end only receives.
   */
  sendBytes(bytes: ArrayBuffer | ArrayBufferView, options: SendBytesOptions = {}): void {
    const view = bytes instanceof ArrayBuffer
      ? new Uint8Array(bytes)
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const offset = options.offset ?? 0;
    const size = options.size ?? view.length - offset;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > view.length) {
      throw new RangeError(`Cannot send bytes: offset out of range: received ${offset}`);
    }
    if (!Number.isSafeInteger(size) || size < 0 || offset + size > view.length) {
      throw new RangeError(`Cannot send bytes: size out of range: received ${size}`);
    }
    this.send(view.slice(offset, offset + size) as T, options);
  }

  /**
   * Takes the next message, which must be bytes (Python's `recv_bytes(maxlength)`).
   *
   * @param options The longest message accepted (`maxLength`), the longest wait and a signal.
   * @returns The bytes.
   * @throws {TypeError} If the message is not bytes.
   * @throws {RangeError} If it is longer than `maxLength` (Python raises OSError).
   * @throws {TimeoutError} If nothing arrives in time.
   * @throws {PipeClosedError} If the pipe is closed and nothing is left, or this end only sends.
   */
  recvBytes(options: RecvBytesOptions = {}): Uint8Array {
    const bytes = asBytes(this.recv(options), "receive bytes");
    if (options.maxLength !== undefined && bytes.length > options.maxLength) {
      throw new RangeError(
        `Cannot receive bytes: the message takes ${bytes.length} bytes, more than maxLength ${options.maxLength}`,
      );
    }
    return bytes;
  }

  /**
   * Takes the next message, which must be bytes, into `buffer` from `offset` on (Python's
   * `recv_bytes_into(buffer, offset)`).
   *
   * @param buffer Where to copy it: an ArrayBuffer or a view of one.
   * @param options Where in the buffer (`offset`, in bytes), the longest wait and a signal.
   * @returns How many bytes the message has.
   * @throws {BufferTooShortError} If it does not fit; the error holds the whole message.
   * @throws {TypeError} If the message is not bytes.
   * @throws {TimeoutError} If nothing arrives in time.
   */
  recvBytesInto(buffer: ArrayBuffer | ArrayBufferView, options: RecvBytesIntoOptions = {}): number {
    const target = buffer instanceof ArrayBuffer
      ? new Uint8Array(buffer)
      : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const offset = options.offset ?? 0;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > target.length) {
      throw new RangeError(`Cannot receive bytes: offset out of range: received ${offset}`);
    }
    const bytes = asBytes(this.recv(options), "receive bytes");
    if (bytes.length > target.length - offset) {
      throw new BufferTooShortError(
        `Cannot receive bytes: the message takes ${bytes.length} bytes, more than the ${
          target.length - offset
        } left in the buffer`,
        bytes,
      );
    }
    target.set(bytes, offset);
    return bytes.length;
  }

  /** `using`: closes this end when the block ends. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Describes this end for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    if (this.#closed) throw new PipeClosedError("Cannot send connection: this end is closed");
    const copies = this.#copies;
    const token = copies === undefined ? -1 : countCopy(copies, (t) => this.#release(t));
    return {
      module: import.meta.url,
      kind: "Connection",
      state: {
        input: this.#input?.buffer,
        output: this.#output?.buffer,
        ...(token >= 0 ? { copies: copies!.buffer as SharedArrayBuffer, token } : {}),
      } satisfies ConnectionState,
    };
  }

  /**
   * Rebuilds a connection from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Connection {
    return adopt(state, () => new Connection());
  }
}

/**
 * Makes a pipe: two connected ends (Python's `multiprocessing.Pipe`).
 *
 * @typeParam T The messages' type.
 * @param options Whether both ends send and receive, and the buffer size.
 * @returns The two ends; with `duplex: false`, the first only receives and the second only sends.
 * @throws {TypeError} If `options` is not an object, or `capacity` not a number.
 * @throws {RangeError} If `capacity` is not an integer of at least 16.
 *
 * @example Usage
 * ```ts
 * import { Pipe } from "./pipe.ts";
 * import { equal } from "node:assert/strict";
 *
 * const [reader, writer] = Pipe<number>({ duplex: false });
 * writer.send(42);
 * equal(reader.recv(), 42);
 * equal(reader.writable, false);
 * ```
 */
export function Pipe<T = unknown>(options: PipeOptions = {}): [Connection<T>, Connection<T>] {
  checkOptionsObject(options, "make pipe");
  const capacity = checkSize(options.capacity, DEFAULT_QUEUE_CAPACITY, "capacity", 16, "make pipe");
  const forward = Ring.allocate(capacity, 0);
  const end = (state: ConnectionState) => {
    const copies = new SharedArrayBuffer(COPIES_BYTES);
    new Int32Array(copies).set([1, 1]); // the first copy (token 0) is open
    return adopt({ ...state, copies, token: 0 }, () => new Connection<T>());
  };
  if (options.duplex === false) return [end({ input: forward }), end({ output: forward })];
  const backward = Ring.allocate(capacity, 0);
  return [end({ input: forward, output: backward }), end({ input: backward, output: forward })];
}
