/**
 * {@linkcode ValueProxy}: a proxy to one value held by a `Manager`, after Python's
 * `manager.Value()`.
 *
 * @module
 */

import { REVIVE } from "./_shareable.ts";
import { BaseProxy, checkProxyState, registerProxyClass } from "./_proxy.ts";

/**
 * A proxy to one value held by a {@linkcode Manager} (Python's `manager.Value()`): `.value` reads
 * and writes are round trips; `add` is one atomic round trip.
 *
 * @typeParam T The value's type.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "./manager.ts";
 * import { equal } from "node:assert/strict";
 *
 * await using manager = new Manager();
 * const total = manager.value(0);
 * total.value = 40;
 * equal(total.add(2), 42);
 * ```
 */
export class ValueProxy<T = unknown> extends BaseProxy {
  /** The value (a copy); setting it sends the new value. */
  get value(): T {
    return this.call("get") as T;
  }

  set value(next: T) {
    this.call("set", next);
  }

  /**
   * Adds to a number value atomically.
   *
   * @param by What to add.
   * @returns The new value.
   * @throws {TypeError} If the value is not a number of the same type.
   */
  add(by: T & (number | bigint)): T {
    return this.call("add", by) as T;
  }

  /**
   * Rebuilds a proxy from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): ValueProxy {
    return new ValueProxy(checkProxyState(state, "value"));
  }
}

registerProxyClass("value", ValueProxy);
