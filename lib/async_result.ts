/**
 * {@linkcode AsyncResult}, the handle of a call that runs in the background (`Pool.applyAsync`,
 * `Pool.mapAsync`, `Pool.starmapAsync`), and the errors such calls end with.
 *
 * @module
 */

import { startTimer } from "./_wait.ts";
import { TimeoutError } from "./timeout.ts";

/** `AsyncResult.get()`'s TimeoutError, defined in `timeout.ts` with every wait's options. */
export { TimeoutError };

/**
 * A pool's worker died (`Deno.exit`, an uncaught error outside a task, out of memory, killed)
 * while tasks were pending. As Python's `concurrent.futures` raises `BrokenProcessPool` (and unlike
 * `multiprocessing.Pool`, which hangs), the pool is then broken: every pending task fails with this
 * error, the other workers are stopped, and every later call throws it. Its `cause` says how the
 * worker ended.
 *
 * @example Usage
 * ```ts
 * import { BrokenPoolError } from "./async_result.ts";
 * import { equal } from "node:assert/strict";
 *
 * const error = new BrokenPoolError("Pool is broken: PoolWorker-1 exited with code 3");
 * equal(error.name, "BrokenPoolError");
 * ```
 */
export class BrokenPoolError extends Error {
  /**
   * Makes the error.
   *
   * @param message What happened.
   * @param options The error's `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BrokenPoolError";
  }
}

/**
 * A call reached a pool after `close()` or `terminate()`, or a pending task was dropped by
 * `terminate()`.
 *
 * @example Usage
 * ```ts
 * import { PoolClosedError } from "./async_result.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(new PoolClosedError("Cannot map: the pool is closed").name, "PoolClosedError");
 * ```
 */
export class PoolClosedError extends Error {
  /**
   * Makes the error.
   *
   * @param message What happened.
   * @param options The error's `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PoolClosedError";
  }
}

/** Functions an {@linkcode AsyncResult} calls once it is ready. */
export interface AsyncResultCallbacks<T> {
  /**
   * Called with the result when the call succeeded, before `get()` resolves. If it throws, the
   * call counts as failed with that error (`get()` rejects with it; `errorCallback` is not called).
   */
  readonly callback?: (value: T) => void;
  /**
   * Called with the error when the call failed, before `get()` rejects. If it throws, `get()`
   * rejects with that error instead (as a promise's `then(callback, errorCallback)` would).
   */
  readonly errorCallback?: (error: unknown) => void;
}

/** Options for {@linkcode AsyncResult.get}. */
export interface GetOptions {
  /**
   * The most milliseconds to wait (`Infinity`: no limit); then `get()` rejects with a
   * {@linkcode TimeoutError}.
   */
  readonly timeout?: number;
  /** Stops waiting (not the task) when aborted; `get()` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options for {@linkcode AsyncResult.wait}. */
export interface WaitOptions {
  /**
   * The most milliseconds to wait (`Infinity`: no limit); `wait()` then resolves even though the
   * result is not ready.
   */
  readonly timeout?: number;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | {
  readonly ok: false;
  readonly error: unknown;
};

/** Settles an AsyncResult; handed out by {@linkcode createAsyncResult} only. */
export interface Settle<T> {
  /** Makes the result ready with a value. */
  resolve(value: T): void;
  /** Makes the result ready with an error. */
  reject(error: unknown): void;
}

let settleResult: <T>(result: AsyncResult<T>, outcome: Outcome<T>) => void;

class Settler<T> implements Settle<T> {
  readonly #result: AsyncResult<T>;
  constructor(result: AsyncResult<T>) {
    this.#result = result;
  }
  resolve(value: T): void {
    settleResult(this.#result, { ok: true, value });
  }
  reject(error: unknown): void {
    settleResult(this.#result, { ok: false, error });
  }
}

/**
 * The result of a call running in the background, Python's `multiprocessing.pool.AsyncResult`:
 * `get()` waits for it (with an optional timeout), `ready()` and `successful()` look at it without
 * waiting, and the `callback` / `errorCallback` given to the call run once it is ready.
 *
 * An AsyncResult nobody waits on does not cause an unhandled rejection when its call fails.
 *
 * @typeParam T The call's result.
 *
 * @example Usage
 * ```ts
 * import { Pool } from "./pool.ts";
 * import { tasks } from "./testdata/tasks.ts";
 * import { equal } from "node:assert/strict";
 *
 * await using pool = new Pool({ processes: 1 });
 * const result = pool.applyAsync(tasks.square, [3]);
 * equal(await result.get({ timeout: 10_000 }), 9);
 * equal(result.ready(), true);
 * equal(result.successful(), true);
 * ```
 */
export class AsyncResult<T> {
  #outcome: Outcome<T> | undefined;
  #waiters: (() => void)[] | undefined;
  #callbacks: AsyncResultCallbacks<T> | undefined;

  static {
    settleResult = (result, outcome) => result.#settle(outcome);
  }

  /**
   * Makes a pending result. Pools make these; use {@linkcode createAsyncResult} to make one that
   * you can settle.
   *
   * @param callbacks Functions to call once it is ready.
   */
  constructor(callbacks?: AsyncResultCallbacks<T>) {
    this.#callbacks = callbacks;
  }

  #settle(outcome: Outcome<T>): void {
    if (this.#outcome !== undefined) return;
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (outcome.ok && callbacks?.callback) {
      try {
        callbacks.callback(outcome.value);
      } catch (error) {
        outcome = { ok: false, error };
      }
    } else if (!outcome.ok && callbacks?.errorCallback) {
      try {
        callbacks.errorCallback(outcome.error);
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    this.#outcome = outcome;
    const waiters = this.#waiters;
    this.#waiters = undefined;
    if (waiters) { for (const wake of waiters) wake(); }
  }

  #whenReady(wake: () => void): () => void {
    (this.#waiters ??= []).push(wake);
    return () => {
      const index = this.#waiters?.indexOf(wake) ?? -1;
      if (index >= 0) this.#waiters!.splice(index, 1);
    };
  }

  /**
   * Waits for the result.
   *
   * @param options A timeout and an abort signal for the wait.
   * @returns The call's result.
   * @throws {TimeoutError} If `timeout` milliseconds pass first (a negative one acts as 0, as in
   * Python).
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is NaN.
   * @throws {unknown} The call's error, or the signal's reason.
   */
  get(options: GetOptions = {}): Promise<T> {
    const { signal } = options;
    const timeout = checkTimeout(options.timeout, "get result");
    const outcome = this.#outcome;
    if (outcome !== undefined) {
      return outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(outcome.error);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      let stopTimer: (() => void) | undefined;
      const onAbort = () => {
        cleanup();
        reject(signal!.reason);
      };
      const stop = this.#whenReady(() => {
        cleanup();
        const done = this.#outcome!;
        if (done.ok) resolve(done.value);
        else reject(done.error);
      });
      const cleanup = () => {
        stop();
        stopTimer?.();
        signal?.removeEventListener("abort", onAbort);
      };
      if (timeout !== undefined) {
        stopTimer = startTimer(timeout, () => {
          cleanup();
          reject(new TimeoutError(`Cannot get result: not ready after ${timeout} ms`));
        });
      }
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Waits until the result is ready, or until `timeout` milliseconds have passed; never rejects.
   *
   * @param options The most milliseconds to wait.
   * @returns A promise that resolves once ready or timed out (check `ready()` to tell which); a
   * negative timeout acts as 0, as in Python.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is NaN.
   */
  wait(options: WaitOptions = {}): Promise<void> {
    const timeout = checkTimeout(options.timeout, "wait for result");
    if (this.#outcome !== undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let stopTimer: (() => void) | undefined;
      const stop = this.#whenReady(() => {
        stopTimer?.();
        resolve();
      });
      if (timeout !== undefined) {
        stopTimer = startTimer(timeout, () => {
          stop();
          resolve();
        });
      }
    });
  }

  /**
   * Tells whether the call has finished, successfully or not.
   *
   * @returns `true` once the result is ready.
   */
  ready(): boolean {
    return this.#outcome !== undefined;
  }

  /**
   * Tells whether the call finished without an error.
   *
   * @returns `true` if it succeeded.
   * @throws {TypeError} If the result is not ready yet (Python raises `ValueError`).
   */
  successful(): boolean {
    if (this.#outcome === undefined) {
      throw new TypeError("Cannot tell whether the call succeeded: the result is not ready yet");
    }
    return this.#outcome.ok;
  }
}

// As in Python, whose AsyncResult waits on a threading.Event: a negative timeout acts as 0.
function checkTimeout(timeout: number | undefined, caller: string): number | undefined {
  if (timeout === undefined) return undefined;
  if (typeof timeout !== "number") {
    throw new TypeError(
      `Cannot ${caller}: timeout must be a number of milliseconds: received ${typeof timeout}`,
    );
  }
  if (Number.isNaN(timeout)) {
    throw new RangeError(
      `Cannot ${caller}: timeout must be a number of milliseconds: received NaN`,
    );
  }
  return Math.max(0, timeout);
}

/**
 * Makes a pending {@linkcode AsyncResult} together with the functions that settle it (once; later
 * calls do nothing).
 *
 * @typeParam T The result's type.
 * @param callbacks Functions the result calls once ready.
 * @returns The result and its settle functions.
 *
 * @example Usage
 * ```ts
 * import { createAsyncResult } from "./async_result.ts";
 * import { equal } from "node:assert/strict";
 *
 * const [result, settle] = createAsyncResult<number>();
 * equal(result.ready(), false);
 * settle.resolve(7);
 * equal(await result.get(), 7);
 * ```
 */
export function createAsyncResult<T>(
  callbacks?: AsyncResultCallbacks<T>,
): [AsyncResult<T>, Settle<T>] {
  const result = new AsyncResult<T>(callbacks);
  return [result, new Settler(result)];
}
