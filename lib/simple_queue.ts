/**
 * {@linkcode SimpleQueue}: the simplest shared queue, after Python's
 * `multiprocessing.SimpleQueue`.
 *
 * @module
 */

import { adopt } from "./_adopt.ts";
import { checkOptionsObject } from "./_ring.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import type { SyncWaitOptions } from "./timeout.ts";
import { QueueBase } from "./_queue_base.ts";
import type { QueueOptions } from "./queue.ts";

/**
 * The simplest shared queue (Python's `SimpleQueue`): `put`, `get`, `empty`, `close`, no item
 * limit (only its buffer's size).
 *
 * @typeParam T The items' type.
 *
 * @example Usage
 * ```ts
 * import { SimpleQueue } from "./simple_queue.ts";
 * import { equal } from "node:assert/strict";
 *
 * const queue = new SimpleQueue<number>();
 * queue.put(7);
 * equal(queue.empty(), false);
 * equal(await queue.getAsync(), 7);
 * ```
 */
export class SimpleQueue<T = unknown> extends QueueBase<T> {
  /**
   * Makes a simple queue in shared memory.
   *
   * @param options The size of its buffer in bytes.
   * @throws {TypeError} If `options` is not an object, or `capacity` not a number.
   * @throws {RangeError} If `capacity` is not a valid integer.
   */
  constructor(options: Pick<QueueOptions, "capacity"> = {}) {
    checkOptionsObject(options, "make queue");
    super(
      { ...(options.capacity === undefined ? {} : { capacity: options.capacity }) },
      "SimpleQueue",
    );
  }

  /**
   * Puts an item at the end (waiting only while the buffer is full).
   *
   * @param item The item; it is copied.
   * @throws {QueueClosedError} If the queue is closed.
   * @throws {TypeError} If the item cannot be copied.
   */
  put(item: T): void {
    this.putBlocking(item, {});
  }

  /**
   * Takes the oldest item, waiting (thread asleep) while the queue is empty.
   *
   * @param options The longest wait and a signal.
   * @returns The item.
   * @throws {QueueEmptyError} If the queue stays empty until the timeout.
   * @throws {QueueClosedError} If the queue is closed and empty.
   */
  get(options: SyncWaitOptions = {}): T {
    return this.getBlocking(options);
  }

  /**
   * Takes the oldest item, letting the event loop run while the queue is empty.
   *
   * @param options The longest wait and a signal.
   * @returns The item.
   * @throws {QueueEmptyError} If the queue stays empty until the timeout.
   * @throws {QueueClosedError} If the queue is closed and empty.
   */
  getAsync(options: SyncWaitOptions = {}): Promise<T> {
    return this.getAsyncImpl(options);
  }

  /** True when there is no item now. */
  empty(): boolean {
    return this.ring.count === 0;
  }

  /** Closes the queue for every worker. */
  close(): void {
    this.closeRing();
  }

  /**
   * Describes the queue for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return { module: import.meta.url, kind: "SimpleQueue", state: { buffer: this.ring.buffer } };
  }

  /**
   * Rebuilds a simple queue from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): SimpleQueue {
    return adopt(state, () => new SimpleQueue());
  }
}
