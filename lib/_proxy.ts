/**
 * What every manager proxy shares: the state it travels with (which manager, which object), the
 * call that reaches the manager, and the check of dict entries.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import type { ServedKind } from "./_manager_protocol.ts";
import { SHARE, type SharedHandle } from "./_shareable.ts";
import { clientFor, type ManagerLink } from "./_client.ts";

/** What every proxy holds: which manager, which object. */
export interface ProxyState extends ManagerLink {
  readonly target: number;
  readonly kind: ServedKind;
}

/** The class each served kind's proxy is. */
export const PROXY_KINDS: Record<ServedKind, string> = {
  dict: "DictProxy",
  list: "ListProxy",
  namespace: "NamespaceProxy",
  value: "ValueProxy",
};

/** Checks a received proxy's state. */
export function checkProxyState(state: unknown, kind: ServedKind): ProxyState {
  const s = state as Partial<ProxyState> | null;
  if (
    typeof s !== "object" || s === null || typeof s.id !== "string" ||
    !(s.status instanceof SharedArrayBuffer) || typeof s.target !== "number" || s.kind !== kind
  ) {
    throw new TypeError(`Cannot receive ${PROXY_KINDS[kind]}: its state is not a ${kind} proxy's`);
  }
  return s as ProxyState;
}

/** Ops whose first argument is a dict key or a namespace field. */
const KEYED_OPS = new Set(["get", "set", "has", "delete", "pop", "setDefault", "increment"]);

/** What a proxy call does, for error messages: `set "big"`, `use list.toArray()`. */
function describeCall(kind: ServedKind, op: string, args: readonly unknown[]): string {
  if ((kind === "dict" || kind === "namespace") && KEYED_OPS.has(op)) {
    const key = args[0];
    return `${op} ${typeof key === "string" ? JSON.stringify(key) : String(key)}`;
  }
  return `use ${kind}.${op}()`;
}

/**
 * The common part of every proxy: its link to the manager object, and how it travels.
 *
 * @ignore
 */
export abstract class BaseProxy {
  readonly #state: ProxyState;

  constructor(state: ProxyState) {
    this.#state = state;
  }

  /** The URL of the module that exports the proxy's class, for its handle. */
  protected abstract get module(): string;

  protected call(op: string, ...args: unknown[]): unknown {
    const what = describeCall(this.#state.kind, op, args);
    return clientFor(this.#state, what).call(this.#state.target, op, args, what);
  }

  /**
   * Describes the proxy for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return { module: this.module, kind: PROXY_KINDS[this.#state.kind], state: this.#state };
  }
}

/**
 * Turns dict entries into `[key, value]` pairs, keeping number keys as numbers.
 *
 * @throws {TypeError} If they are neither a plain object nor an iterable of pairs with string or
 * number keys.
 */
export function entryPairs(entries: unknown, caller: string): [string | number, unknown][] {
  if (typeof entries !== "object" || entries === null) {
    throw new TypeError(
      `Cannot ${caller}: entries must be a plain object, a Map or an array of [key, value] pairs: received ${
        entries === null ? "null" : typeof entries
      }`,
    );
  }
  if (!(Symbol.iterator in entries)) return Object.entries(entries);
  const pairs: [string | number, unknown][] = [];
  for (const pair of entries as Iterable<unknown>) {
    if (
      !Array.isArray(pair) || pair.length !== 2 ||
      (typeof pair[0] !== "string" && typeof pair[0] !== "number")
    ) {
      throw new TypeError(
        `Cannot ${caller}: each entry must be a [key, value] pair with a string or number key`,
      );
    }
    pairs.push([pair[0], pair[1]]);
  }
  return pairs;
}
