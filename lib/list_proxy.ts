/**
 * {@linkcode ListProxy}: a proxy to a list held by a `Manager`, after Python's `manager.list()`.
 *
 * @module
 */

import { REVIVE } from "./_shareable.ts";
import { BaseProxy, checkProxyState, registerProxyClass } from "./_proxy.ts";

/**
 * A proxy to a list held by a {@linkcode Manager} (Python's `manager.list()`). Negative indexes
 * count from the end, as in Python.
 *
 * @typeParam T The items' type.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "./manager.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * await using manager = new Manager();
 * const list = manager.list([1, 2]);
 * list.append(3);
 * equal(list.get(-1), 3);
 * equal(list.pop(0), 1);
 * deepEqual(list.toArray(), [2, 3]);
 * ```
 */
export class ListProxy<T = unknown> extends BaseProxy implements Iterable<T>, AsyncIterable<T> {
  /**
   * The item at an index.
   *
   * @param index The index; negative counts from the end.
   * @returns The item (a copy).
   * @throws {RangeError} If the index is out of range.
   */
  get(index: number): T {
    return this.call("get", index) as T;
  }

  /**
   * Replaces the item at an index.
   *
   * @param index The index; negative counts from the end.
   * @param item The new item.
   * @throws {RangeError} If the index is out of range.
   */
  set(index: number, item: T): void {
    this.call("set", index, item);
  }

  /**
   * Adds an item at the end.
   *
   * @param item The item.
   */
  append(item: T): void {
    this.call("append", item);
  }

  /**
   * Adds items at the end, atomically.
   *
   * @param items The items.
   */
  extend(items: readonly T[]): void {
    this.call("extend", [...items]);
  }

  /**
   * Removes the item at an index and returns it.
   *
   * @param index The index. Default: -1, the last.
   * @returns The item.
   * @throws {RangeError} If the index is out of range (or the list is empty).
   */
  pop(index = -1): T {
    return this.call("pop", index) as T;
  }

  /**
   * Iterates a snapshot of the items taken now (one round trip): `for (const item of list)`.
   * Later changes do not show.
   *
   * @returns The items' iterator.
   */
  [Symbol.iterator](): Iterator<T> {
    return this.toArray()[Symbol.iterator]();
  }

  /**
   * The async form: `for await (const item of list)` iterates a snapshot's items.
   *
   * @returns The items' async iterator.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* this.toArray();
  }

  /** The number of items (Python's `len(l)`). */
  len(): number {
    return this.call("len") as number;
  }

  /** Removes every item. */
  clear(): void {
    this.call("clear");
  }

  /** A copy of the whole list. */
  toArray(): T[] {
    return this.call("toArray") as T[];
  }

  /**
   * Rebuilds a proxy from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): ListProxy {
    return new ListProxy(checkProxyState(state, "list"));
  }
}

registerProxyClass("list", ListProxy);
