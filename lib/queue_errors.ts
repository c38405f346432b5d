/**
 * The errors of `Queue`, `JoinableQueue` and `SimpleQueue`: {@linkcode QueueEmptyError} and
 * {@linkcode QueueFullError} (Python's `queue.Empty` and `queue.Full`), and
 * {@linkcode QueueClosedError}. In a file of their own because all three queues throw them.
 *
 * @module
 */

/**
 * `get` found the queue empty until its timeout (or at once, for `getNowait`). Python's
 * `queue.Empty`.
 *
 * @example Usage
 * ```ts
 * import { Queue } from "./queue.ts";
import { QueueEmptyError } from "./queue_errors.ts";
 * import { throws } from "node:assert/strict";
 *
 * throws(() => new Queue().getNowait(), QueueEmptyError);
 * ```
 */
export class QueueEmptyError extends Error {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueEmptyError";
  }
}

/**
 * `put` found the queue full until its timeout (or at once, for `putNowait`). Python's
 * `queue.Full`.
 *
 * @example Usage
 * ```ts
 * import { Queue } from "./queue.ts";
import { QueueFullError } from "./queue_errors.ts";
 * import { throws } from "node:assert/strict";
 *
 * const queue = new Queue({ maxsize: 1 });
 * queue.put(1);
 * throws(() => queue.putNowait(2), QueueFullError);
 * ```
 */
export class QueueFullError extends Error {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueFullError";
  }
}

/**
 * The queue was closed: no more puts, and a get found it closed and empty.
 *
 * @example Usage
 * ```ts
 * import { Queue } from "./queue.ts";
import { QueueClosedError } from "./queue_errors.ts";
 * import { throws } from "node:assert/strict";
 *
 * const queue = new Queue();
 * queue.close();
 * throws(() => queue.put(1), QueueClosedError);
 * ```
 */
export class QueueClosedError extends Error {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueClosedError";
  }
}
