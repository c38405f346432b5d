/**
 * The futex mutex (Drepper's "mutex2") under `lib/`'s locks and queues, as composable wait steps,
 * and the context every wait carries (what it does, its timeout, its signal).
 *
 * Word `STATE` of the array is 0 (unlocked), 1 (locked) or 2 (locked, maybe with waiters); word
 * `OWNER` records the holder's {@linkcode selfId} for error messages and reentrancy.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import { abortError, checkWaitOptions, selfId, type WaitSteps } from "./_wait.ts";
import { type SyncWaitOptions, TimeoutError } from "./timeout.ts";

/** Index of the mutex word. */
export const STATE = 0;
/** Index of the owner word. */
export const OWNER = 1;

/** Mutex states. */
export const UNLOCKED = 0;
export const LOCKED = 1;
export const CONTENDED = 2;

/** What a wait is doing, for how long at most, and what can stop it. */
export interface Ctx {
  readonly caller: string;
  readonly timeout: number;
  readonly signal: AbortSignal | undefined;
}

/** Checks wait options into a context. */
export function ctxOf(options: SyncWaitOptions, caller: string): Ctx {
  return { caller, timeout: checkWaitOptions(options, caller), signal: options.signal };
}

/** The TimeoutError of a mutex wait, saying who holds it. */
export function lockTimeout(words: Int32Array, ctx: Ctx): TimeoutError {
  const owner = Atomics.load(words, OWNER);
  const who = owner === selfId()
    ? "this thread holds it already (a Lock is not reentrant: use an RLock)"
    : "another thread holds it (a worker that ended while holding it never releases it)";
  return new TimeoutError(`Cannot ${ctx.caller}: timed out after ${ctx.timeout} ms: ${who}`);
}

/** Takes the futex mutex in `words[STATE]` (Drepper's "mutex2"), then records the owner. */
export function* mutexSteps(words: Int32Array, ctx: Ctx, unbounded = false): WaitSteps<void> {
  let c = Atomics.compareExchange(words, STATE, UNLOCKED, LOCKED);
  if (c !== UNLOCKED) {
    if (c !== CONTENDED) c = Atomics.exchange(words, STATE, CONTENDED);
    while (c !== UNLOCKED) {
      const outcome = yield { array: words, index: STATE, value: CONTENDED, unbounded };
      if (outcome === "timed-out") throw lockTimeout(words, ctx);
      if (outcome === "aborted") throw abortError(ctx.signal, ctx.caller);
      c = Atomics.exchange(words, STATE, CONTENDED);
    }
  }
  Atomics.store(words, OWNER, selfId());
}

/** Takes the mutex if free; `true` when taken. */
export function mutexTry(words: Int32Array): boolean {
  if (Atomics.compareExchange(words, STATE, UNLOCKED, LOCKED) !== UNLOCKED) return false;
  Atomics.store(words, OWNER, selfId());
  return true;
}

/** Lets go of the mutex and wakes one waiter. */
export function mutexRelease(words: Int32Array): void {
  Atomics.store(words, OWNER, 0);
  if (Atomics.sub(words, STATE, 1) !== LOCKED) {
    Atomics.store(words, STATE, UNLOCKED);
    Atomics.notify(words, STATE, 1);
  }
}
