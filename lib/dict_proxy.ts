/**
 * {@linkcode DictProxy}: a proxy to a dict held by a `Manager`, after Python's `manager.dict()`.
 *
 * @module
 */

import { REVIVE } from "./_shareable.ts";
import { BaseProxy, checkProxyState, entryPairs, registerProxyClass } from "./_proxy.ts";

/** A key of a manager dict: strings, or numbers (compared by value). */
export type DictKey = string | number;

/**
 * Entries for a manager dict: `[key, value]` pairs (an array of pairs, a Map), or, for string
 * keys, a plain object (whose keys JavaScript always makes strings: `{ 1: "a" }` has the key
 * `"1"`, so number keys need pairs).
 *
 * @typeParam K The keys' type.
 * @typeParam V The values' type.
 */
export type DictEntries<K extends DictKey, V> =
  | Iterable<readonly [K, V]>
  | (string extends K ? Record<string, V> : never);

/**
 * A proxy to a dict held by a {@linkcode Manager} (Python's `manager.dict()`). Every method is one
 * atomic round trip to the manager.
 *
 * @typeParam K The keys' type.
 * @typeParam V The values' type.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "./manager.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * await using manager = new Manager();
 * const counts = manager.dict<string, number>();
 * counts.set("a", 1);
 * counts.increment("a");
 * counts.incrementMany({ a: 1, b: 5 });
 * equal(counts.get("a"), 3);
 * deepEqual(counts.toObject(), { a: 3, b: 5 });
 * ```
 */
export class DictProxy<K extends DictKey = string, V = unknown> extends BaseProxy
  implements Iterable<K>, AsyncIterable<K> {
  /**
   * The value under a key.
   *
   * @param key The key.
   * @param fallback What to return when the key is missing. Default: `undefined`.
   * @returns The value (a copy).
   */
  get(key: K, fallback?: V): V | undefined {
    return this.call("get", key, fallback) as V | undefined;
  }

  /**
   * Sets the value under a key.
   *
   * @param key The key.
   * @param value The value; it is copied.
   */
  set(key: K, value: V): void {
    this.call("set", key, value);
  }

  /**
   * Tells whether a key is present.
   *
   * @param key The key.
   * @returns Whether it is.
   */
  has(key: K): boolean {
    return this.call("has", key) as boolean;
  }

  /**
   * Removes a key.
   *
   * @param key The key.
   * @returns Whether it was present.
   */
  delete(key: K): boolean {
    return this.call("delete", key) as boolean;
  }

  /**
   * Removes a key and returns its value.
   *
   * @param key The key.
   * @param fallback What to return when the key is missing.
   * @returns The value, or `fallback`.
   */
  pop(key: K, fallback?: V): V | undefined {
    return this.call("pop", key, fallback) as V | undefined;
  }

  /**
   * Sets a key's value unless it has one, atomically (Python's `setdefault`).
   *
   * @param key The key.
   * @param value The value to set when missing.
   * @returns The key's value now.
   */
  setDefault(key: K, value: V): V {
    return this.call("setDefault", key, value) as V;
  }

  /**
   * Adds to the number under a key (missing counts as 0), atomically: no update is lost, however
   * many workers do it at once.
   *
   * @param key The key.
   * @param by What to add (a number, or a bigint for bigint values). Default: 1.
   * @returns The new value.
   * @throws {TypeError} If the value there is not a number of the same type.
   */
  increment(key: K, by: number | bigint = 1): V {
    return this.call("increment", key, by) as V;
  }

  /**
   * Adds many counts at once, atomically: one round trip for a whole batch (a word count's
   * merge).
   *
   * @param counts What to add under each key: a plain object, or `[key, count]` pairs (for
   * number keys).
   * @throws {TypeError} If a value there is not a number of the same type, or `counts` is neither
   * a plain object nor `[key, count]` pairs.
   */
  incrementMany(counts: DictEntries<K, number | bigint>): void {
    this.call("incrementMany", entryPairs(counts, "increment many"));
  }

  /**
   * Sets many keys at once, atomically.
   *
   * @param entries The keys and values: a plain object, or `[key, value]` pairs (for number keys).
   * @throws {TypeError} If `entries` is neither a plain object nor `[key, value]` pairs.
   */
  update(entries: DictEntries<K, V>): void {
    this.call("update", entryPairs(entries, "update dict"));
  }

  /**
   * Iterates the keys of a snapshot taken now (one round trip), as `for key in d` does in
   * Python: `for (const key of dict)`. Later changes do not show.
   *
   * @returns The keys' iterator.
   */
  [Symbol.iterator](): Iterator<K> {
    return this.keys()[Symbol.iterator]();
  }

  /**
   * The async form: `for await (const key of dict)` iterates a snapshot's keys.
   *
   * @returns The keys' async iterator.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<K> {
    yield* this.keys();
  }

  /** The number of keys (Python's `len(d)`). */
  len(): number {
    return this.call("len") as number;
  }

  /** A copy of the keys. */
  keys(): K[] {
    return this.call("keys") as K[];
  }

  /** A copy of the values. */
  values(): V[] {
    return this.call("values") as V[];
  }

  /** A copy of the entries. */
  entries(): [K, V][] {
    return this.call("entries") as [K, V][];
  }

  /** Removes every key. */
  clear(): void {
    this.call("clear");
  }

  /** A copy of the whole dict as a plain object. */
  toObject(): Record<string, V> {
    return this.call("toObject") as Record<string, V>;
  }

  /**
   * Rebuilds a proxy from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): DictProxy<DictKey> {
    return new DictProxy(checkProxyState(state, "dict"));
  }
}

registerProxyClass("dict", DictProxy);
