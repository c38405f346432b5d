/**
 * {@linkcode Condition}: a condition variable every worker shares, after Python's
 * `multiprocessing.Condition`.
 *
 * @module
 */

import { adopt, adopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { type Ctx, ctxOf } from "./_mutex.ts";
import { runAsync, runBlocking, type WaitSteps } from "./_wait.ts";
import {
  conditionError,
  conditionSteps,
  handle,
  internalsOf,
  notifyCondition,
  SEQ_OF,
} from "./_sync.ts";
import { reviveLock } from "./_revive_lock.ts";
import { Lock, RLock } from "./lock.ts";
import type { SyncWaitOptions } from "./timeout.ts";

/** Options of {@linkcode Condition}. */
export interface ConditionOptions {
  /** The lock the condition waits with. Default: a new {@linkcode RLock}, as in Python. */
  lock?: Lock | RLock;
}

/**
 * A condition variable every worker shares (Python's `Condition`): with its lock held, `wait`
 * lets go of the lock until another thread calls `notify`, then takes it back. A wake can be
 * spurious: wait in a loop, or use `waitFor(predicate)`.
 *
 * @example Usage
 * ```ts
 * import { Condition } from "./condition.ts";
 * import { equal } from "node:assert/strict";
 *
 * const changed = new Condition();
 * using _ = changed.hold();
 * equal(changed.wait({ timeout: 1 }), false);
 * equal(changed.waitFor(() => 42), 42);
 * equal(changed.waitFor(() => 0, { timeout: 1 }), 0);
 * ```
 */
export class Condition {
  #seq: Int32Array;
  #lock: Lock | RLock;

  /**
   * Makes a condition in shared memory.
   *
   * @param options The lock to use.
   * @throws {TypeError} If the lock is not a Lock or an RLock.
   */
  constructor(options: ConditionOptions = {}) {
    const state = adopted();
    if (state !== undefined) {
      const { buffer, lock } = sharedState(state, "Condition", ["buffer"]);
      this.#seq = new Int32Array(buffer);
      this.#lock = reviveLock(lock);
      SEQ_OF.set(this, this.#seq);
      return;
    }
    const lock = options.lock ?? new RLock();
    internalsOf(lock);
    this.#seq = new Int32Array(new SharedArrayBuffer(4));
    this.#lock = lock;
    SEQ_OF.set(this, this.#seq);
  }

  /** The condition's lock. */
  get lock(): Lock | RLock {
    return this.#lock;
  }

  /**
   * Acquires the condition's lock.
   *
   * @param options The longest wait, whether to wait at all, and a signal.
   * @returns `true` once the lock is held, `false` if the timeout passed first.
   */
  acquire(options: SyncWaitOptions = {}): boolean {
    return this.#lock.acquire(options);
  }

  /**
   * Acquires the condition's lock without blocking the event loop.
   *
   * @param options The longest wait, whether to wait at all, and a signal.
   * @returns `true` once the lock is held, `false` if the timeout passed first.
   */
  acquireAsync(options: SyncWaitOptions = {}): Promise<boolean> {
    return this.#lock.acquireAsync(options);
  }

  /** Releases the condition's lock. */
  release(): void {
    this.#lock.release();
  }

  /**
   * Acquires the condition's lock and returns a guard that releases it.
   *
   * @param options The longest wait and a signal.
   * @returns The guard: `using _ = condition.hold();`.
   * @throws {TimeoutError} If the timeout passes first.
   */
  hold(options: SyncWaitOptions = {}): Disposable {
    return this.#lock.hold(options);
  }

  /**
   * Acquires the condition's lock without blocking the event loop and returns a guard.
   *
   * @param options The longest wait and a signal.
   * @returns The guard.
   * @throws {TimeoutError} If the timeout passes first.
   */
  holdAsync(options: SyncWaitOptions = {}): Promise<Disposable> {
    return this.#lock.holdAsync(options);
  }

  /**
   * With the lock held: lets go of it, sleeps until notified, and takes it back (also when it
   * throws), as Python's `wait(timeout)` (a negative timeout acts as 0).
   *
   * @param options The longest wait and a signal.
   * @returns `true` when woken (a wake may be spurious), `false` if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired first.
   * @throws {Error} If this thread does not hold the lock.
   */
  wait(options: SyncWaitOptions = {}): boolean {
    const ctx = ctxOf(options, "wait on condition");
    const outcome = runBlocking(
      conditionSteps(this.#seq, internalsOf(this.#lock), ctx),
      ctx.timeout,
      ctx.signal,
    );
    if (outcome === "aborted") throw conditionError(outcome, ctx);
    return outcome === "ok";
  }

  /**
   * The async form of {@linkcode Condition.prototype.wait}: the event loop runs while it waits.
   *
   * @param options The longest wait and a signal.
   * @returns `true` when woken, with the lock held again; `false` if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired first.
   * @throws {Error} If this thread does not hold the lock.
   */
  async waitAsync(options: SyncWaitOptions = {}): Promise<boolean> {
    const ctx = ctxOf(options, "wait on condition");
    const outcome = await runAsync(
      conditionSteps(this.#seq, internalsOf(this.#lock), ctx),
      ctx.timeout,
      ctx.signal,
    );
    if (outcome === "aborted") throw conditionError(outcome, ctx);
    return outcome === "ok";
  }

  *#waitForSteps<T>(predicate: () => T, ctx: Ctx): WaitSteps<T> {
    let result = predicate();
    while (!result) {
      const outcome = yield* conditionSteps(this.#seq, internalsOf(this.#lock), ctx);
      result = predicate();
      if (outcome === "aborted" && !result) throw conditionError(outcome, ctx);
      if (outcome === "timed-out") break;
    }
    return result;
  }

  /**
   * With the lock held: waits until `predicate()` returns a truthy value, checking it after each
   * wake with the lock held, as Python's `wait_for(predicate, timeout)`.
   *
   * @typeParam T The predicate's result.
   * @param predicate Reads the shared state.
   * @param options The longest total wait and a signal.
   * @returns The predicate's last result: truthy once it held, falsy if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired while the predicate was still falsy.
   */
  waitFor<T>(predicate: () => T, options: SyncWaitOptions = {}): T {
    const ctx = ctxOf(options, "wait on condition");
    return runBlocking(this.#waitForSteps(predicate, ctx), ctx.timeout, ctx.signal);
  }

  /**
   * The async form of {@linkcode Condition.prototype.waitFor}.
   *
   * @typeParam T The predicate's result.
   * @param predicate Reads the shared state.
   * @param options The longest total wait and a signal.
   * @returns The predicate's last result: truthy once it held, falsy if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired while the predicate was still falsy.
   */
  waitForAsync<T>(predicate: () => T, options: SyncWaitOptions = {}): Promise<T> {
    const ctx = ctxOf(options, "wait on condition");
    return runAsync(this.#waitForSteps(predicate, ctx), ctx.timeout, ctx.signal);
  }

  /**
   * With the lock held: wakes up to `n` waiters.
   *
   * @param n How many. Default: 1.
   * @throws {Error} If this thread does not hold the lock.
   */
  notify(n = 1): void {
    notifyCondition(this.#seq, internalsOf(this.#lock), n, "notify condition");
  }

  /**
   * With the lock held: wakes every waiter.
   *
   * @throws {Error} If this thread does not hold the lock.
   */
  notifyAll(): void {
    notifyCondition(this.#seq, internalsOf(this.#lock), Infinity, "notify condition");
  }

  /**
   * Describes the condition (and its lock) for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return handle(import.meta.url, "Condition", {
      buffer: this.#seq.buffer,
      lock: this.#lock[SHARE](),
    });
  }

  /**
   * Rebuilds a condition from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Condition {
    return adopt(state, () => new Condition());
  }
}
