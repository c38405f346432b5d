/**
 * The worker entry of a `Manager`: it holds the shared dicts, lists, namespaces and values, and
 * serves calls from every connected isolate, one at a time, so each call is atomic.
 *
 * This file is private to `lib/`.
 *
 * This file stays over 300 lines: it is one worker's whole loop (hello, dispatch, ops, shutdown)
 * over one table of served objects.
 *
 * @module
 */

import process from "node:process";
import { isMainThread, threadId, workerData } from "node:worker_threads";
import {
  channelName,
  type ConnectionBuffers,
  type Hello,
  type ManagerSetup,
  type Request,
  type Response,
  type ServedKind,
  SHUT_DOWN,
  tooBigError,
} from "./_manager_protocol.ts";
import { ctxOf } from "./_mutex.ts";
import { decodeItem, encodeItem, Ring } from "./_ring.ts";
import { runAsync, runBlocking } from "./_wait.ts";
import type { ManagerStats } from "./manager_stats.ts";

const setup = workerData as ManagerSetup;
if (isMainThread || typeof (setup as ManagerSetup | null)?.id !== "string") {
  throw new TypeError(
    "Cannot start manager server: this module runs in the worker that new Manager() starts",
  );
}

type Served =
  | { kind: "dict"; data: Map<unknown, unknown> }
  | { kind: "list"; data: unknown[] }
  | { kind: "namespace"; data: Map<string, unknown> }
  | { kind: "value"; data: { value: unknown } };

/** One connection and what it did (`Manager.stats()`). */
interface Connection {
  readonly requests: Ring;
  readonly responses: Ring;
  readonly threadId: number;
  readonly owner: boolean;
  calls: number;
  writes: number;
}

const objects = new Map<number, Served>();
/** How many calls changed each object, by id. */
const objectWrites = new Map<number, number>();
let nextObject = 1;
const connections = new Map<number, Connection>();
let stopping = false;

/** The methods that write, by kind: a successful call of one counts in `Manager.stats()`. */
const WRITES: Record<ServedKind, ReadonlySet<string>> = {
  dict: new Set([
    "set",
    "delete",
    "clear",
    "update",
    "pop",
    "setDefault",
    "increment",
    "incrementMany",
  ]),
  list: new Set(["set", "append", "extend", "pop", "clear"]),
  namespace: new Set(["set"]),
  value: new Set(["set", "add"]),
};

function sizeOf(object: Served): number {
  switch (object.kind) {
    case "dict":
    case "namespace":
      return object.data.size;
    case "list":
      return object.data.length;
    case "value":
      return 1;
  }
}

function stats(): ManagerStats {
  return {
    threadId,
    connections: [...connections.values()].map(({ threadId, owner, calls, writes }) => ({
      threadId,
      owner,
      calls,
      writes,
    })),
    objects: [...objects].map(([id, object]) => ({
      kind: object.kind,
      size: sizeOf(object),
      writes: objectWrites.get(id) ?? 0,
    })),
  };
}

/** Counts a call that succeeded on its connection and, when it wrote, on its object. */
function count(connection: Connection, request: Request, response: Response): void {
  if (request.target === 0 && request.op === "stats") return;
  connection.calls++;
  const kind = objects.get(request.target)?.kind;
  if (!response.ok || kind === undefined || !WRITES[kind].has(request.op)) return;
  connection.writes++;
  objectWrites.set(request.target, (objectWrites.get(request.target) ?? 0) + 1);
}

/**
 * How long the server waits to put an answer in a connection's ring, in milliseconds, for any
 * connection but its owner's. A caller waits for each answer before it sends its next call, so
 * the ring is empty when an answer goes in: a ring that stays full (or locked) this long belongs to
 * code that sends calls and never reads the answers, which would otherwise stop the server for
 * every connection. That connection is dropped.
 */
const ANSWER_WAIT_MS = 2_000;

/**
 * How many calls in a row the server answers on one connection before it lets the others in (one
 * that always has its next call ready would otherwise never give the event loop a turn).
 */
const BURST = 256;

/**
 * Puts an answer in a connection's response ring; an answer that cannot be copied, or that the
 * ring could never hold, becomes an error answer (the caller would otherwise wait for ever).
 *
 * @param ring The connection's response ring.
 * @param response The answer.
 * @param request The call answered, for the error's message.
 * @param waitMs How long to wait for room (the owner's connection: for ever).
 * @returns Whether the answer went in.
 */
