/**
 * {@linkcode Manager}: explicit shared state, after Python's `multiprocessing.Manager`. A manager
 * worker holds dicts, lists, namespaces and values; every process and pool worker reaches them
 * through proxies (pass a proxy to a task as an argument). Each proxy call is a synchronous round
 * trip to the manager (the caller sleeps in `Atomics.wait` until the answer), and the manager runs
 * calls one at a time, so each call is atomic; a sequence of calls is not: hold a lock around it,
 * or use one call that does it all (`dict.increment(key)`, `dict.incrementMany(counts)`).
 *
 * Values are copied to and from the manager (structured clone): a dict holds data, not live
 * objects. One call's message and its answer must each fit in the manager channel's 1 MiB: a
 * bigger one throws a RangeError (send smaller values, or share big data in a `SharedArray`).
 * `manager.lock()`, `manager.queue()` and friends return the shared-memory primitives of
 * `sync.ts` and `queue.ts`, which need no manager round trip at all.
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import { registerChild } from "./_children.ts";
import {
  channelName,
  CONNECTION_CAPACITY,
  type Hello,
  type ManagerSetup,
  type Request,
  type Response,
  RUNNING,
  type ServedKind,
  SHUT_DOWN,
  tooBigError,
} from "./_manager_protocol.ts";
import { ctxOf } from "./_mutex.ts";
import { decodeItem, encodeItem, Ring, type RingResult } from "./_ring.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import { runBlocking } from "./_wait.ts";
import { JoinableQueue, Queue, type QueueOptions } from "./queue.ts";
import { Barrier, type BarrierOptions } from "./barrier.ts";
import { Condition, type ConditionOptions } from "./condition.ts";
import { Event } from "./event.ts";
import { Lock, RLock } from "./lock.ts";
import { Semaphore, type SemaphoreOptions } from "./semaphore.ts";

const SERVER_URL = new URL("./_manager_server.ts", import.meta.url);
const CLIENTS_KEY = Symbol.for("parakit.managerClients");
/** How long a new connection waits for the manager's welcome before announcing itself again. */
const HELLO_RETRY_MS = 50;
/** How long a new connection tries to reach the manager at all. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The manager was shut down (or its worker ended): its proxies no longer work.
 *
 * @example Usage
 * ```ts
 * import { ManagerClosedError } from "./manager.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ManagerClosedError("Cannot use dict: the manager has shut down").name, "ManagerClosedError");
 * ```
 */
export class ManagerClosedError extends Error {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ManagerClosedError";
  }
}

/** How often a caller waiting for an answer checks that the manager still runs, in milliseconds. */
const STATUS_CHECK_MS = 100;

/** How long a caller polls for its answer before it sleeps, in milliseconds. */
const SPIN_MS = 0.05;

/** The answer if it comes within {@linkcode SPIN_MS} (a futex wake-up costs microseconds). */
function spinGet(ring: Ring): { ok: true; value: Uint8Array } | undefined {
  const until = performance.now() + SPIN_MS;
  do {
    const got = ring.tryGet();
    if (got instanceof Uint8Array) return { ok: true, value: got };
    if (got === "closed") return undefined;
  } while (performance.now() < until);
  return undefined;
}

/** One isolate's connection to one manager. */
class Client {
  readonly #requests: Ring;
  readonly #responses: Ring;
  readonly #status: Int32Array;
  #nextId = 1;

  constructor(requests: Ring, responses: Ring, status: Int32Array) {
    this.#requests = requests;
    this.#responses = responses;
    this.#status = status;
  }

  static create(status: SharedArrayBuffer): {
    client: Client;
    buffers: { requests: SharedArrayBuffer; responses: SharedArrayBuffer };
  } {
    const requests = Ring.allocate(CONNECTION_CAPACITY, 0);
    const responses = Ring.allocate(CONNECTION_CAPACITY, 0);
    return {
      client: new Client(new Ring(requests), new Ring(responses), new Int32Array(status)),
      buffers: { requests, responses },
    };
  }

