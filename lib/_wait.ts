/**
 * The one place where `lib/`'s shared-memory primitives wait: a blocking driver on `Atomics.wait`
 * and an async driver on `Atomics.waitAsync`, both running the same algorithm.
 *
 * Each primitive writes its algorithm once, as a generator that yields a {@linkcode WaitRequest}
 * ("sleep while `array[index]` still holds `value`") and receives the {@linkcode WaitOutcome}.
 * {@linkcode runBlocking} and {@linkcode runAsync} own the deadline and the abort signal, so the
 * blocking `acquire()` and the async `acquireAsync()` cannot drift apart.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import { threadId } from "node:worker_threads";
import { type SyncWaitOptions, TimeoutError } from "./timeout.ts";

/**
 * Sleep while `array[index] === value`. An `unbounded` request ignores the deadline and the
 * signal: for taking back a lock that must be held again before returning (a condition's wait).
 */
export interface WaitRequest {
  readonly array: Int32Array;
  readonly index: number;
  readonly value: number;
  readonly unbounded?: boolean;
}

/**
 * What a wait came back with: `"ok"` (woken, or the value had already changed: check again),
 * `"timed-out"` (the deadline passed) or `"aborted"` (the signal fired).
 */
export type WaitOutcome = "ok" | "timed-out" | "aborted";

/** An algorithm that waits: yields requests, gets outcomes, returns its result. */
export type WaitSteps<T> = Generator<WaitRequest, T, WaitOutcome>;

/**
 * Checks a wait's options at the boundary.
 *
 * @param options The options.
 * @param caller What was being done, for the message (`"acquire lock"`).
 * @returns The timeout in milliseconds (`Infinity` when none): 0 for a negative one and for
 * `block: false`, as in Python.
 * @throws {RangeError} If the timeout is not a number (or NaN).
 * @throws {TypeError} If the signal is not an AbortSignal, or `block` not a boolean.
 */
