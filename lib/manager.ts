/**
 * {@linkcode Manager}: explicit shared state, after Python's `multiprocessing.Manager`. A manager
 * worker holds dicts, lists, namespaces and values; every process and pool worker reaches them
 * through proxies (pass a proxy to a task as an argument). Each proxy call is a synchronous round
 * trip to the manager (the caller sleeps in `Atomics.wait` until the answer), and the manager runs
 * calls one at a time, so each call is atomic; a sequence of calls is not: hold a lock around it,
 * or use one call that does it all (`dict.increment(key)`, `dict.incrementMany(counts)`).
 *
 * Values are copied to and from the manager (structured clone): a dict holds data, not live
 * objects, with one exception, as in Python: a dict, list, namespace or value can hold another
 * proxy of the *same* manager (nested containers, inside arrays and plain objects too). The manager
 * keeps a small token for it (its kind and id), and every read (`get`, `values()`, `toObject()`,
 * `toArray()`, iteration) gives it back as a live proxy bound to the reading thread's own
 * connection, so `outer.get("inner").set("k", 1)` changes the inner dict everyone sees. A proxy of
 * another manager throws a TypeError (its manager's id means nothing to this one). Unlike
 * Python's, a container cannot hold a Queue, Lock or other shared-memory object (a TypeError): the
 * manager channel copies bytes (`node:v8` serialize), which cannot carry the SharedArrayBuffer
 * they are made of; pass the Queue to the task as an argument instead. One call's message
 * and its answer must each fit in the manager channel's 1 MiB: a bigger one throws a RangeError
 * (send smaller values, or share big data in a `SharedArray`). `manager.lock()`,
 * `manager.queue()` and friends return the shared-memory primitives of `lock.ts`, `queue.ts` and
 * the others, which need no manager round trip at all.
 *
 * @module
 */

import { threadId, Worker } from "node:worker_threads";
import { adopt, adopted, sharedState } from "./_adopt.ts";
import { registerChild } from "./_children.ts";
import { type ManagerSetup, RUNNING, type ServedKind, SHUT_DOWN } from "./_manager_protocol.ts";
import { Client, clientFor, clients, type ManagerLink } from "./_client.ts";
import { REVIVE, SHARE, type SharedHandle } from "./_shareable.ts";
import type { ManagerStats } from "./manager_stats.ts";

import { entryPairs, type ProxyState, toTokens } from "./_proxy.ts";
import { type DictEntries, type DictKey, DictProxy } from "./dict_proxy.ts";
import { ListProxy } from "./list_proxy.ts";
import { ManagerClosedError } from "./manager_closed_error.ts";
import { NamespaceProxy } from "./namespace_proxy.ts";
import { ValueProxy } from "./value_proxy.ts";
import { JoinableQueue } from "./joinable_queue.ts";
import { Queue, type QueueOptions } from "./queue.ts";
import { Barrier, type BarrierOptions } from "./barrier.ts";
import { Condition, type ConditionOptions } from "./condition.ts";
import { Event } from "./event.ts";
import { Lock, RLock } from "./lock.ts";
import { Semaphore, type SemaphoreOptions } from "./semaphore.ts";

export type {
  ManagedKind,
  ManagerConnectionStats,
  ManagerObjectStats,
  ManagerStats,
} from "./manager_stats.ts";

const SERVER_URL = new URL("./_manager_server.ts", import.meta.url);

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
 *
 * @example Nested containers: a dict holds a list proxy, read back live
 * ```ts
 * import { Manager } from "./manager.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * await using manager = new Manager();
 * const outer = manager.dict<string, ReturnType<typeof manager.list<number>>>();
 * outer.set("items", manager.list([1]));
 * outer.get("items")!.append(2);
 * deepEqual(outer.get("items")!.toArray(), [1, 2]);
 * ```
 */
export class Manager implements AsyncDisposable {
  #link: ManagerLink;
  /** The owner's connection and worker; a copy received by another worker has neither. */
  #own?: { client: Client; worker: Worker; exited: Promise<void> };