function send(ring: Ring, response: Response, request?: Request, waitMs = Infinity): boolean {
  let bytes: Uint8Array;
  try {
    bytes = encodeItem(response, "answer");
    if (!ring.canHold(bytes.length)) {
      const kind = request === undefined ? "manager" : objects.get(request.target)?.kind;
      throw tooBigError(
        `use ${kind ?? "manager"}.${request?.op ?? "answer"}()`,
        "answer",
        bytes.length,
        "ask for less at a time or use a SharedArray",
      );
    }
  } catch (error) {
    const { name, message } = error as Error;
    bytes = encodeItem({ id: response.id, ok: false, name, message } satisfies Response, "answer");
  }
  const ctx = ctxOf(waitMs === Infinity ? {} : { timeout: waitMs }, "answer");
  return runBlocking(ring.put(bytes, ctx, false), waitMs).ok;
}

function served(target: number, kind: ServedKind | undefined): Served {
  const object = objects.get(target);
  if (object === undefined) {
    throw new RangeError(`Cannot use proxy: the manager holds no object ${target}`);
  }
  if (kind !== undefined && object.kind !== kind) {
    throw new TypeError(`Cannot use proxy: object ${target} is a ${object.kind}, not a ${kind}`);
  }
  return object;
}

function listIndex(list: unknown[], index: unknown, op: string): number {
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new TypeError(
      `Cannot ${op} list item: index must be an integer: received ${String(index)}`,
    );
  }
  const at = index < 0 ? list.length + index : index;
  if (at < 0 || at >= list.length) {
    throw new RangeError(
      `Cannot ${op} list item: index ${index} is out of range for a list of ${list.length}`,
    );
  }
  return at;
}

function addNumbers(current: unknown, by: unknown, key: unknown): number | bigint {
  const base = current ?? (typeof by === "bigint" ? 0n : 0);
  if (typeof base === "bigint" && typeof by === "bigint") return base + by;
  if (typeof base === "number" && typeof by === "number") return base + by;
  throw new TypeError(
    `Cannot increment ${
      JSON.stringify(String(key))
    }: it holds ${typeof base}, and the increment is ${typeof by}`,
  );
}

function create(kind: unknown, init: unknown): number {
  let object: Served;
  switch (kind) {
    case "dict":
      object = { kind, data: new Map(init as [unknown, unknown][]) };
      break;
    case "list":
      object = { kind, data: [...((init ?? []) as unknown[])] };
      break;
    case "namespace":
      object = { kind, data: new Map(Object.entries((init ?? {}) as Record<string, unknown>)) };
      break;
    case "value":
      object = { kind, data: { value: init } };
      break;
    default:
      throw new TypeError(`Cannot create: the manager serves no ${String(kind)}`);
  }
  const id = nextObject++;
  objects.set(id, object);
  return id;
}

function call(request: Request): unknown {
  const [a, b] = request.args;
  if (request.target === 0) {
    if (request.op === "create") return create(a, b);
    if (request.op === "stats") return stats();
    throw new TypeError(`Cannot call manager: unknown operation ${request.op}`);
  }
  const object = served(request.target, undefined);
  switch (object.kind) {
    case "dict": {
      const d = object.data;
      switch (request.op) {
        case "get":
          return d.has(a) ? d.get(a) : b;
        case "set":
          d.set(a, b);
          return undefined;
        case "has":
          return d.has(a);
        case "delete":
          return d.delete(a);
        case "len":
          return d.size;
        case "keys":
          return [...d.keys()];
        case "values":
          return [...d.values()];
        case "entries":
          return [...d.entries()];
        case "clear":
          d.clear();
          return undefined;
        case "update":
          for (const [key, value] of a as [unknown, unknown][]) d.set(key, value);
          return undefined;
        case "toObject":
          return Object.fromEntries(d);
        case "pop": {
          if (!d.has(a)) return b;
          const value = d.get(a);
          d.delete(a);
          return value;
        }
        case "setDefault":
          if (!d.has(a)) d.set(a, b);
          return d.get(a);
        case "increment": {
          const next = addNumbers(d.get(a), b, a);
          d.set(a, next);
          return next;
        }
        case "incrementMany":
          for (const [key, by] of a as [unknown, unknown][]) {
            d.set(key, addNumbers(d.get(key), by, key));
          }
          return undefined;
      }
      break;
    }
    case "list": {
      const l = object.data;
      switch (request.op) {
        case "get":
          return l[listIndex(l, a, "get")];
        case "set":
          l[listIndex(l, a, "set")] = b;
          return undefined;
        case "append":
          l.push(a);
          return undefined;
        case "extend":
          l.push(...(a as unknown[]));
          return undefined;
        case "pop":
          return l.splice(listIndex(l, a ?? -1, "pop"), 1)[0];
        case "len":
          return l.length;
        case "toArray":
          return l;
        case "clear":
          l.length = 0;
          return undefined;
      }
      break;
    }
    case "namespace": {
      const n = object.data;
      switch (request.op) {
        case "get":
          return n.get(a as string);
        case "set":
          n.set(a as string, b);
          return undefined;
        case "toObject":
          return Object.fromEntries(n);
      }
      break;
    }
    case "value": {
      const v = object.data;
      switch (request.op) {
        case "get":
          return v.value;
        case "set":
          v.value = a;
          return undefined;
        case "add":
          v.value = addNumbers(v.value, a, "value");
          return v.value;
      }
      break;
    }
  }
  throw new TypeError(`Cannot call ${object.kind} proxy: unknown operation ${request.op}`);
}