  /** Announces this connection until the manager welcomes it. */
  connect(id: string): void {
    const status = this.#status;
    const buffers = { requests: this.#requests.buffer, responses: this.#responses.buffer };
    const channel = new BroadcastChannel(channelName(id));
    const client = crypto.getRandomValues(new Uint32Array(1))[0]!;
    const deadline = performance.now() + CONNECT_TIMEOUT_MS;
    try {
      while (performance.now() < deadline) {
        if (Atomics.load(status, 0) === SHUT_DOWN) break;
        channel.postMessage({ type: "hello", client, ...buffers } satisfies Hello);
        const ctx = ctxOf({ timeout: HELLO_RETRY_MS }, "reach manager");
        const got = runBlocking(this.#responses.get(ctx), ctx.timeout);
        if (got.ok) return;
        if (got.why === "closed") break;
      }
    } finally {
      channel.close();
    }
    throw new ManagerClosedError("Cannot reach manager: it has shut down or does not answer");
  }

  /** Calls the manager and sleeps until its answer. */
  call(target: number, op: string, args: readonly unknown[], what: string): unknown {
    const id = this.#nextId++;
    const request: Request = { id, target, op, args };
    const bytes = encodeItem(request, what);
    if (!this.#requests.canHold(bytes.length)) {
      throw tooBigError(what, "message", bytes.length, "send smaller values or use a SharedArray");
    }
    const ctx = ctxOf({}, what);
    const fast = this.#requests.tryPut(bytes, false);
    const put = fast === "ok"
      ? { ok: true }
      : fast === "closed"
      ? { ok: false }
      : runBlocking(this.#requests.put(bytes, ctx, false), Infinity);
    if (!put.ok) throw new ManagerClosedError(`Cannot ${what}: the manager has shut down`);
    for (;;) {
      const got = spinGet(this.#responses) ?? this.#await();
      if (!got.ok) throw new ManagerClosedError(`Cannot ${what}: the manager has shut down`);
      const response = decodeItem(got.value) as Response;
      if (response.id !== id) continue; // a repeated welcome
      if (response.ok) return response.value;
      const Thrown = response.name === "RangeError"
        ? RangeError
        : response.name === "TypeError"
        ? TypeError
        : Error;
      throw new Thrown(response.message);
    }
  }

  /**
   * Sleeps until an answer comes, looking every {@linkcode STATUS_CHECK_MS} whether the manager's
   * worker has ended without closing this connection (it crashed): then there will be no answer.
   */
  #await(): RingResult<Uint8Array> {
    for (;;) {
      const ctx = ctxOf({ timeout: STATUS_CHECK_MS }, "wait for manager");
      const got = runBlocking(this.#responses.get(ctx), STATUS_CHECK_MS);
      if (got.ok || got.why !== "timed-out") return got;
      if (Atomics.load(this.#status, 0) !== RUNNING) return { ok: false, why: "closed" };
    }
  }
}

interface ManagerLink {
  readonly id: string;
  readonly status: SharedArrayBuffer;
}

function clients(): Map<string, Client> {
  const holder = globalThis as { [CLIENTS_KEY]?: Map<string, Client> };
  return holder[CLIENTS_KEY] ??= new Map();
}

function clientFor(link: ManagerLink, what: string): Client {
  const status = new Int32Array(link.status);
  if (Atomics.load(status, 0) !== RUNNING) {
    throw new ManagerClosedError(`Cannot ${what}: the manager has shut down`);
  }
  let client = clients().get(link.id);
  if (client === undefined) {
    client = Client.create(link.status).client;
    client.connect(link.id);
    clients().set(link.id, client);
  }
  return client;
}

/** What every proxy holds: which manager, which object. */
interface ProxyState extends ManagerLink {
  readonly target: number;
  readonly kind: ServedKind;
}

const PROXY_KINDS: Record<ServedKind, string> = {
  dict: "DictProxy",
  list: "ListProxy",
  namespace: "NamespaceProxy",
  value: "ValueProxy",
};

function checkProxyState(state: unknown, kind: ServedKind): ProxyState {
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
abstract class BaseProxy {
  readonly #state: ProxyState;

  constructor(state: ProxyState) {
    this.#state = state;
  }

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
    return { module: import.meta.url, kind: PROXY_KINDS[this.#state.kind], state: this.#state };
  }
}

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
 * Turns dict entries into `[key, value]` pairs, keeping number keys as numbers.
 *
 * @throws {TypeError} If they are neither a plain object nor an iterable of pairs with string or
 * number keys.
 */
function entryPairs(entries: unknown, caller: string): [DictKey, unknown][] {
  if (typeof entries !== "object" || entries === null) {
    throw new TypeError(
      `Cannot ${caller}: entries must be a plain object, a Map or an array of [key, value] pairs: received ${
        entries === null ? "null" : typeof entries
      }`,
    );
  }
  if (!(Symbol.iterator in entries)) return Object.entries(entries);
  const pairs: [DictKey, unknown][] = [];
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
export class DictProxy<K extends DictKey = string, V = unknown> extends BaseProxy {
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
export class ListProxy<T = unknown> extends BaseProxy {
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

/**
 * A manager worker that serves shared dicts, lists, namespaces and values to every process and
 * pool worker (Python's `multiprocessing.Manager()`). Make it, make proxies from it, pass them to
 * tasks; `await using` (or `await manager.shutdown()`) stops it.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "./manager.ts";
 * import { equal } from "node:assert/strict";
 *
 * await using manager = new Manager();
 * const shared = manager.dict<string, number>({ start: 1 });
 * const lock = manager.lock();
 * {
 *   using _ = lock.hold();
 *   shared.set("start", shared.get("start")! + 1);
 * }
 * equal(shared.get("start"), 2);
 * ```
 */
export class Manager implements AsyncDisposable {
  #link: ManagerLink;
  #client: Client;
  #worker: Worker;
  #exited: Promise<void>;

  /**
   * Starts the manager's worker. Its first proxy call waits until the worker is up. The worker
   * does not keep the program alive: a program that never shuts its manager down still ends.
   */
  constructor() {
    const id = crypto.randomUUID();
    const status = new SharedArrayBuffer(4);
    Atomics.store(new Int32Array(status), 0, RUNNING);
    const { client, buffers } = Client.create(status);
    const setup: ManagerSetup = { id, status, connection: buffers };
    const registration = registerChild("manager");
    this.#worker = new Worker(SERVER_URL, { workerData: setup });
    this.#exited = new Promise((resolve) => {
      this.#worker.once("exit", () => {
        Atomics.store(new Int32Array(status), 0, SHUT_DOWN);
        registration.unregister();
        resolve();
      });
    });
    this.#worker.on("error", () => {});
    // A forgotten manager must not keep the program alive (a Pool's idle workers do not either).
    this.#worker.unref();
    this.#link = { id, status };
    this.#client = client;
    clients().set(id, client);
  }

  #create(kind: ServedKind, init: unknown): ProxyState {
    if (!this.running) {
      throw new ManagerClosedError(`Cannot make ${kind}: the manager has shut down`);
    }
    const target = this.#client.call(0, "create", [kind, init], `make ${kind}`) as number;
    return { ...this.#link, target, kind };
  }

  /** True until the manager was shut down or its worker ended. */
  get running(): boolean {
    return Atomics.load(new Int32Array(this.#link.status), 0) === RUNNING;
  }

  /**
   * Makes a shared dict.
   *
   * @typeParam K The keys' type.
   * @typeParam V The values' type.
   * @param init Its first entries: a plain object, or `[key, value]` pairs (for number keys).
   * @returns A proxy to it.
   * @throws {ManagerClosedError} If the manager was shut down.
   * @throws {TypeError} If `init` is neither a plain object nor `[key, value]` pairs.
   */
  dict<K extends DictKey = string, V = unknown>(init: DictEntries<K, V> = []): DictProxy<K, V> {
    return new DictProxy(this.#create("dict", entryPairs(init, "make dict")));
  }

  /**
   * Makes a shared list.
   *
   * @typeParam T The items' type.
   * @param init Its first items.
   * @returns A proxy to it.
   * @throws {ManagerClosedError} If the manager was shut down.
   */
  list<T = unknown>(init: readonly T[] = []): ListProxy<T> {
    return new ListProxy(this.#create("list", [...init]));
  }

  /**
   * Makes a shared namespace.
   *
   * @typeParam T The fields and their types.
   * @param init Its fields.
   * @returns A proxy to it.
   * @throws {ManagerClosedError} If the manager was shut down.
   */
  namespace<T extends Record<string, unknown>>(init: T = {} as T): NamespaceProxy<T> {
    return new NamespaceProxy(this.#create("namespace", init));
  }

  /**
   * Makes a shared value of any copyable type.
   *
   * @typeParam T The value's type.
   * @param init Its first value.
   * @returns A proxy to it.
   * @throws {ManagerClosedError} If the manager was shut down.
   */
  value<T>(init: T): ValueProxy<T> {
    return new ValueProxy(this.#create("value", init));
  }

  /**
   * Makes a shared {@linkcode Lock} (in shared memory: no round trip to the manager).
   *
   * @returns The lock.
   */
  lock(): Lock {
    return new Lock();
  }

  /**
   * Makes a shared {@linkcode RLock}.
   *
   * @returns The lock.
   */
  rlock(): RLock {
    return new RLock();
  }

  /**
   * Makes a shared {@linkcode Semaphore}.
   *
   * @param options Its value.
   * @returns The semaphore.
   */
  semaphore(options: SemaphoreOptions = {}): Semaphore {
    return new Semaphore(options);
  }

  /**
   * Makes a shared {@linkcode Condition}.
   *
   * @param options Its lock.
   * @returns The condition.
   */
  condition(options: ConditionOptions = {}): Condition {
    return new Condition(options);
  }

  /**
   * Makes a shared {@linkcode Event}.
   *
   * @returns The event.
   */
  event(): Event {
    return new Event();
  }

  /**
   * Makes a shared {@linkcode Barrier}.
   *
   * @param parties How many threads must wait.
   * @param options Its default timeout.
   * @returns The barrier.
   */
  barrier(parties: number, options: BarrierOptions = {}): Barrier {
    return new Barrier(parties, options);
  }

  /**
   * Makes a shared {@linkcode Queue}.
   *
   * @typeParam T The items' type.
   * @param options Its item limit and buffer size.
   * @returns The queue.
   */
  queue<T = unknown>(options: QueueOptions = {}): Queue<T> {
    return new Queue<T>(options);
  }

  /**
   * Makes a shared {@linkcode JoinableQueue}.
   *
   * @typeParam T The items' type.
   * @param options Its item limit and buffer size.
   * @returns The queue.
   */
  joinableQueue<T = unknown>(options: QueueOptions = {}): JoinableQueue<T> {
    return new JoinableQueue<T>(options);
  }

  /**
   * Stops the manager worker: its proxies stop working (a call throws
   * {@linkcode ManagerClosedError}), in every worker. Calling it again does nothing.
   *
   * @returns Once the worker has exited.
   */
  async shutdown(): Promise<void> {
    if (this.running) {
      try {
        this.#client.call(0, "shutdown", [], "shut down manager");
      } catch (error) {
        if (!(error instanceof ManagerClosedError)) throw error;
      }
    }
    clients().delete(this.#link.id);
    this.#worker.ref(); // waiting for the exit keeps the program alive until it comes
    await this.#exited;
  }

  /** `await using`: shuts the manager down. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }
}
