/**
 * A fixed-length array of numbers every worker shares (Python's `multiprocessing.Array` and
 * `RawArray`), stored in a SharedArrayBuffer and read and written through a typed array:
 * `shared.array[i]`.
 *
 * As with `Value`, element accesses are plain: hold the lock (`shared.getLock().hold()`) around a
 * read-modify-write that other workers may race with, or give each worker its own slice.
 *
 * @module
 */

import { adopt, adopted, peekAdopted, sharedState } from "./_adopt.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { checkElement, resolveLock, typedArrayOf } from "./_typecodes.ts";
import type { ElementOf, LockOption, TypeCode, TypedArrayOf } from "./typecodes.ts";
import type { Lock, RLock } from "./lock.ts";
import { reviveLock } from "./_revive_lock.ts";

interface ArrayState {
  type: TypeCode;
  buffer: SharedArrayBuffer;
  lock?: SharedHandle;
}

const STATES = new WeakMap<object, ArrayState>();

/**
 * A fixed-length array of numbers in shared memory, without a lock (Python's `RawArray`).
 *
 * @typeParam T The type code.
 *
 * @example Usage
 * ```ts
 * import { RawArray } from "./shared_array.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const squares = new RawArray("d", 4);
 * for (let i = 0; i < squares.length; i++) squares.array[i] = i * i;
 * deepEqual(squares.toArray(), [0, 1, 4, 9]);
 * equal(new RawArray("q", [1n, 2n]).array[1], 2n);
 * ```
 */
export class RawArray<T extends TypeCode> implements Iterable<ElementOf<T>> {
  #type: T;
  #array: TypedArrayOf<T>;

