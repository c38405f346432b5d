/**
 * The worker entry of a `Manager`: it holds the shared dicts, lists, namespaces and values, and
 * serves calls from every connected isolate, one at a time, so each call is atomic.
 *
 * This file is private to `lib/`.
 *
 * The objects and their ops are `_manager_objects.ts`; what `Manager.stats()` counts is
 * `_manager_record.ts`.
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
  SHUT_DOWN,
  tooBigError,
} from "./_manager_protocol.ts";
import { ctxOf } from "./_mutex.ts";
import { decodeItem, encodeItem, Ring } from "./_ring.ts";
import { runAsync, runBlocking } from "./_wait.ts";
import { type ConnectionCounts, ManagerRecord } from "./_manager_record.ts";
import { callObject, create, kindOf, objectSizes } from "./_manager_objects.ts";

const setup = workerData as ManagerSetup;
if (isMainThread || typeof (setup as ManagerSetup | null)?.id !== "string") {
  throw new TypeError(
    "Cannot start manager server: this module runs in the worker that new Manager() starts",
  );
}

/** One connection: its rings and what it did (`Manager.stats()`). */
interface Connection {
  readonly requests: Ring;
  readonly responses: Ring;
  readonly counts: ConnectionCounts;
}

const connections = new Map<number, Connection>();
const record = new ManagerRecord();
let stopping = false;

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
      const kind = request === undefined ? "manager" : kindOf(request.target);
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

/** The manager's own ops (target 0), or the object's. */
function call(request: Request): unknown {
  if (request.target !== 0) return callObject(request);
  const [a, b] = request.args;
  if (request.op === "create") return create(a, b);
  if (request.op === "stats") return record.stats(threadId, objectSizes());
  throw new TypeError(`Cannot call manager: unknown operation ${request.op}`);
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
    counts: record.open(from.threadId, from.owner),
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
    if (request.target === 0 && request.op === "shutdown" && from.owner) {
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
    const { target, op } = request;
    record.count(connection.counts, {
      target,
      kind: kindOf(target),
      op,
      ok: response.ok,
    });
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
