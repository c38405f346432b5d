/**
 * {@linkcode Barrier}: a barrier every worker shares, after Python's `multiprocessing.Barrier`,
 * and the {@linkcode BrokenBarrierError} of its waits.
 *
 * This file stays over 300 lines: the barrier is one state machine (filling, action, draining,
 * resetting, broken) whose steps, trip and reset share its words and must be read together.
 *
 * @module
 */

import { adopt, adopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { type Ctx, ctxOf, mutexRelease, mutexSteps } from "./_mutex.ts";
import { checkWaitOptions, runAsync, runBlocking, type WaitSteps } from "./_wait.ts";
import { conditionError, conditionSteps, handle, internalsOf, SEQ_OF } from "./_sync.ts";
import { Condition } from "./condition.ts";
import { Lock } from "./lock.ts";
import type { SyncWaitOptions } from "./timeout.ts";

/** Options of {@linkcode Barrier}. */
export interface BarrierOptions {
  /** The default timeout of `wait`, in milliseconds. Default: `Infinity`. */
  timeout?: number;
  /**
   * Called once per trip, by one party, after the last one arrives and before any goes on
   * (Python's `action`). A function cannot travel to a worker, so it runs in the thread that made
   * the barrier: that thread must be one of the parties (its `wait` runs the action when it is
   * the last to arrive, or as soon as the last one has). If it throws, the barrier breaks and the
   * error comes out of that `wait`.
   */
  action?: () => void;
}

/**
 * The error of a wait on a broken {@linkcode Barrier}: one waiter timed out or was aborted, or
 * someone called `abort()` or `reset()` while others waited.
 *
 * @example Usage
 * ```ts
 * import { BrokenBarrierError } from "./barrier.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(new BrokenBarrierError("Cannot wait at barrier: it is broken").name, "BrokenBarrierError");
 * ```
 */
export class BrokenBarrierError extends Error {
  /**
   * Makes the error.
   *
   * @param message What broke.
   * @param options Why (a TimeoutError, an abort reason).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BrokenBarrierError";
  }
}

const B_STATE = 0;
const B_COUNT = 1;
const B_PARTIES = 2;
/** 1 when the barrier has an action (only the copy in the thread that made it can run it). */
const B_ACTION = 3;
const B_TIMEOUT_OFFSET = 16;

const FILLING = 0;
const DRAINING = 1;
/** Everyone has arrived; the action's thread must run it before the trip. */
const ACTIONING = 2;
const RESETTING = -1;
const BROKEN = -2;

/**
 * A barrier every worker shares (Python's `Barrier`): each of `parties` threads calls `wait`, and
 * all of them go on once the last one arrives. A waiter that times out or is aborted breaks the
 * barrier, and every waiter then gets a {@linkcode BrokenBarrierError}; `reset()` mends it.
 *
 * An `action` runs once per trip, by the party in the thread that made the barrier (a function
 * cannot travel to a worker; Python runs it in whichever thread arrives last).
 *
 * @example Usage
 * ```ts
 * import { Barrier } from "./barrier.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const one = new Barrier(1);
 * equal(one.wait(), 0);
 * const two = new Barrier(2);
 * throws(() => two.wait({ timeout: 1 }), { name: "BrokenBarrierError" });
 * equal(two.broken, true);
 * ```
 */
export class Barrier {
  #words: Int32Array;
  #cond: Condition;
  #defaultTimeout: number;
  #action: (() => void) | undefined;

  /**
   * Makes a barrier in shared memory.
   *
   * @param parties How many threads must call `wait`; a positive integer.
   * @param options The default timeout of `wait`, and the action run on each trip.
   * @throws {RangeError} If `parties` is not a positive integer or the timeout is not a number.
   * @throws {TypeError} If the action is not a function.
   */
  constructor(parties: number, options: BarrierOptions = {}) {
    const state = adopted();
    if (state !== undefined) {
      const { buffer, condition } = sharedState(state, "Barrier", ["buffer"]);
      this.#words = new Int32Array(buffer, 0, 4);
      this.#defaultTimeout = new Float64Array(buffer, B_TIMEOUT_OFFSET, 1)[0]!;
      this.#cond = Condition[REVIVE]((condition as SharedHandle | undefined)?.state);
      return;
    }
    if (!Number.isSafeInteger(parties) || parties < 1 || parties > 0x7fffffff) {
      throw new RangeError(
        `Cannot make barrier: parties must be a positive integer: received ${parties}`,
      );
    }
    this.#defaultTimeout = checkWaitOptions({ timeout: options.timeout }, "make barrier");
    if (options.action !== undefined && typeof options.action !== "function") {
      throw new TypeError(
        `Cannot make barrier: action must be a function: received ${typeof options.action}`,
      );
    }
    this.#action = options.action;
    const buffer = new SharedArrayBuffer(B_TIMEOUT_OFFSET + 8);
    this.#words = new Int32Array(buffer, 0, 4);
    this.#words[B_PARTIES] = parties;
    this.#words[B_ACTION] = this.#action === undefined ? 0 : 1;
    new Float64Array(buffer, B_TIMEOUT_OFFSET, 1)[0] = this.#defaultTimeout;
    this.#cond = new Condition({ lock: new Lock() });
  }

  #ctx(options: SyncWaitOptions): Ctx {
    return ctxOf(
      { timeout: options.timeout ?? this.#defaultTimeout, signal: options.signal },
      "wait at barrier",
    );
  }

  #notifyAll(): void {
    this.#cond.notifyAll();
  }

  /** Whether this copy may end the filling now: no action, or it holds the action. */
  #canTrip(): boolean {
    return this.#words[B_ACTION] === 0 || this.#action !== undefined;
  }

  /** Runs the action (if any) and lets everyone go; a throwing action breaks the barrier. */
  #trip(): void {
    try {
      this.#action?.();
    } catch (error) {
      this.#words[B_STATE] = BROKEN;
      this.#notifyAll();
      throw error;
    }
    this.#words[B_STATE] = DRAINING;
    this.#notifyAll();
  }

  *#steps(ctx: Ctx): WaitSteps<number> {
    const words = this.#words;
    const lock = internalsOf(this.#cond.lock);
    const seq = this.#seqOf();
    yield* mutexSteps(lock.words, ctx, true);
    try {
      while (words[B_STATE] === DRAINING || words[B_STATE] === RESETTING) {
        yield* conditionSteps(seq, lock, ctx, true);
      }
      if (words[B_STATE]! < 0) throw new BrokenBarrierError("Cannot wait at barrier: it is broken");
      const index = words[B_COUNT]!++;
      try {
        if (index + 1 === words[B_PARTIES]) {
          if (this.#canTrip()) {
            this.#trip();
          } else {
            words[B_STATE] = ACTIONING;
            this.#notifyAll();
          }
        }
        while (words[B_STATE] === FILLING || words[B_STATE] === ACTIONING) {
          if (words[B_STATE] === ACTIONING && this.#action !== undefined) {
            this.#trip();
            break;
          }
          const outcome = yield* conditionSteps(seq, lock, ctx);
          if (
            outcome !== "ok" && (words[B_STATE] === FILLING || words[B_STATE] === ACTIONING)
          ) {
            words[B_STATE] = BROKEN;
            this.#notifyAll();
            throw new BrokenBarrierError("Cannot wait at barrier: this waiter broke it", {
              cause: conditionError(outcome, ctx),
            });
          }
        }
        if (words[B_STATE]! < 0) {
          throw new BrokenBarrierError("Cannot wait at barrier: it broke while waiting");
        }
        return index;
      } finally {
        words[B_COUNT]!--;
        if (
          words[B_COUNT] === 0 &&
          (words[B_STATE] === RESETTING || words[B_STATE] === DRAINING)
        ) {
          words[B_STATE] = FILLING;
          this.#notifyAll();
        }
      }
    } finally {
      mutexRelease(lock.words);
    }
  }

  #seqOf(): Int32Array {
    return SEQ_OF.get(this.#cond)!;
  }

  /**
   * Waits until all parties have called `wait`.
   *
   * @param options The longest wait (default: the barrier's) and a signal.
   * @returns This waiter's arrival index, from 0 to `parties - 1`, different for each.
   * @throws {BrokenBarrierError} If the barrier is or becomes broken; a timeout or abort breaks it
   * (the cause says which).
   */
  wait(options: SyncWaitOptions = {}): number {
    const ctx = this.#ctx(options);
    return runBlocking(this.#steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * The async form of {@linkcode Barrier.prototype.wait}.
   *
   * @param options The longest wait (default: the barrier's) and a signal.
   * @returns This waiter's arrival index.
   * @throws {BrokenBarrierError} If the barrier is or becomes broken.
   */
  waitAsync(options: SyncWaitOptions = {}): Promise<number> {
    const ctx = this.#ctx(options);
    return runAsync(this.#steps(ctx), ctx.timeout, ctx.signal);
  }

  #locked<T>(fn: () => T): T {
    const lock = internalsOf(this.#cond.lock);
    runBlocking(
      mutexSteps(lock.words, { caller: "change barrier", timeout: Infinity, signal: undefined }),
      Infinity,
    );
    try {
      return fn();
    } finally {
      mutexRelease(lock.words);
    }
  }

  /** Breaks the barrier: every current and later waiter gets a BrokenBarrierError. */
  abort(): void {
    this.#locked(() => {
      this.#words[B_STATE] = BROKEN;
      this.#notifyAll();
    });
  }

  /**
   * Puts the barrier back to its first state; threads waiting now get a BrokenBarrierError.
   */
  reset(): void {
    this.#locked(() => {
      if (this.#words[B_COUNT]! > 0) {
        this.#words[B_STATE] = RESETTING;
      } else {
        this.#words[B_STATE] = FILLING;
      }
      this.#notifyAll();
    });
  }

  /** How many threads must call `wait`. */
  get parties(): number {
    return this.#words[B_PARTIES]!;
  }

  /** How many threads wait now. */
  get nWaiting(): number {
    return this.#words[B_STATE] === FILLING ? Atomics.load(this.#words, B_COUNT) : 0;
  }

  /** True once the barrier is broken (until `reset`). */
  get broken(): boolean {
    return Atomics.load(this.#words, B_STATE) === BROKEN;
  }

  /**
   * Describes the barrier for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return handle(import.meta.url, "Barrier", {
      buffer: this.#words.buffer,
      condition: this.#cond[SHARE](),
    });
  }

  /**
   * Rebuilds a barrier from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Barrier {
    return adopt(state, () => new Barrier(1));
  }
}
