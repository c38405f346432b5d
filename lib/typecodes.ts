/**
 * The type codes of `Value` and `SharedArray` (Python's `array`/`ctypes`
 * codes, and readable names), the typed array behind each, and the `lock` option both take.
 *
 * @module
 */

import type { Lock, RLock } from "./lock.ts";

/**
 * The typed array behind each type code: Python's codes and their readable names, each mapped to
 * the view that `Value` and `SharedArray` keep their elements in.
 */
export interface TypedArrayMap {
  /** int8 */
  b: Int8Array<ArrayBuffer>;
  /** uint8 */
  B: Uint8Array<ArrayBuffer>;
  /** int16 */
  h: Int16Array<ArrayBuffer>;
  /** uint16 */
  H: Uint16Array<ArrayBuffer>;
  /** int32 */
  i: Int32Array<ArrayBuffer>;
  /** uint32 */
  I: Uint32Array<ArrayBuffer>;
  /** int64, as `bigint` */
  l: BigInt64Array<ArrayBuffer>;
  /** uint64, as `bigint` */
  L: BigUint64Array<ArrayBuffer>;
  /** int64, as `bigint` */
  q: BigInt64Array<ArrayBuffer>;
  /** uint64, as `bigint` */
  Q: BigUint64Array<ArrayBuffer>;
  /** float32 */
  f: Float32Array<ArrayBuffer>;
  /** float64 */
  d: Float64Array<ArrayBuffer>;
  /** Same as `"b"`. */
  int8: Int8Array<ArrayBuffer>;
  /** Same as `"B"`. */
  uint8: Uint8Array<ArrayBuffer>;
  /** Same as `"h"`. */
  int16: Int16Array<ArrayBuffer>;
  /** Same as `"H"`. */
  uint16: Uint16Array<ArrayBuffer>;
  /** Same as `"i"`. */
  int32: Int32Array<ArrayBuffer>;
  /** Same as `"I"`. */
  uint32: Uint32Array<ArrayBuffer>;
  /** Same as `"q"`, as `bigint`. */
  int64: BigInt64Array<ArrayBuffer>;
  /** Same as `"Q"`, as `bigint`. */
  uint64: BigUint64Array<ArrayBuffer>;
  /** Same as `"f"`. */
  float32: Float32Array<ArrayBuffer>;
  /** Same as `"d"`. */
  float64: Float64Array<ArrayBuffer>;
}

/**
 * A type code: Python's (`"i"` int32, `"I"` uint32, `"b"`/`"B"` int8/uint8, `"h"`/`"H"`
 * int16/uint16, `"l"`/`"q"` int64 and `"L"`/`"Q"` uint64 as `bigint`, `"f"` float32, `"d"`
 * float64) or its readable name (`"int32"`, `"float64"`, ...).
 */
export type TypeCode = keyof TypedArrayMap;

/** The type codes whose elements are `bigint`s (64-bit integers). */
export type BigIntTypeCode = "l" | "L" | "q" | "Q" | "int64" | "uint64";

/** The JavaScript type of one element of a type code: `bigint` for 64-bit integers, else `number`. */
export type ElementOf<T extends TypeCode> = T extends BigIntTypeCode ? bigint : number;

/** The typed array of a type code (`Int32Array` for `"i"`). */
export type TypedArrayOf<T extends TypeCode> = TypedArrayMap[T];

/**
 * The `lock` option of `Value` and `SharedArray`: `true` (a new RLock, as in Python), `false`
 * (none), or a lock to share.
 */
export type LockOption = boolean | Lock | RLock;
