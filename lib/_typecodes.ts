/**
 * Python's `array`/`ctypes` type codes, and readable names, mapped to typed arrays: what `Value`
 * and `SharedArray` store their elements in, and how the `lock` option both of them take is
 * resolved. The public types live in `typecodes.ts`.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import { Lock, RLock } from "./lock.ts";
import type {
  BigIntTypeCode,
  LockOption,
  TypeCode,
  TypedArrayMap,
  TypedArrayOf,
} from "./typecodes.ts";

/** The constructor behind each type code; it cannot drift from {@linkcode TypedArrayMap}. */
const TYPED_ARRAYS = {
  b: Int8Array,
  B: Uint8Array,
  h: Int16Array,
  H: Uint16Array,
  i: Int32Array,
  I: Uint32Array,
  l: BigInt64Array,
  L: BigUint64Array,
  q: BigInt64Array,
  Q: BigUint64Array,
  f: Float32Array,
  d: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const satisfies { readonly [K in TypeCode]: new (length: number) => TypedArrayMap[K] };

/** Any typed array a type code can map to. */
export type AnyTypedArray = TypedArrayOf<TypeCode>;

/** A typed array constructor, as called on shared memory. */
export type SharedTypedArrayConstructor = new (
  buffer: SharedArrayBuffer,
  byteOffset?: number,
  length?: number,
) => AnyTypedArray;

/**
 * Checks a type code at the boundary.
 *
 * @param type The code.
 * @param caller What was being made, for the message.
 * @returns The typed array constructor.
 * @throws {TypeError} If the code is unknown.
 */
export function typedArrayOf(
  type: unknown,
  caller: string,
): SharedTypedArrayConstructor {
  if (typeof type !== "string" || !Object.hasOwn(TYPED_ARRAYS, type)) {
    throw new TypeError(
      `Cannot ${caller}: unknown type code ${JSON.stringify(type)}: use one of ${
        Object.keys(TYPED_ARRAYS).join(", ")
      }`,
    );
  }
  return TYPED_ARRAYS[type as TypeCode] as unknown as SharedTypedArrayConstructor;
}

/**
 * True when a type code's elements are `bigint`s.
 *
 * @param type The code.
 * @returns Whether its typed array is a BigInt64Array or a BigUint64Array.
 */
export function isBigIntType(type: TypeCode): type is BigIntTypeCode {
  return TYPED_ARRAYS[type] === BigInt64Array || TYPED_ARRAYS[type] === BigUint64Array;
}

/**
 * Checks that a value fits a type code's element type (`bigint` for 64-bit integers, else
 * `number`).
 *
 * @param type The code.
 * @param value The value.
 * @param caller What was being done, for the message.
 * @throws {TypeError} If the value has the wrong JavaScript type.
 */
export function checkElement(type: TypeCode, value: unknown, caller: string): void {
  const big = isBigIntType(type);
  if (big ? typeof value !== "bigint" : typeof value !== "number") {
    throw new TypeError(
      `Cannot ${caller}: type "${type}" holds ${
        big ? "bigint" : "number"
      } values: received ${typeof value}`,
    );
  }
}

/**
 * Resolves a `lock` option.
 *
 * @param option The option.
 * @param caller What was being made, for the message.
 * @returns The lock, or `undefined` for none.
 * @throws {TypeError} If the option is neither a boolean nor a Lock or an RLock.
 */
export function resolveLock(
  option: LockOption | undefined,
  caller: string,
): Lock | RLock | undefined {
  if (option === undefined || option === true) return new RLock();
  if (option === false) return undefined;
  if (option instanceof Lock || option instanceof RLock) return option;
  throw new TypeError(`Cannot ${caller}: lock must be true, false, a Lock or an RLock`);
}
