/**
 * The errors of a `Connection`'s ends: {@linkcode PipeClosedError} (Python's `EOFError`
 * and `OSError`) and {@linkcode BufferTooShortError} (Python's `BufferTooShort`).
 *
 * @module
 */

/**
 * The other end closed the pipe (and nothing is left to receive), this end was closed, or it is the wrong end of a one-way pipe. Python's
 * `EOFError` / `BrokenPipeError`.
 *
 * @example Usage
 * ```ts
 * import { Pipe } from "./pipe.ts";
 * import { PipeClosedError } from "./pipe_errors.ts";
 * import { throws } from "node:assert/strict";
 *
 * const [a, b] = Pipe();
 * a.close();
 * throws(() => b.recv(), PipeClosedError);
 * ```
 */
export class PipeClosedError extends Error {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PipeClosedError";
  }
}

/**
 * `recvBytesInto` got a message bigger than the room left in its buffer (Python's
 * `BufferTooShort`): the message is taken off the pipe and kept in {@linkcode bytes}.
 *
 * @example Usage
 * ```ts
 * import { Pipe } from "./pipe.ts";
 * import { BufferTooShortError } from "./pipe_errors.ts";
 * import { deepEqual, throws } from "node:assert/strict";
 *
 * const [a, b] = Pipe();
 * a.sendBytes(new Uint8Array([1, 2, 3]));
 * throws(() => b.recvBytesInto(new Uint8Array(2)), (error: unknown) => {
 *   deepEqual((error as BufferTooShortError).bytes, new Uint8Array([1, 2, 3]));
 *   return error instanceof BufferTooShortError;
 * });
 * ```
 */
export class BufferTooShortError extends Error {
  /** The whole message. */
  readonly bytes: Uint8Array;

  /**
   * Makes the error.
   *
   * @param message What did not fit.
   * @param bytes The whole message.
   */
  constructor(message: string, bytes: Uint8Array) {
    super(message);
    this.name = "BufferTooShortError";
    this.bytes = bytes;
  }
}
