/**
 * One isolate's connection to one manager: requests and answers over two shared rings, a welcome
 * handshake over a BroadcastChannel, and the table of connections every proxy of this isolate
 * shares.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import {
  channelName,
  CONNECTION_CAPACITY,
  type Hello,
  type Request,
  type Response,
  RUNNING,
  SHUT_DOWN,
  tooBigError,
} from "./_manager_protocol.ts";
import { threadId } from "node:worker_threads";
import { ctxOf } from "./_mutex.ts";
import { decodeItem, encodeItem, Ring, type RingResult } from "./_ring.ts";
import { runBlocking } from "./_wait.ts";
import { ManagerClosedError } from "./manager_closed_error.ts";

const CLIENTS_KEY = Symbol.for("parakit.managerClients");
/** How long a new connection waits for the manager's welcome before announcing itself again. */
const HELLO_RETRY_MS = 50;
/** How long a new connection tries to reach the manager at all. */
const CONNECT_TIMEOUT_MS = 10_000;

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
export class Client {
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
        channel.postMessage({ type: "hello", client, threadId, ...buffers } satisfies Hello);
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

/** Which manager: its id and its status word. */
export interface ManagerLink {
  readonly id: string;
  readonly status: SharedArrayBuffer;
}

/** This isolate's connections, one per manager, shared by every copy of `lib/` it loads. */
export function clients(): Map<string, Client> {
  const holder = globalThis as { [CLIENTS_KEY]?: Map<string, Client> };
  return holder[CLIENTS_KEY] ??= new Map();
}

/** This isolate's connection to a manager, made on first use; throws once it has shut down. */
export function clientFor(link: ManagerLink, what: string): Client {
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
