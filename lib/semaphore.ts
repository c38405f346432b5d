/**
 * {@linkcode Semaphore} and {@linkcode BoundedSemaphore}: counting semaphores every worker shares,
 * after Python's `multiprocessing.Semaphore` and `BoundedSemaphore`.
 *
 * @module
 */

import { adopt, adopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { type Ctx, ctxOf } from "./_mutex.ts";
import { abortError, runAsync, runBlocking, timedOut, type WaitSteps } from "./_wait.ts";
import { guard, handle, INSPECT, orFalse } from "./_sync.ts";
import type { SyncWaitOptions } from "./timeout.ts";

/** Options of {@linkcode Semaphore}. */
export interface SemaphoreOptions {
  /** How many holders at once; a non-negative integer. Default: 1. */
  value?: number;
}

const SEM_VALUE = 0;
const SEM_BOUND = 1;

function* semaphoreSteps(words: Int32Array, ctx: Ctx): WaitSteps<void> {
  for (;;) {
    const value = Atomics.load(words, SEM_VALUE);
    if (value > 0) {
      if (Atomics.compareExchange(words, SEM_VALUE, value, value - 1) === value) return;
      continue;
    }
    const outcome = yield { array: words, index: SEM_VALUE, value: 0 };
    if (outcome === "timed-out") throw timedOut(ctx.caller, ctx.timeout);
    if (outcome === "aborted") throw abortError(ctx.signal, ctx.caller);
  }
}

/**
 * A counting semaphore every worker shares (Python's `Semaphore`): `acquire` takes one unit,
 * waiting while there is none; `release` gives one back.
 *
 * @example Usage
 * ```ts
 * import { Semaphore } from "./semaphore.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const slots = new Semaphore({ value: 2 });
 * slots.acquire();
 * slots.acquire();
 * equal(slots.acquire({ timeout: 0 }), false);
 * slots.release();
 * equal(slots.value, 1);
 * ```
 */
export class Semaphore {
  #words: Int32Array;

  /**
   * Makes a semaphore in shared memory.
   *
   * @param options Its initial value.
   * @throws {TypeError} If `options` is not an object, or the value not a number.
   * @throws {RangeError} If the value is not a non-negative integer.
   */
  constructor(options: SemaphoreOptions = {}) {
    const state = adopted();
    if (state !== undefined) {
      this.#words = new Int32Array(sharedState(state, "Semaphore", ["buffer"]).buffer);
      return;
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(
        `Cannot make semaphore: options must be an object: received ${
          options === null ? "null" : typeof options
        }`,
      );
    }
    const value = options.value ?? 1;
    if (typeof value !== "number") {
      throw new TypeError(
        `Cannot make semaphore: value must be a number: received ${typeof value}`,
      );
    }
    if (!Number.isSafeInteger(value) || value < 0 || value > 0x7fffffff) {
      throw new RangeError(
        `Cannot make semaphore: value must be a non-negative integer: received ${value}`,
      );
    }
    this.#words = new Int32Array(new SharedArrayBuffer(8));
    this.#words[SEM_VALUE] = value;
    this.#words[SEM_BOUND] = this.#bounded() ? value : -1;
  }

  /** Whether `release` may not go above the initial value (set by BoundedSemaphore). */
  #bounded(): boolean {
    return this instanceof BoundedSemaphore;
  }

  /**
   * Takes one unit, waiting while there is none, as Python's `acquire(block, timeout)`:
   * `{ timeout: 0 }` or `{ block: false }` only tries, a negative timeout acts as 0.
   *
   * @param options The longest wait, whether to wait at all, and a signal.
   * @returns `true` once a unit is taken, `false` if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired first.
   */
  acquire(options: SyncWaitOptions = {}): boolean {
    const ctx = ctxOf(options, "acquire semaphore");
    return runBlocking(orFalse(semaphoreSteps(this.#words, ctx)), ctx.timeout, ctx.signal);
  }

  /**
   * Takes one unit, letting the event loop run while there is none.
   *
   * @param options The longest wait, whether to wait at all, and a signal.
   * @returns `true` once a unit is taken, `false` if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired first.
   */
  acquireAsync(options: SyncWaitOptions = {}): Promise<boolean> {
    const ctx = ctxOf(options, "acquire semaphore");
    return runAsync(orFalse(semaphoreSteps(this.#words, ctx)), ctx.timeout, ctx.signal);
  }

  /**
   * Takes a unit if there is one, without waiting.
   *
   * @returns `true` when a unit was taken.
   */
  tryAcquire(): boolean {
    const value = Atomics.load(this.#words, SEM_VALUE);
    return value > 0 &&
      Atomics.compareExchange(this.#words, SEM_VALUE, value, value - 1) === value;
  }

  /**
   * Gives units back and wakes as many waiters.
   *
   * @param n How many units; a positive integer. Default: 1.
   * @throws {RangeError} If `n` is not a positive integer, or (BoundedSemaphore) the value would go
   * above its initial value.
   */
  release(n = 1): void {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`Cannot release semaphore: n must be a positive integer: received ${n}`);
    }
    const bound = Atomics.load(this.#words, SEM_BOUND);
    for (;;) {
      const value = Atomics.load(this.#words, SEM_VALUE);
      if (bound >= 0 && value + n > bound) {
        throw new RangeError(
          `Cannot release semaphore: released too many times: its value would be ${
            value + n
          }, above its initial ${bound}`,
        );
      }
      if (Atomics.compareExchange(this.#words, SEM_VALUE, value, value + n) === value) break;
    }
    Atomics.notify(this.#words, SEM_VALUE, n);
  }

  /**
   * Takes a unit and returns a guard that gives it back when its block ends.
   *
   * @param options The longest wait and a signal.
   * @returns The guard: `using _ = semaphore.hold();`.
   * @throws {TimeoutError} If the timeout passes first.
   */
  hold(options: SyncWaitOptions = {}): Disposable {
    const ctx = ctxOf(options, "acquire semaphore");
    runBlocking(semaphoreSteps(this.#words, ctx), ctx.timeout, ctx.signal);
    return guard(() => this.release());
  }

  /**
   * Takes a unit without blocking the event loop and returns a guard.
   *
   * @param options The longest wait and a signal.
   * @returns The guard: `using _ = await semaphore.holdAsync();`.
   * @throws {TimeoutError} If the timeout passes first.
   */
  async holdAsync(options: SyncWaitOptions = {}): Promise<Disposable> {
    const ctx = ctxOf(options, "acquire semaphore");
    await runAsync(semaphoreSteps(this.#words, ctx), ctx.timeout, ctx.signal);
    return guard(() => this.release());
  }

  /**
   * What `Deno.inspect` and `console.log` show: the class and its value now.
   *
   * @ignore
   */
  [INSPECT](): string {
    return `${this.#bounded() ? "BoundedSemaphore" : "Semaphore"} { value: ${this.value} }`;
  }

  /** The units left now (Python's `get_value()`). */
  get value(): number {
    return Atomics.load(this.#words, SEM_VALUE);
  }

  /**
   * Describes the semaphore for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return handle(import.meta.url, this.#bounded() ? "BoundedSemaphore" : "Semaphore", {
      buffer: this.#words.buffer,
    });
  }

  /**
   * Rebuilds a semaphore from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Semaphore {
    return adopt(state, () => new Semaphore());
  }
}

/**
 * A {@linkcode Semaphore} whose `release` throws rather than go above the initial value (Python's
 * `BoundedSemaphore`): it catches a release without an acquire.
 *
 * @example Usage
 * ```ts
 * import { BoundedSemaphore } from "./semaphore.ts";
 * import { throws } from "node:assert/strict";
 *
 * const slots = new BoundedSemaphore({ value: 1 });
 * throws(() => slots.release(), RangeError);
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  /**
   * Rebuilds a bounded semaphore from its handle's state.
   *
   * @ignore
   */
  static override [REVIVE](state: unknown): BoundedSemaphore {
    return adopt(state, () => new BoundedSemaphore());
  }
}
