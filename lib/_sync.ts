/**
 * What `lib/`'s locks, conditions and barriers share: the internals of a lock that a Condition
 * needs (to let go of it fully and take it back), the condition's wait steps that a Barrier runs,
 * and the guard that `hold()` returns.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import { type Ctx, mutexRelease, mutexSteps, OWNER, STATE, UNLOCKED } from "./_mutex.ts";
import type { SharedHandle } from "./_shareable.ts";
import { abortError, selfId, type WaitOutcome, type WaitSteps } from "./_wait.ts";
import { TimeoutError } from "./timeout.ts";

/** Index of an RLock's recursion count. */
export const COUNT = 2;

/** What a Condition needs from its lock: to let go of it fully while waiting, and to take it back. */
export interface LockInternals {
  readonly words: Int32Array;
  readonly reentrant: boolean;
}

/** Each Lock's and RLock's internals, set by its constructor. */
export const INTERNALS: WeakMap<object, LockInternals> = new WeakMap();

/** Each condition's sequence word, for the Barrier built on it. */
export const SEQ_OF: WeakMap<object, Int32Array> = new WeakMap();

/** The internals of a Lock or an RLock; a TypeError for anything else. */
export function internalsOf(lock: object): LockInternals {
  const internals = INTERNALS.get(lock);
  if (!internals) throw new TypeError("Cannot use lock: expected a Lock or an RLock from lib/");
  return internals;
}

/** True when this thread holds the lock. */
export function ownedByMe(internals: LockInternals): boolean {
  return Atomics.load(internals.words, STATE) !== UNLOCKED &&
    Atomics.load(internals.words, OWNER) === selfId();
}

/** Lets go of every level of the lock; returns how many there were. */
export function releaseFully(internals: LockInternals): number {
  const count = internals.reentrant ? internals.words[COUNT]! : 1;
  if (internals.reentrant) internals.words[COUNT] = 0;
  mutexRelease(internals.words);
  return count;
}

/** Takes the lock back with its levels (never times out: a condition's wait must hold it again). */
export function* restoreSteps(internals: LockInternals, count: number, ctx: Ctx): WaitSteps<void> {
  yield* mutexSteps(internals.words, ctx, true);
  if (internals.reentrant) internals.words[COUNT] = count;
}

/**
 * Runs steps that throw a {@linkcode TimeoutError} when their time runs out, as steps that return
 * `false` then (and `true` when done): Python's `acquire(timeout=...)` result.
 */
export function* orFalse(steps: WaitSteps<void>): WaitSteps<boolean> {
  try {
    yield* steps;
    return true;
  } catch (error) {
    if (error instanceof TimeoutError) return false;
    throw error;
  }
}

/** The method `Deno.inspect` (and `console.log`) calls to show an object. */
export const INSPECT: unique symbol = Symbol.for("Deno.customInspect");

/** A disposable that calls `release` once. */
export function guard(release: () => void): Disposable {
  let done = false;
  return {
    [Symbol.dispose]() {
      if (done) return;
      done = true;
      release();
    },
  };
}

/** A shareable's handle. */
export function handle(module: string, kind: string, state: unknown): SharedHandle {
  return { module, kind, state };
}

/**
 * Waits once on the condition's sequence word: lets go of the lock, sleeps until notified (or the
 * deadline, or the signal), takes the lock back whatever happened. A wake may be spurious.
 */
export function* conditionSteps(
  seq: Int32Array,
  lock: LockInternals,
  ctx: Ctx,
  unbounded = false,
): WaitSteps<WaitOutcome> {
  if (!ownedByMe(lock)) {
    throw new Error(`Cannot ${ctx.caller}: its lock is not held by this thread`);
  }
  const seen = Atomics.load(seq, 0);
  const count = releaseFully(lock);
  let outcome: WaitOutcome = "ok";
  try {
    while (Atomics.load(seq, 0) === seen && outcome === "ok") {
      outcome = yield { array: seq, index: 0, value: seen, unbounded };
    }
  } finally {
    yield* restoreSteps(lock, count, ctx);
  }
  return outcome;
}

/** Wakes up to `n` waiters of a condition whose lock this thread holds. */
export function notifyCondition(
  seq: Int32Array,
  lock: LockInternals,
  n: number,
  caller: string,
): void {
  if (!ownedByMe(lock)) throw new Error(`Cannot ${caller}: its lock is not held by this thread`);
  Atomics.add(seq, 0, 1);
  Atomics.notify(seq, 0, n);
}

/** The error of a condition's wait that did not end with a notify. */
export function conditionError(outcome: WaitOutcome, ctx: Ctx): unknown {
  return outcome === "aborted"
    ? abortError(ctx.signal, ctx.caller)
    : new TimeoutError(`Cannot ${ctx.caller}: timed out after ${ctx.timeout} ms`);
}
