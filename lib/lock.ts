/**
 * {@linkcode Lock} and {@linkcode RLock}: locks every worker shares, after Python's
 * `multiprocessing.Lock` and `RLock`, on a SharedArrayBuffer with `Atomics.wait` and
 * `Atomics.notify`.
 *
 * Each lock has a blocking form (`acquire()`) for workers (Deno allows it on the main thread too,
 * where it freezes the event loop while it waits) and an async form (`acquireAsync()`) for any
 * thread. `using _ = lock.hold();` (or `using _ = await lock.holdAsync();`) releases the lock when
 * the block ends, whatever happens in it. Pass one to a Pool task or a Process: it arrives as the
 * same lock, not a copy.
 *
 * **A lock held by a worker that dies stays locked.** parakit does not release it behind anyone's
 * back: the data it guards may be half-updated. Waiters wait until their timeout, and the
 * {@linkcode TimeoutError} of `hold()` says who held the lock (this thread, or another one that may
 * have ended). Use a timeout wherever a worker could die in a critical section.
 *
 * This file stays over 300 lines: `Lock` and `RLock` are two faces of one base class over one
 * futex mutex, and splitting them would split that class from its only users.
 *
 * @module
 */

import { adopt, adopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { type Ctx, ctxOf, mutexRelease, mutexSteps, mutexTry, STATE, UNLOCKED } from "./_mutex.ts";
import { runAsync, runBlocking, type WaitSteps } from "./_wait.ts";
import { COUNT, guard, handle, INSPECT, INTERNALS, orFalse, ownedByMe } from "./_sync.ts";
import type { SyncWaitOptions } from "./timeout.ts";

/**
 * What every lock in `lib/` offers: {@linkcode Lock} and {@linkcode RLock}, and the locks of
 * `Value` and `SharedArray`.
 */
export interface LockLike {
  /** Waits until this thread holds the lock; `false` when the timeout passed first. */
  acquire(options?: SyncWaitOptions): boolean;
  /** Waits, without blocking the event loop, until this thread holds the lock; `false` on a timeout. */
  acquireAsync(options?: SyncWaitOptions): Promise<boolean>;
  /** Takes the lock if it is free, without waiting; `true` when taken. */
  tryAcquire(): boolean;
  /** Lets go of the lock. */
  release(): void;
  /**
   * Acquires the lock and returns a guard that releases it: `using _ = lock.hold();`. Throws a
   * TimeoutError on a timeout (a guard has no `false`).
   */
  hold(options?: SyncWaitOptions): Disposable;
  /** The async form of `hold`: `using _ = await lock.holdAsync();`. */
  holdAsync(options?: SyncWaitOptions): Promise<Disposable>;
  /** True while some thread holds the lock. */
  readonly locked: boolean;
}

/**
 * What Lock and RLock share: the blocking, async and guarded forms of acquiring, over each one's
 * own wait steps. Not exported: use {@linkcode Lock} or {@linkcode RLock}.
 *
 * @ignore
 */
abstract class LockBase implements LockLike {
  /** The lock's memory. */
  protected readonly words: Int32Array;

  constructor(kind: string, bytes: number, reentrant: boolean) {
    const state = adopted();
    this.words = new Int32Array(
      state === undefined
        ? new SharedArrayBuffer(bytes)
        : sharedState(state, kind, ["buffer"]).buffer,
    );
    INTERNALS.set(this, { words: this.words, reentrant });
  }

  /** The algorithm that makes this thread the holder. */
  protected abstract steps(ctx: Ctx): WaitSteps<void>;

  /**
   * Takes the lock if that needs no wait.
   *
   * @returns `true` when this thread now holds it.
   */
  abstract tryAcquire(): boolean;

  /**
   * Lets go of the lock (one level of an RLock) and wakes one waiter.
   *
   * @throws {Error} If the lock is not locked (Lock) or not this thread's (RLock).
   */
  abstract release(): void;

  /**
   * Waits until this thread holds the lock (`Atomics.wait`: the thread sleeps), as Python's
   * `acquire(block, timeout)`: `{ timeout: 0 }` or `{ block: false }` only tries, a negative
   * timeout acts as 0.
   *
   * @param options The longest wait, whether to wait at all, and a signal.
   * @returns `true` once the lock is held, `false` if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired first.
   */
  acquire(options: SyncWaitOptions = {}): boolean {
    if (
      options.timeout === undefined && options.signal === undefined &&
      options.block === undefined && this.tryAcquire()
    ) {
      return true; // the uncontended fast path
    }
    const ctx = ctxOf(options, "acquire lock");
    return runBlocking(orFalse(this.steps(ctx)), ctx.timeout, ctx.signal);
  }

  /**
   * Waits until this thread holds the lock, letting the event loop run (`Atomics.waitAsync`).
   *
   * @param options The longest wait, whether to wait at all, and a signal.
   * @returns `true` once the lock is held, `false` if the timeout passed first.
   * @throws {unknown} The signal's reason if it fired first.
   */
  acquireAsync(options: SyncWaitOptions = {}): Promise<boolean> {
    const ctx = ctxOf(options, "acquire lock");
    return runAsync(orFalse(this.steps(ctx)), ctx.timeout, ctx.signal);
  }

  /**
   * Acquires the lock and returns a guard that releases it when its block ends. The throwing
   * form of {@linkcode LockBase.prototype.acquire}: a guard has no `false` to return.
   *
   * @param options The longest wait and a signal.
   * @returns The guard: `using _ = lock.hold();`.
   * @throws {TimeoutError} If the timeout passes first; its message says who holds the lock.
   */
  hold(options: SyncWaitOptions = {}): Disposable {
    if (
      options.timeout !== undefined || options.signal !== undefined ||
      options.block !== undefined || !this.tryAcquire()
    ) {
      const ctx = ctxOf(options, "acquire lock");
      runBlocking(this.steps(ctx), ctx.timeout, ctx.signal);
    }
    return guard(() => this.release());
  }

  /**
   * Acquires the lock without blocking the event loop and returns a guard that releases it.
   *
   * @param options The longest wait and a signal.
   * @returns The guard: `using _ = await lock.holdAsync();`.
   * @throws {TimeoutError} If the timeout passes first; its message says who holds the lock.
   */
  async holdAsync(options: SyncWaitOptions = {}): Promise<Disposable> {
    const ctx = ctxOf(options, "acquire lock");
    await runAsync(this.steps(ctx), ctx.timeout, ctx.signal);
    return guard(() => this.release());
  }

  /** True while some thread holds the lock. */
  get locked(): boolean {
    return Atomics.load(this.words, STATE) !== UNLOCKED;
  }

  /**
   * What `Deno.inspect` and `console.log` show: the class and whether it is locked.
   *
   * @ignore
   */
  [INSPECT](): string {
    return `${this.constructor.name} { locked: ${this.locked} }`;
  }
}

/**
 * A lock every worker shares (Python's `multiprocessing.Lock`): one holder at a time, not
 * reentrant. Any thread may release it, as in Python.
 *
 * @example Usage
 * ```ts
 * import { Lock } from "./lock.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const lock = new Lock();
 * {
 *   using _ = lock.hold();
 *   equal(lock.locked, true);
 *   equal(lock.acquire({ timeout: 0 }), false);
 *   throws(() => lock.hold({ timeout: 0 }), { name: "TimeoutError" });
 * }
 * equal(lock.locked, false);
 * ```
 */
export class Lock extends LockBase implements LockLike {
  /** Makes a new, unlocked lock in shared memory. */
  constructor() {
    super("Lock", 8, false);
  }

  /**
   * Takes the futex mutex.
   *
   * @ignore
   */
  protected steps(ctx: Ctx): WaitSteps<void> {
    return mutexSteps(this.words, ctx);
  }

  /**
   * Takes the lock if it is free.
   *
   * @returns `true` when this thread now holds it.
   */
  tryAcquire(): boolean {
    return mutexTry(this.words);
  }

  /**
   * Lets go of the lock and wakes one waiter.
   *
   * @throws {Error} If the lock is not locked.
   */
  release(): void {
    if (Atomics.load(this.words, STATE) === UNLOCKED) {
      throw new Error("Cannot release lock: it is not locked");
    }
    mutexRelease(this.words);
  }

  /**
   * Describes the lock for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return handle(import.meta.url, "Lock", { buffer: this.words.buffer });
  }

  /**
   * Rebuilds a lock from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Lock {
    return adopt(state, () => new Lock());
  }
}

/**
 * A reentrant lock every worker shares (Python's `RLock`): the thread that holds it may acquire it
 * again, and must release it as many times; only that thread may release it.
 *
 * Its owner is a thread, as in Python, not an async function: two async flows of one thread count
 * as one owner, so `await lock.holdAsync()` lets the second in while the first is paused at an
 * `await` inside its block. To keep async flows of one thread apart, use a {@linkcode Lock}.
 *
 * @example Usage
 * ```ts
 * import { RLock } from "./lock.ts";
 * import { equal } from "node:assert/strict";
 *
 * const lock = new RLock();
 * using _outer = lock.hold();
 * using _inner = lock.hold();
 * equal(lock.locked, true);
 * ```
 */
export class RLock extends LockBase implements LockLike {
  /** Makes a new, unlocked reentrant lock in shared memory. */
  constructor() {
    super("RLock", 12, true);
  }

  /**
   * Counts one more level if this thread holds the lock, else takes the futex mutex.
   *
   * @ignore
   */
  protected *steps(ctx: Ctx): WaitSteps<void> {
    if (this.tryAcquire()) return;
    yield* mutexSteps(this.words, ctx);
    this.words[COUNT] = 1;
  }

  /**
   * Takes the lock if it is free or already this thread's.
   *
   * @returns `true` when this thread now holds it.
   */
  tryAcquire(): boolean {
    if (ownedByMe({ words: this.words, reentrant: true })) {
      this.words[COUNT]!++;
      return true;
    }
    if (!mutexTry(this.words)) return false;
    this.words[COUNT] = 1;
    return true;
  }

  /**
   * Releases one level of the lock; the last release lets another thread take it.
   *
   * @throws {Error} If this thread does not hold the lock.
   */
  release(): void {
    if (!ownedByMe({ words: this.words, reentrant: true })) {
      throw new Error("Cannot release lock: this thread does not hold it");
    }
    if (--this.words[COUNT]! === 0) mutexRelease(this.words);
  }

  /**
   * Describes the lock for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return handle(import.meta.url, "RLock", { buffer: this.words.buffer });
  }

  /**
   * Rebuilds a lock from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): RLock {
    return adopt(state, () => new RLock());
  }
}
