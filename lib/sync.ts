/**
 * Locks, semaphores, events, conditions and barriers that every worker shares, after Python's
 * `multiprocessing` (and `threading`) primitives, built on a SharedArrayBuffer with `Atomics.wait`
 * and `Atomics.notify`.
 *
 * Each primitive has a blocking form (`acquire()`, `wait()`) for workers (Deno allows it on the
 * main thread too, where it freezes the event loop while it waits) and an async form
 * (`acquireAsync()`, `waitAsync()`) for any thread. Every wait takes `{ timeout, signal }` and throws
 * {@linkcode TimeoutError} when the time runs out. `using _ = lock.hold();` (or
 * `using _ = await lock.holdAsync();`) releases the lock when the block ends, whatever happens in it.
 *
 * Pass any of them to a Pool task or a Process: they arrive as the same lock, not a copy.
 *
 * **A lock held by a worker that dies stays locked.** parakit does not release it behind anyone's
 * back: the data it guards may be half-updated. Waiters wait until their timeout, and the
 * {@linkcode TimeoutError} says who held the lock (this thread, or another one that may have ended).
 * Use a timeout wherever a worker could die in a critical section.
 *
 * @module
 */

import { adopt, adopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import {
  type Ctx,
  ctxOf,
  mutexRelease,
  mutexSteps,
  mutexTry,
  OWNER,
  STATE,
  UNLOCKED,
} from "./_mutex.ts";
import {
  abortError,
  checkWaitOptions,
  runAsync,
  runBlocking,
  selfId,
  type SyncWaitOptions,
  TimeoutError,
  type WaitOutcome,
  type WaitSteps,
} from "./_wait.ts";

export type { SyncWaitOptions };

const COUNT = 2;

/** What a Condition needs from its lock: to let go of it fully while waiting, and to take it back. */
interface LockInternals {
  readonly words: Int32Array;
  readonly reentrant: boolean;
}

const INTERNALS = new WeakMap<object, LockInternals>();

/** Each condition's sequence word, for the Barrier built on it. */
const SEQ_OF = new WeakMap<object, Int32Array>();

function internalsOf(lock: LockLike): LockInternals {
  const internals = INTERNALS.get(lock);
  if (!internals) throw new TypeError("Cannot use lock: expected a Lock or an RLock from lib/");
  return internals;
}

function ownedByMe(internals: LockInternals): boolean {
  return Atomics.load(internals.words, STATE) !== UNLOCKED &&
    Atomics.load(internals.words, OWNER) === selfId();
}

function releaseFully(internals: LockInternals): number {
  const count = internals.reentrant ? internals.words[COUNT]! : 1;
  if (internals.reentrant) internals.words[COUNT] = 0;
  mutexRelease(internals.words);
  return count;
}

function* restoreSteps(internals: LockInternals, count: number, ctx: Ctx): WaitSteps<void> {
  yield* mutexSteps(internals.words, ctx, true);
  if (internals.reentrant) internals.words[COUNT] = count;
}

function guard(release: () => void): Disposable {
  let done = false;
  return {
    [Symbol.dispose]() {
      if (done) return;
      done = true;
      release();
    },
  };
}

function handle(module: string, kind: string, state: unknown): SharedHandle {
  return { module, kind, state };
}

/**
 * What every lock in `lib/` offers: {@linkcode Lock} and {@linkcode RLock}, and the locks of
 * `Value` and `SharedArray`.
 */
export interface LockLike {
  /** Waits until this thread holds the lock. */
  acquire(options?: SyncWaitOptions): void;
  /** Waits, without blocking the event loop, until this thread holds the lock. */
  acquireAsync(options?: SyncWaitOptions): Promise<void>;
  /** Takes the lock if it is free, without waiting; `true` when taken. */
  tryAcquire(): boolean;
  /** Lets go of the lock. */
  release(): void;
  /** Acquires the lock and returns a guard that releases it: `using _ = lock.hold();`. */
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
   * Waits until this thread holds the lock (`Atomics.wait`: the thread sleeps).
   *
   * @param options The longest wait and a signal.
   * @throws {TimeoutError} If the timeout passes first.
   */
  acquire(options: SyncWaitOptions = {}): void {
    if (options.timeout === undefined && options.signal === undefined && this.tryAcquire()) {
      return; // the uncontended fast path
    }
    const ctx = ctxOf(options, "acquire lock");
    runBlocking(this.steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * Waits until this thread holds the lock, letting the event loop run (`Atomics.waitAsync`).
   *
   * @param options The longest wait and a signal.
   * @returns Once the lock is held.
   * @throws {TimeoutError} If the timeout passes first.
   */
  async acquireAsync(options: SyncWaitOptions = {}): Promise<void> {
    const ctx = ctxOf(options, "acquire lock");
    await runAsync(this.steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * Acquires the lock and returns a guard that releases it when its block ends.
   *
   * @param options The longest wait and a signal.
   * @returns The guard: `using _ = lock.hold();`.
   * @throws {TimeoutError} If the timeout passes first.
   */
  hold(options: SyncWaitOptions = {}): Disposable {
    this.acquire(options);
    return guard(() => this.release());
  }

  /**
   * Acquires the lock without blocking the event loop and returns a guard that releases it.
   *
   * @param options The longest wait and a signal.
   * @returns The guard: `using _ = await lock.holdAsync();`.
   * @throws {TimeoutError} If the timeout passes first.
   */
  async holdAsync(options: SyncWaitOptions = {}): Promise<Disposable> {
    await this.acquireAsync(options);
    return guard(() => this.release());
  }

  /** True while some thread holds the lock. */
  get locked(): boolean {
    return Atomics.load(this.words, STATE) !== UNLOCKED;
  }
}

/**
 * A lock every worker shares (Python's `multiprocessing.Lock`): one holder at a time, not
 * reentrant. Any thread may release it, as in Python.
 *
 * @example Usage
 * ```ts
 * import { Lock } from "./sync.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const lock = new Lock();
 * {
 *   using _ = lock.hold();
 *   equal(lock.locked, true);
 *   throws(() => lock.acquire({ timeout: 0 }), { name: "TimeoutError" });
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
 * import { RLock } from "./sync.ts";
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
    if (outcome === "timed-out") {
      throw new TimeoutError(`Cannot ${ctx.caller}: timed out after ${ctx.timeout} ms`);
    }
    if (outcome === "aborted") throw abortError(ctx.signal, ctx.caller);
  }
}

/**
 * A counting semaphore every worker shares (Python's `Semaphore`): `acquire` takes one unit,
 * waiting while there is none; `release` gives one back.
 *
 * @example Usage
 * ```ts
 * import { Semaphore } from "./sync.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const slots = new Semaphore({ value: 2 });
 * slots.acquire();
 * slots.acquire();
 * throws(() => slots.acquire({ timeout: 0 }), { name: "TimeoutError" });
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
   * Takes one unit, waiting while there is none.
   *
   * @param options The longest wait and a signal.
   * @throws {TimeoutError} If the timeout passes first.
   */
  acquire(options: SyncWaitOptions = {}): void {
    const ctx = ctxOf(options, "acquire semaphore");
    runBlocking(semaphoreSteps(this.#words, ctx), ctx.timeout, ctx.signal);
  }

  /**
   * Takes one unit, letting the event loop run while there is none.
   *
   * @param options The longest wait and a signal.
   * @returns Once a unit is taken.
   * @throws {TimeoutError} If the timeout passes first.
   */
  async acquireAsync(options: SyncWaitOptions = {}): Promise<void> {
    const ctx = ctxOf(options, "acquire semaphore");
    await runAsync(semaphoreSteps(this.#words, ctx), ctx.timeout, ctx.signal);
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
    this.acquire(options);
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
    await this.acquireAsync(options);
    return guard(() => this.release());
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
 * import { BoundedSemaphore } from "./sync.ts";
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

/**
 * A flag every worker shares (Python's `Event`): `wait` sleeps until some thread calls `set`.
 *
 * @example Usage
 * ```ts
 * import { Event } from "./sync.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const ready = new Event();
 * throws(() => ready.wait({ timeout: 1 }), { name: "TimeoutError" });
 * ready.set();
 * ready.wait();
 * equal(ready.isSet(), true);
 * ```
 */
export class Event {
  #words: Int32Array;

  /** Makes a new, cleared event in shared memory. */
  constructor() {
    const state = adopted();
    this.#words = new Int32Array(
      state === undefined
        ? new SharedArrayBuffer(4)
        : sharedState(state, "Event", ["buffer"]).buffer,
    );
  }

  *#steps(ctx: Ctx): WaitSteps<void> {
    while (Atomics.load(this.#words, 0) === 0) {
      const outcome = yield { array: this.#words, index: 0, value: 0 };
      if (outcome === "timed-out") {
        throw new TimeoutError(`Cannot ${ctx.caller}: timed out after ${ctx.timeout} ms`);
      }
      if (outcome === "aborted") throw abortError(ctx.signal, ctx.caller);
    }
  }

  /** True once `set` was called (and `clear` not since). */
  isSet(): boolean {
    return Atomics.load(this.#words, 0) === 1;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    Atomics.store(this.#words, 0, 1);
    Atomics.notify(this.#words, 0);
  }

  /** Clears the flag: later waits sleep again. */
  clear(): void {
    Atomics.store(this.#words, 0, 0);
  }

  /**
   * Sleeps until the flag is set; returns at once if it is.
   *
   * @param options The longest wait and a signal.
   * @throws {TimeoutError} If the timeout passes first.
   */
  wait(options: SyncWaitOptions = {}): void {
    const ctx = ctxOf(options, "wait for event");
    runBlocking(this.#steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * Waits, letting the event loop run, until the flag is set.
   *
   * @param options The longest wait and a signal.
   * @returns Once the flag is set.
   * @throws {TimeoutError} If the timeout passes first.
   */
  async waitAsync(options: SyncWaitOptions = {}): Promise<void> {
    const ctx = ctxOf(options, "wait for event");
    await runAsync(this.#steps(ctx), ctx.timeout, ctx.signal);
  }

  /**
   * Describes the event for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return handle(import.meta.url, "Event", { buffer: this.#words.buffer });
  }

  /**
   * Rebuilds an event from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Event {
    return adopt(state, () => new Event());
  }
}

/** Options of {@linkcode Condition}. */
export interface ConditionOptions {
  /** The lock the condition waits with. Default: a new {@linkcode RLock}, as in Python. */
  lock?: Lock | RLock;
}

/**
 * Waits once on the condition's sequence word: lets go of the lock, sleeps until notified (or the
 * deadline, or the signal), takes the lock back whatever happened. A wake may be spurious.
 */
function* conditionSteps(
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

function notifyCondition(seq: Int32Array, lock: LockInternals, n: number, caller: string): void {
  if (!ownedByMe(lock)) throw new Error(`Cannot ${caller}: its lock is not held by this thread`);
  Atomics.add(seq, 0, 1);
  Atomics.notify(seq, 0, n);
}

function conditionError(outcome: WaitOutcome, ctx: Ctx): unknown {
  return outcome === "aborted"
    ? abortError(ctx.signal, ctx.caller)
    : new TimeoutError(`Cannot ${ctx.caller}: timed out after ${ctx.timeout} ms`);
}

/**
 * A condition variable every worker shares (Python's `Condition`): with its lock held, `wait`
 * lets go of the lock until another thread calls `notify`, then takes it back. A wake can be
 * spurious: wait in a loop, or use `waitFor(predicate)`.
 *
 * @example Usage
 * ```ts
 * import { Condition } from "./sync.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const changed = new Condition();
 * using _ = changed.hold();
 * throws(() => changed.wait({ timeout: 1 }), { name: "TimeoutError" });
 * equal(changed.waitFor(() => 42), 42);
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
   * @param options The longest wait and a signal.
   * @throws {TimeoutError} If the timeout passes first.
   */
  acquire(options: SyncWaitOptions = {}): void {
    this.#lock.acquire(options);
  }

  /**
   * Acquires the condition's lock without blocking the event loop.
   *
   * @param options The longest wait and a signal.
   * @returns Once the lock is held.
   * @throws {TimeoutError} If the timeout passes first.
   */
  acquireAsync(options: SyncWaitOptions = {}): Promise<void> {
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
   * throws).
   *
   * @param options The longest wait and a signal.
   * @throws {TimeoutError} If the timeout passes before a notify.
   * @throws {Error} If this thread does not hold the lock.
   */
  wait(options: SyncWaitOptions = {}): void {
    const ctx = ctxOf(options, "wait on condition");
    const outcome = runBlocking(
      conditionSteps(this.#seq, internalsOf(this.#lock), ctx),
      ctx.timeout,
      ctx.signal,
    );
    if (outcome !== "ok") throw conditionError(outcome, ctx);
  }

  /**
   * The async form of {@linkcode Condition.prototype.wait}: the event loop runs while it waits.
   *
   * @param options The longest wait and a signal.
   * @returns Once notified, with the lock held again.
   * @throws {TimeoutError} If the timeout passes before a notify.
   * @throws {Error} If this thread does not hold the lock.
   */
  async waitAsync(options: SyncWaitOptions = {}): Promise<void> {
    const ctx = ctxOf(options, "wait on condition");
    const outcome = await runAsync(
      conditionSteps(this.#seq, internalsOf(this.#lock), ctx),
      ctx.timeout,
      ctx.signal,
    );
    if (outcome !== "ok") throw conditionError(outcome, ctx);
  }

  *#waitForSteps<T>(predicate: () => T, ctx: Ctx): WaitSteps<T> {
    let result = predicate();
    while (!result) {
      const outcome = yield* conditionSteps(this.#seq, internalsOf(this.#lock), ctx);
      result = predicate();
      if (outcome !== "ok" && !result) throw conditionError(outcome, ctx);
    }
    return result;
  }

  /**
   * With the lock held: waits until `predicate()` returns a truthy value, checking it after each
   * wake with the lock held.
   *
   * @typeParam T The predicate's result.
   * @param predicate Reads the shared state.
   * @param options The longest total wait and a signal.
   * @returns The predicate's truthy result.
   * @throws {TimeoutError} If the timeout passes while the predicate is still falsy.
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
   * @returns The predicate's truthy result.
   * @throws {TimeoutError} If the timeout passes while the predicate is still falsy.
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

/**
 * Rebuilds a Lock or an RLock from the handle inside another object's state (a Condition's, a
 * Value's).
 *
 * @param lockHandle The lock's handle.
 * @returns The lock.
 * @throws {TypeError} If the handle is not a Lock's or an RLock's.
 */
export function reviveLock(lockHandle: unknown): Lock | RLock {
  const { kind, state } = (lockHandle ?? {}) as Partial<SharedHandle>;
  if (kind === "Lock") return Lock[REVIVE](state);
  if (kind === "RLock") return RLock[REVIVE](state);
  throw new TypeError(`Cannot receive lock: expected a Lock or an RLock: received ${String(kind)}`);
}

/** Options of {@linkcode Barrier}. */
export interface BarrierOptions {
  /** The default timeout of `wait`, in milliseconds. Default: `Infinity`. */
  timeout?: number;
}

/**
 * The error of a wait on a broken {@linkcode Barrier}: one waiter timed out or was aborted, or
 * someone called `abort()` or `reset()` while others waited.
 *
 * @example Usage
 * ```ts
 * import { BrokenBarrierError } from "./sync.ts";
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
const B_TIMEOUT_OFFSET = 16;

const FILLING = 0;
const DRAINING = 1;
const RESETTING = -1;
const BROKEN = -2;

/**
 * A barrier every worker shares (Python's `Barrier`): each of `parties` threads calls `wait`, and
 * all of them go on once the last one arrives. A waiter that times out or is aborted breaks the
 * barrier, and every waiter then gets a {@linkcode BrokenBarrierError}; `reset()` mends it.
 *
 * Python's `action` argument has no equivalent here: a function cannot travel to a worker. Let the
 * waiter whose `wait()` returned 0 do it.
 *
 * @example Usage
 * ```ts
 * import { Barrier } from "./sync.ts";
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

  /**
   * Makes a barrier in shared memory.
   *
   * @param parties How many threads must call `wait`; a positive integer.
   * @param options The default timeout of `wait`.
   * @throws {RangeError} If `parties` is not a positive integer or the timeout is negative.
   */
  constructor(parties: number, options: BarrierOptions = {}) {
    const state = adopted();
    if (state !== undefined) {
      const { buffer, condition } = sharedState(state, "Barrier", ["buffer"]);
      this.#words = new Int32Array(buffer, 0, 3);
      this.#defaultTimeout = new Float64Array(buffer, B_TIMEOUT_OFFSET, 1)[0]!;
      this.#cond = Condition[REVIVE]((condition as SharedHandle | undefined)?.state);
      return;
    }
    if (!Number.isSafeInteger(parties) || parties < 1 || parties > 0x7fffffff) {
      throw new RangeError(
        `Cannot make barrier: parties must be a positive integer: received ${parties}`,
      );
    }
    this.#defaultTimeout = checkWaitOptions(options, "make barrier");
    const buffer = new SharedArrayBuffer(B_TIMEOUT_OFFSET + 8);
    this.#words = new Int32Array(buffer, 0, 3);
    this.#words[B_PARTIES] = parties;
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
          words[B_STATE] = DRAINING;
          this.#notifyAll();
        } else {
          while (words[B_STATE] === FILLING) {
            const outcome = yield* conditionSteps(seq, lock, ctx);
            if (outcome !== "ok" && words[B_STATE] === FILLING) {
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