export function checkWaitOptions(options: SyncWaitOptions, caller: string): number {
  const timeout = options.timeout ?? Infinity;
  if (typeof timeout !== "number" || Number.isNaN(timeout)) {
    throw new RangeError(
      `Cannot ${caller}: timeout must be a number of milliseconds: received ${String(timeout)}`,
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError(`Cannot ${caller}: signal must be an AbortSignal`);
  }
  if (options.block !== undefined && typeof options.block !== "boolean") {
    throw new TypeError(
      `Cannot ${caller}: block must be a boolean: received ${typeof options.block}`,
    );
  }
  return options.block === false ? 0 : Math.max(0, timeout);
}

/** The message tail of a timeout: `timed out after 10 ms`. */
export function timedOut(caller: string, timeout: number): TimeoutError {
  return new TimeoutError(`Cannot ${caller}: timed out after ${timeout} ms`);
}

/**
 * Runs a waiting algorithm on this thread with `Atomics.wait`: the thread sleeps (no event loop
 * turns) until woken, the deadline, or for ever.
 *
 * @param steps The algorithm.
 * @param timeout The longest total wait in milliseconds.
 * @param signal Checked before each sleep.
 * @returns What the algorithm returns.
 */
export function runBlocking<T>(steps: WaitSteps<T>, timeout: number, signal?: AbortSignal): T {
  const deadline = performance.now() + timeout;
  let step = steps.next();
  while (!step.done) {
    const { array, index, value, unbounded } = step.value;
    let outcome: WaitOutcome;
    if (signal?.aborted && !unbounded) {
      outcome = "aborted";
    } else {
      const left = unbounded ? Infinity : deadline - performance.now();
      if (left <= 0) {
        outcome = "timed-out";
      } else {
        Atomics.wait(array, index, value, left === Infinity ? undefined : left);
        outcome = "ok";
      }
    }
    step = steps.next(outcome);
  }
  return step.value;
}

/**
 * Runs a waiting algorithm with `Atomics.waitAsync`: the thread keeps running its event loop. An
 * abort wakes every waiter of the watched word (they all check again: a spurious wake is harmless).
 *
 * A pending `Atomics.waitAsync` alone does not keep Deno's event loop running (its wake-up would
 * never arrive), so a timer does while it waits: a wait for ever keeps the program alive, as a
 * blocking wait would.
 *
 * @param steps The algorithm.
 * @param timeout The longest total wait in milliseconds.
 * @param signal Stops the wait as soon as it fires.
 * @returns What the algorithm returns.
 */
export async function runAsync<T>(
  steps: WaitSteps<T>,
  timeout: number,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = performance.now() + timeout;
  let step = steps.next();
  while (!step.done) {
    const { array, index, value, unbounded } = step.value;
    let outcome: WaitOutcome;
    if (signal?.aborted && !unbounded) {
      outcome = "aborted";
    } else {
      const left = unbounded ? Infinity : deadline - performance.now();
      if (left <= 0) {
        outcome = "timed-out";
      } else {
        const waiting = Atomics.waitAsync(
          array,
          index,
          value,
          left === Infinity ? undefined : left,
        );
        if (waiting.async) {
          const wake = () => Atomics.notify(array, index);
          if (!unbounded) signal?.addEventListener("abort", wake, { once: true });
          // Deno's event loop does not count a pending waitAsync as work: without a timer it can
          // end the program (or a test) before a notify's wake-up arrives.
          const keepAlive = setInterval(() => {}, KEEP_ALIVE_MS);
          try {
            await waiting.value;
          } finally {
            clearInterval(keepAlive);
            signal?.removeEventListener("abort", wake);
          }
        }
        outcome = signal?.aborted && !unbounded ? "aborted" : "ok";
      }
    }
    step = steps.next(outcome);
  }
  return step.value;
}

/** The longest delay `setTimeout` takes (about 24.8 days): a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fire` once `ms` milliseconds have passed, as `setTimeout` would if it took any delay: a
 * delay of `Infinity` never fires (and starts no timer), one past {@linkcode MAX_TIMER_MS} is
 * reached in steps. What every timeout of `lib/` that is not an `Atomics` wait runs on.
 *
 * @param ms The delay in milliseconds (not negative).
 * @param fire What to call then.
 * @returns A function that cancels it (harmless after it fired).
 */
export function startTimer(ms: number, fire: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (left: number) => {
    timer = left > MAX_TIMER_MS
      ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS)
      : setTimeout(fire, left);
  };
  if (ms !== Infinity) arm(ms);
  return () => clearTimeout(timer);
}

/** The period of the timer that keeps the event loop running during an async wait. */
const KEEP_ALIVE_MS = 2 ** 30;

/** The abort error a wait throws: the signal's reason when it is an error. */
export function abortError(signal: AbortSignal | undefined, caller: string): unknown {
  return signal?.reason ?? new DOMException(`Cannot ${caller}: aborted`, "AbortError");
}

const SELF_KEY = Symbol.for("parakit.selfId");

/** The smallest random id: every `threadId + 1` of a `node:worker_threads` Worker is below it. */
const RANDOM_ID_FLOOR = 0x40000000;

/**
 * A nonzero id of this thread (isolate), the same for every copy of `lib/` it loads: what a lock
 * records as its owner. In a `node:worker_threads` Worker (every worker the lib starts) it is
 * `threadId + 1`, unique in the process, and the name Deno gives the thread's OS thread is
 * `worker-<threadId>`, so an observer outside can tell which thread held a lock. `threadId` is 0
 * both on the main thread and in a web Worker: there the id is random, at least
 * {@linkcode RANDOM_ID_FLOOR} (so never a worker's), and collides with another such thread's with
 * odds near 1 in 10^9.
 */
export function selfId(): number {
  if (cachedSelfId !== 0) return cachedSelfId;
  const holder = globalThis as { [SELF_KEY]?: number };
  if (holder[SELF_KEY] === undefined) {
    const random = crypto.getRandomValues(new Int32Array(1))[0]! & (RANDOM_ID_FLOOR - 1);
    holder[SELF_KEY] = threadId > 0 ? threadId + 1 : RANDOM_ID_FLOOR + random;
  }
  cachedSelfId = holder[SELF_KEY];
  return cachedSelfId;
}

let cachedSelfId = 0;