  /**
   * Starts the manager's worker. Its first proxy call waits until the worker is up. The worker
   * does not keep the program alive: a program that never shuts its manager down still ends.
   */
  constructor() {
    const received = adopted();
    if (received !== undefined) {
      const state = sharedState(received, "Manager", ["status"]);
      if (typeof state.id !== "string") {
        throw new TypeError("Cannot receive Manager: its state has no id (was it sent by lib/?)");
      }
      this.#link = { id: state.id, status: state.status };
      return;
    }
    const id = crypto.randomUUID();
    const status = new SharedArrayBuffer(4);
    Atomics.store(new Int32Array(status), 0, RUNNING);
    const { client, buffers } = Client.create(status);
    const setup: ManagerSetup = { id, status, connection: buffers, threadId };
    const registration = registerChild("manager");
    const worker = new Worker(SERVER_URL, { workerData: setup });
    const exited = new Promise<void>((resolve) => {
      worker.once("exit", () => {
        Atomics.store(new Int32Array(status), 0, SHUT_DOWN);
        registration.unregister();
        resolve();
      });
    });
    worker.on("error", () => {});
    // A forgotten manager must not keep the program alive (a Pool's idle workers do not either).
    worker.unref();
    this.#link = { id, status };
    this.#own = { client, worker, exited };
    clients().set(id, client);
  }

  /** This isolate's connection: the owner's, or one a received copy opens on first use. */
  #client(what: string): Client {
    return this.#own?.client ?? clientFor(this.#link, what);
  }

  #create(kind: ServedKind, init: unknown): ProxyState {
    if (!this.running) {
      throw new ManagerClosedError(`Cannot make ${kind}: the manager has shut down`);
    }
    const what = `make ${kind}`;
    const args = toTokens([kind, init], this.#link, what);
    const target = this.#client(what).call(0, "create", args, what) as number;
    return { ...this.#link, target, kind };
  }

  /**
   * What the manager has served so far, counted in its own worker: each connection's calls and
   * writes, with the `threadId` its thread reported, and each object's size and writes. A call
   * like any other (a round trip), so it sees every call answered before it.
   *
   * @returns The counts.
   * @throws {ManagerClosedError} If the manager was shut down.
   *
   * @example Which threads wrote
   * ```ts
   * import { Manager } from "./manager.ts";
   * import { equal } from "node:assert/strict";
   *
   * await using manager = new Manager();
   * manager.dict<string, number>().set("a", 1);
   * const stats = manager.stats();
   * equal(stats.connections[0]!.owner, true);
   * equal(stats.connections[0]!.writes, 1);
   * equal(stats.objects[0]!.size, 1);
   * ```
   */
  stats(): ManagerStats {
    const what = "read manager stats";
    if (!this.running) throw new ManagerClosedError(`Cannot ${what}: the manager has shut down`);
    return this.#client(what).call(0, "stats", [], what) as ManagerStats;
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
    const own = this.#own;
    if (own === undefined) {
      throw new TypeError(
        "Cannot shut down manager: this is a copy received by another worker; only the isolate that made it can shut it down",
      );
    }
    if (this.running) {
      try {
        own.client.call(0, "shutdown", [], "shut down manager");
      } catch (error) {
        if (!(error instanceof ManagerClosedError)) throw error;
      }
    }
    clients().delete(this.#link.id);
    own.worker.ref(); // waiting for the exit keeps the program alive until it comes
    await own.exited;
  }

  /** `await using`: shuts the manager down (a received copy: does nothing). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#own !== undefined) await this.shutdown();
  }

  /**
   * Describes the manager for another worker: a copy there reaches the same manager over a
   * connection of its own.
   *
   * @ignore
   */
  [SHARE](): SharedHandle {
    const state = { id: this.#link.id, status: this.#link.status };
    return { module: import.meta.url, kind: "Manager", state };
  }

  /**
   * Rebuilds a manager from its handle's state: a copy that makes proxies and reads stats, but
   * cannot shut the manager down.
   *
   * @ignore
   */
  static [REVIVE](state: unknown): Manager {
    return adopt(state, () => new Manager());
  }
}
