/**
 * {@linkcode NamespaceProxy}: a proxy to a namespace held by a `Manager`, after Python's
 * `manager.Namespace()`.
 *
 * @module
 */

import { REVIVE } from "./_shareable.ts";
import { BaseProxy, checkProxyState, registerProxyClass } from "./_proxy.ts";

/**
 * A proxy to a namespace held by a {@linkcode Manager} (Python's `manager.Namespace()`): named
 * fields, read and written one call at a time.
 *
 * @typeParam T The fields and their types.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "./manager.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * await using manager = new Manager();
 * const settings = manager.namespace({ rounds: 3, label: "run" });
 * settings.set("rounds", 4);
 * equal(settings.get("rounds"), 4);
 * deepEqual(settings.toObject(), { rounds: 4, label: "run" });
 * ```
 */
export class NamespaceProxy<T extends Record<string, unknown> = Record<string, unknown>>
  extends BaseProxy {
  /**
   * A field's value.
   *
   * @typeParam N The field's name.
   * @param name The field.
   * @returns Its value (a copy).
   */
  get<N extends keyof T & string>(name: N): T[N] {
    return this.call("get", name) as T[N];
  }

  /**
   * Sets a field.
   *
   * @typeParam N The field's name.
   * @param name The field.
   * @param value Its new value.
   */
  set<N extends keyof T & string>(name: N, value: T[N]): void {
    this.call("set", name, value);
  }

  /** A copy of every field. */
  toObject(): T {
    return this.call("toObject") as T;
  }

  /**
   * Rebuilds a proxy from its handle's state.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): NamespaceProxy {
    return new NamespaceProxy(checkProxyState(state, "namespace"));
  }
}

registerProxyClass("namespace", NamespaceProxy);
