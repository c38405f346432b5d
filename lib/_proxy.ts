/**
 * What every manager proxy shares: the state it travels with (which manager, which object), the
 * call that reaches the manager, how a proxy stored inside another container travels (as a token
 * the manager keeps, revived as a live proxy on every read), and the check of dict entries.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import { RUNNING, type ServedKind } from "./_manager_protocol.ts";
import { SHARE, type Shareable, type SharedHandle } from "./_shareable.ts";
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

/** The module that loads every proxy class: a proxy's handle names it, so all four are loaded. */
const PROXY_MODULE = new URL("./_proxy_classes.ts", import.meta.url).href;

/** How a proxy stored in a manager container is written: `{ [TOKEN]: { kind, target } }`. */
const TOKEN = "__parakit_proxy__";

interface Token {
  readonly [TOKEN]: { readonly kind: ServedKind; readonly target: number };
}

/** Each proxy's state, for the token codec (a private field cannot be read from outside). */
const states = new WeakMap<object, ProxyState>();

/** This copy of `lib/`'s proxy classes, each registered by its own module. */
const classes = new Map<ServedKind, new (state: ProxyState) => BaseProxy>();

/**
 * Registers a proxy class, so a token read from the manager becomes a live proxy of it.
 *
 * @param kind The served kind.
 * @param cls The class.
 */
export function registerProxyClass(
  kind: ServedKind,
  cls: new (state: ProxyState) => BaseProxy,
): void {
  classes.set(kind, cls);
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Walks arrays and plain objects, replacing what `leaf` changes, copying only what changed.
 */
function mapDeep(value: unknown, leaf: (value: object) => unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const replaced = leaf(value);
  if (replaced !== value) return replaced;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null) continue;
      const mapped = mapDeep(item, leaf);
      if (mapped !== item) (out ??= value.slice())[i] = mapped;
    }
    return out ?? value;
  }
  if (isPlain(value)) {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const mapped = mapDeep(item, leaf);
      if (mapped !== item) (out ??= { ...value })[key] = mapped;
    }
    return out ?? value;
  }
  return value;
}

/**
 * Replaces every proxy inside a call's arguments by its token.
 *
 * @throws {TypeError} If a proxy belongs to another manager, or a value is a shared-memory object
 * (a Queue, Lock, Value...), which the manager channel cannot carry.
 */
export function toTokens(args: readonly unknown[], link: ManagerLink, what: string): unknown[] {
  return mapDeep(args, (value) => {
    const state = states.get(value);
    if (state !== undefined) {
      if (state.id !== link.id) {
        const closed = Atomics.load(new Int32Array(state.status), 0) !== RUNNING;
        throw new TypeError(
          `Cannot ${what}: the ${PROXY_KINDS[state.kind]} belongs to another manager${
            closed ? ", which has shut down" : ""
          }: a manager's containers hold proxies of that same manager only`,
        );
      }
      return { [TOKEN]: { kind: state.kind, target: state.target } } satisfies Token;
    }
    if (typeof (value as Partial<Shareable>)[SHARE] === "function") {
      throw new TypeError(
        `Cannot ${what}: a manager's containers cannot hold a shared-memory object (a Queue, ` +
          "Lock, Value...): the manager channel copies bytes, so pass it to the task as an " +
          "argument instead",
      );
    }
    return value;
  }) as unknown[];
}

/** Replaces every token inside an answer by a live proxy bound to this isolate's connection. */
function fromTokens(value: unknown, link: ManagerLink): unknown {
  return mapDeep(value, (item) => {
    if (!(TOKEN in item)) return item;
    const { kind, target } = Object((item as Token)[TOKEN]) as Partial<Token[typeof TOKEN]>;
    const cls = classes.get(kind as ServedKind);
    if (kind === undefined || cls === undefined || !Number.isInteger(target)) return item;
    return new cls({ id: link.id, status: link.status, target: target!, kind });
  });
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
    states.set(this, state);
  }

  protected call(op: string, ...args: unknown[]): unknown {
    const what = describeCall(this.#state.kind, op, args);
    const sent = toTokens(args, this.#state, what);
    const got = clientFor(this.#state, what).call(this.#state.target, op, sent, what);
    return fromTokens(got, this.#state);
  }

  /**
   * Describes the proxy for another worker.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    return { module: PROXY_MODULE, kind: PROXY_KINDS[this.#state.kind], state: this.#state };
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