function answer(request: Request): Response {
  try {
    return { id: request.id, ok: true, value: call(request) };
  } catch (error) {
    const { name, message } = error instanceof Error
      ? error
      : { name: "Error", message: String(error) };
    return { id: request.id, ok: false, name, message };
  }
}

/**
 * Takes a request if one comes within {@linkcode SPIN_MS}: a caller often sends its next request
 * right after an answer, and an `Atomics.waitAsync` wake-up costs tens of microseconds in Deno.
 */
function spinGet(ring: Ring): Uint8Array | undefined {
  const until = performance.now() + SPIN_MS;
  do {
    const got = ring.tryGet();
    if (got instanceof Uint8Array) return got;
    if (got === "closed") return undefined;
  } while (performance.now() < until);
  return undefined;
}

/** How long the server polls a connection before it sleeps on it, in milliseconds. */
const SPIN_MS = 0.05;

async function serve(
  client: number,
  buffers: ConnectionBuffers,
  from: { threadId: unknown; owner: boolean },
): Promise<void> {
  if (connections.has(client)) return;
  const connection: Connection = {
    requests: new Ring(buffers.requests),
    responses: new Ring(buffers.responses),
    threadId: Number.isSafeInteger(from.threadId) ? from.threadId as number : -1,
    owner: from.owner,
    calls: 0,
    writes: 0,
  };
  connections.set(client, connection);
  const waitMs = from.owner ? Infinity : ANSWER_WAIT_MS;
  if (!send(connection.responses, { id: 0, ok: true, value: "welcome" }, undefined, waitMs)) return;
  const ctx = ctxOf({}, "serve");
  let burst = 0;
  while (!stopping) {
    let bytes = spinGet(connection.requests);
    if (bytes !== undefined && ++burst >= BURST) {
      burst = 0;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (bytes === undefined) {
      burst = 0;
      const got = await runAsync(connection.requests.get(ctx), Infinity);
      if (!got.ok) break;
      bytes = got.value;
    }
    const request = decodeItem(bytes) as Request;
    // Only the owner shuts the manager down (a copy's Manager.shutdown() throws before it asks).
    if (request.target === 0 && request.op === "shutdown" && connection.owner) {
      shutdown(connection.responses, request.id);
      return;
    }
    const response: Response = request.target === 0 && request.op === "shutdown"
      ? {
        id: request.id,
        ok: false,
        name: "TypeError",
        message:
          "Cannot shut down manager: only the isolate that made it can shut it down, not a copy",
      }
      : answer(request);
    count(connection, request, response);
    // A connection that does not take its answers is dropped (its counts stay in the stats).
    if (!send(connection.responses, response, request, waitMs)) return;
  }
}

function shutdown(responses: Ring, id: number): void {
  stopping = true;
  Atomics.store(new Int32Array(setup.status), 0, SHUT_DOWN);
  send(responses, { id, ok: true, value: undefined });
  const ctx = ctxOf({}, "shut down");
  for (const connection of connections.values()) {
    runBlocking(connection.requests.close(ctx), Infinity);
    runBlocking(connection.responses.close(ctx), Infinity);
  }
  channel.close();
  process.exit(0);
}

const channel = new BroadcastChannel(channelName(setup.id));
channel.onmessage = (event: MessageEvent<Hello>) => {
  const hello = event.data;
  if (
    hello?.type === "hello" && hello.requests instanceof SharedArrayBuffer &&
    hello.responses instanceof SharedArrayBuffer && !stopping
  ) {
    void serve(hello.client, hello, { threadId: hello.threadId, owner: false });
  }
};
void serve(0, setup.connection, { threadId: setup.threadId, owner: true });