  /**
   * Makes an array in shared memory.
   *
   * @param type The type code (`"i"`, `"d"`, `"q"`, `"int32"`, ...).
   * @param sizeOrValues Its length (zero-filled), or its initial elements: `bigint`s for 64-bit
   * integer codes, else `number`s.
   * @throws {TypeError} If the type code is unknown or an element has the wrong type.
   * @throws {RangeError} If the size is not a non-negative integer.
   */
  constructor(type: T, sizeOrValues: number | Iterable<ElementOf<T>>) {
    const state = adopted() as ArrayState | undefined;
    if (state !== undefined) {
      const { buffer } = sharedState(state, "SharedArray", ["buffer"]);
      const Typed = typedArrayOf(state.type, "receive SharedArray");
      this.#type = state.type as T;
      this.#array = new Typed(buffer) as TypedArrayOf<T>;
      STATES.set(this, { type: this.#type, buffer });
      return;
    }
    const Typed = typedArrayOf(type, "make SharedArray");
    let values: ElementOf<T>[] | undefined;
    let size: number;
    if (typeof sizeOrValues === "number") {
      size = sizeOrValues;
      if (!Number.isSafeInteger(size) || size < 0) {
        throw new RangeError(
          `Cannot make SharedArray: size must be a non-negative integer: received ${size}`,
        );
      }
    } else if (sizeOrValues != null && Symbol.iterator in Object(sizeOrValues)) {
      values = [...sizeOrValues];
      for (const value of values) checkElement(type, value, "make SharedArray");
      size = values.length;
    } else {
      throw new TypeError(
        "Cannot make SharedArray: sizeOrValues must be a length or an iterable of elements",
      );
    }
    const bytes = size * (Typed as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const buffer = new SharedArrayBuffer(bytes);
    this.#type = type;
    this.#array = new Typed(buffer) as TypedArrayOf<T>;
    if (values) (this.#array as { set(values: ArrayLike<unknown>): void }).set(values);
    STATES.set(this, { type, buffer });
  }

  /** The type code. */
  get typecode(): T {
    return this.#type;
  }

  /** The shared elements, as a typed array over the shared memory: `shared.array[i] = x`. */
  get array(): TypedArrayOf<T> {
    return this.#array;
  }

  /** The number of elements. */
  get length(): number {
    return this.#array.length;
  }

  /** Iterates over the elements (plain reads). */
  *[Symbol.iterator](): Iterator<ElementOf<T>> {
    for (let i = 0; i < this.#array.length; i++) yield this.#array[i] as ElementOf<T>;
  }

  /**
   * Copies the elements into a plain array (Python's `arr[:]`).
   *
   * @returns The copy.
   */
  toArray(): ElementOf<T>[] {
    return [...this];
  }

  /**
   * Describes the array for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return { module: import.meta.url, kind: "RawArray", state: STATES.get(this) };
  }

  /**
   * Rebuilds an array from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): RawArray<TypeCode> {
    return adopt(state, () => new RawArray("i", 0));
  }
}

/**
 * Options of {@linkcode SharedArray}.
 *
 * @typeParam L The `lock` option's type: `false` makes an object whose type has no `getLock`.
 */
export interface SharedArrayOptions<L extends LockOption = LockOption> {
  /** `true` (the default): a new RLock, as in Python; `false`: none; or a lock to share. */
  lock?: L;
}

/**
 * A fixed-length array of numbers in shared memory with a lock that guards it (Python's
 * `multiprocessing.Array`). The default lock is an RLock, whose owner is a thread: as with
 * `Value`, pass `{ lock: new Lock() }` to keep async functions of one thread apart.
 *
 * @typeParam T The type code.
 * @typeParam L Its `lock` option's type: for `lock: false` it is `false`, and the type has no
 *   `getLock` (as Python's lockless object has no `get_lock`); the method throws a TypeError if
 *   called anyway (a class's method exists on every instance in JavaScript).
 *
 * @example Usage
 * ```ts
 * import { SharedArray } from "./shared_array.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const counts = new SharedArray("i", [0, 0, 0]);
 * {
 *   using _ = counts.getLock().hold();
 *   counts.array[1]! += 1;
 * }
 * deepEqual(counts.toArray(), [0, 1, 0]);
 * ```
 */
export class SharedArray<T extends TypeCode, L extends LockOption = true | Lock | RLock>
  extends RawArray<T> {
  #lock: Lock | RLock | undefined;

  /**
   * `false` when made with `lock: false`: then it has no lock, and its type has no `getLock`
   * (Python's `Value(..., lock=False)` returns an object without `get_lock`).
   */
  readonly hasLock: L extends false ? false : true;

  /**
   * Makes an array in shared memory, with a lock.
   *
   * @param type The type code (`"i"`, `"d"`, `"q"`, `"int32"`, ...).
   * @param sizeOrValues Its length (zero-filled), or its initial elements.
   * @param options The lock.
   * @throws {TypeError} If the type code is unknown, an element has the wrong type, or the lock
   * option is not a boolean, a Lock or an RLock.
   * @throws {RangeError} If the size is not a non-negative integer.
   */
  constructor(
    type: T,
    sizeOrValues: number | Iterable<ElementOf<T>>,
    options: SharedArrayOptions<L> = {},
  ) {
    const state = peekAdopted() as ArrayState | undefined;
    super(type, sizeOrValues);
    this.#lock = state === undefined
      ? resolveLock(options.lock, "make SharedArray")
      : state.lock === undefined
      ? undefined
      : reviveLock(state.lock);
    this.hasLock = (this.#lock !== undefined) as L extends false ? false : true;
  }

  /**
   * The lock that guards the array.
   *
   * @returns The lock.
   * @throws {TypeError} If the array was made with `lock: false`.
   */
  getLock(this: SharedArray<T, true | Lock | RLock>): Lock | RLock {
    if (this.#lock === undefined) {
      throw new TypeError("Cannot get lock: this SharedArray was made with lock: false");
    }
    return this.#lock;
  }

  /**
   * Describes the array and its lock for another worker.
   *
   * @ignore
   */
  override [SHARE](): SharedHandle {
    return {
      module: import.meta.url,
      kind: "SharedArray",
      state: {
        ...STATES.get(this),
        ...(this.#lock === undefined ? {} : { lock: this.#lock[SHARE]() }),
      },
    };
  }

  /**
   * Rebuilds an array from its handle's state.
   *
   * @ignore
   */
  static override [REVIVE](state: unknown): SharedArray<TypeCode> {
    return adopt(state, () => new SharedArray("i", 0));
  }
}
