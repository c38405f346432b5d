/**
 * One number every worker shares (Python's `multiprocessing.Value` and `RawValue`), stored in a
 * SharedArrayBuffer.
 *
 * `value.value` reads and writes are plain typed-array accesses, exactly like Python's `Value`: a
 * read-modify-write such as `counter.value += 1` is three steps, and two workers doing it at once
 * lose updates. Hold the value's lock around it (`using _ = counter.getLock().hold();`), or use the
 * atomic {@linkcode RawValue.prototype.add} for integer types.
 *
 * @module
 */

import { adopt, adopted, peekAdopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { checkElement, isBigIntType, resolveLock, typedArrayOf } from "./_typecodes.ts";
import type { ElementOf, LockOption, TypeCode, TypedArrayOf } from "./typecodes.ts";
import type { Lock, RLock } from "./lock.ts";
import { reviveLock } from "./_revive_lock.ts";

interface ValueState {
  type: TypeCode;
  buffer: SharedArrayBuffer;
  lock?: SharedHandle;
}

function zeroOf(type: TypeCode): number | bigint {
  return isBigIntType(type) ? 0n : 0;
}

/**
 * One number in shared memory, without a lock (Python's `RawValue`).
 *
 * @typeParam T The type code.
 *
 * @example Usage
 * ```ts
 * import { RawValue } from "./value.ts";
 * import { equal } from "node:assert/strict";
 *
 * const total = new RawValue("q", 0n);
 * total.value += 5n;
 * equal(total.value, 5n);
 * equal(new RawValue("B", 300).value, 44); // a uint8 wraps, as in C
 * ```
 */
export class RawValue<T extends TypeCode> {
  #type: T;
  #view: TypedArrayOf<T>;

  /**
   * Makes a value in shared memory.
   *
   * @param type The type code (`"i"`, `"d"`, `"q"`, `"int32"`, ...).
   * @param init The initial value: a `bigint` for 64-bit integer codes, else a `number`. Default: 0.
   * @throws {TypeError} If the type code is unknown or `init` has the wrong type.
   */
  constructor(type: T, init?: ElementOf<T>) {
    const state = adopted() as ValueState | undefined;
    if (state !== undefined) {
      const { buffer } = sharedState(state, "Value", ["buffer"]);
      const Typed = typedArrayOf(state.type, "receive Value");
      this.#type = state.type as T;
      this.#view = new Typed(buffer, 0, 1) as TypedArrayOf<T>;
      STATES.set(this, { type: this.#type, buffer });
      return;
    }
    const Typed = typedArrayOf(type, "make Value");
    const start = init ?? zeroOf(type);
    checkElement(type, start, "make Value");
    this.#type = type;
    const buffer = new SharedArrayBuffer(8);
    this.#view = new Typed(buffer, 0, 1) as TypedArrayOf<T>;
    this.#view[0] = start as never;
    STATES.set(this, { type, buffer });
  }

  /** The type code. */
  get typecode(): T {
    return this.#type;
  }

  /**
   * The number: a plain (non-atomic) read. A write converts like a typed array does (a uint8
   * wraps, a float32 rounds).
   */
  get value(): ElementOf<T> {
    return this.#view[0] as ElementOf<T>;
  }

  set value(next: ElementOf<T>) {
    this.#view[0] = next as never;
  }

  /**
   * Adds to the number atomically (`Atomics.add`): no update is lost, even without the lock. Only
   * for integer type codes.
   *
   * @param delta What to add.
   * @returns The value before the addition.
   * @throws {TypeError} If the type is a float (`"f"`, `"d"`), or `delta` has the wrong type.
   */
  add(delta: ElementOf<T>): ElementOf<T> {
    const view = this.#view;
    if (view instanceof Float32Array || view instanceof Float64Array) {
      throw new TypeError(
        `Cannot add atomically: type "${this.#type}" is a float: hold the lock and use .value`,
      );
    }
    checkElement(this.#type, delta, "add atomically");
    return Atomics.add(view as Int32Array, 0, delta as never) as ElementOf<T>;
  }

  /**
   * Describes the value for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return { module: import.meta.url, kind: "RawValue", state: stateOf(this) };
  }

  /**
   * Rebuilds a value from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): RawValue<TypeCode> {
    return adopt(state, () => new RawValue("i"));
  }
}

const STATES = new WeakMap<object, ValueState>();

function stateOf(value: object): ValueState {
  return STATES.get(value)!;
}

/**
 * Options of {@linkcode Value}.
 *
 * @typeParam L The `lock` option's type: `false` makes an object whose type has no `getLock`.
 */
export interface ValueOptions<L extends LockOption = LockOption> {
  /** `true` (the default): a new RLock, as in Python; `false`: none; or a lock to share. */
  lock?: L;
}

/**
 * One number in shared memory with a lock that guards it (Python's `multiprocessing.Value`).
 *
 * The lock does not make `value` atomic: hold it around every read-modify-write. The default lock
 * is an {@linkcode RLock}, whose owner is a thread: it does not keep two async functions of one
 * thread apart across an `await` in the block; for that, make the value with
 * `{ lock: new Lock() }`.
 *
 * @typeParam T The type code.
 * @typeParam L Its `lock` option's type: for `lock: false` it is `false`, and the type has no
 *   `getLock` (as Python's lockless object has no `get_lock`); the method throws a TypeError if
 *   called anyway (a class's method exists on every instance in JavaScript).
 *
 * @example Usage
 * ```ts
 * import { Value } from "./value.ts";
 * import { equal } from "node:assert/strict";
 *
 * const counter = new Value("i", 0);
 * {
 *   using _ = counter.getLock().hold();
 *   counter.value += 1;
 * }
 * equal(counter.value, 1);
 * ```
 */
export class Value<T extends TypeCode, L extends LockOption = true | Lock | RLock>
  extends RawValue<T> {
  #lock: Lock | RLock | undefined;

  /**
   * `false` when made with `lock: false`: then it has no lock, and its type has no `getLock`
   * (Python's `Value(..., lock=False)` returns an object without `get_lock`).
   */
  readonly hasLock: L extends false ? false : true;

  /**
   * Makes a value in shared memory, with a lock.
   *
   * @param type The type code (`"i"`, `"d"`, `"q"`, `"int32"`, ...).
   * @param init The initial value: a `bigint` for 64-bit integer codes, else a `number`. Default: 0.
   * @param options The lock.
   * @throws {TypeError} If the type code is unknown, `init` has the wrong type, or the lock option
   * is not a boolean, a Lock or an RLock.
   */
  constructor(type: T, init?: ElementOf<T>, options: ValueOptions<L> = {}) {
    const state = peekAdopted() as ValueState | undefined;
    super(type, init);
    this.#lock = state === undefined
      ? resolveLock(options.lock, "make Value")
      : state.lock === undefined
      ? undefined
      : reviveLock(state.lock);
    this.hasLock = (this.#lock !== undefined) as L extends false ? false : true;
  }

  /**
   * The lock that guards the value.
   *
   * @returns The lock.
   * @throws {TypeError} If the value was made with `lock: false`.
   */
  getLock(this: Value<T, true | Lock | RLock>): Lock | RLock {
    if (this.#lock === undefined) {
      throw new TypeError("Cannot get lock: this Value was made with lock: false");
    }
    return this.#lock;
  }

  /**
   * Describes the value and its lock for another worker.
   *
   * @ignore
   */
  override [SHARE](): SharedHandle {
    return {
      module: import.meta.url,
      kind: "Value",
      state: {
        ...stateOf(this),
        ...(this.#lock === undefined ? {} : { lock: this.#lock[SHARE]() }),
      },
    };
  }

  /**
   * Rebuilds a value from its handle's state.
   *
   * @ignore
   */
  static override [REVIVE](state: unknown): Value<TypeCode> {
    return adopt(state, () => new Value("i"));
  }
}
