/**
 * How a `Manager`'s proxies talk to its server worker (`_manager_server.ts`).
 *
 * Every isolate that uses a manager's proxies has one connection to it: two shared rings
 * (`_ring.ts`), requests one way and responses the other, so a call is synchronous (the caller
 * sleeps in `Atomics.wait`) and works from the main thread, a Process or a Pool worker alike. The
 * isolate that made the manager hands its connection over at spawn (`workerData`); any other
 * isolate announces its connection on a `BroadcastChannel` named after the manager (which can carry
 * SharedArrayBuffers and reaches every worker of the program without a port), and repeats the
 * announcement until the server welcomes it.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

/** What the manager's server worker starts with. */
export interface ManagerSetup {
  /** The manager's id: names its BroadcastChannel. */
  readonly id: string;
  /** Word 0: {@linkcode RUNNING} or {@linkcode SHUT_DOWN}; every proxy holds it. */
  readonly status: SharedArrayBuffer;
  /** The creating isolate's connection. */
  readonly connection: ConnectionBuffers;
  /** The creating thread's `node:worker_threads` `threadId` (0: the main thread, a web Worker). */
  readonly threadId: number;
}

/** One isolate's connection: its request ring and its response ring. */
export interface ConnectionBuffers {
  readonly requests: SharedArrayBuffer;
  readonly responses: SharedArrayBuffer;
}

/** A client's announcement on the manager's BroadcastChannel. */
export interface Hello extends ConnectionBuffers {
  readonly type: "hello";
  /** A random id, so a repeated announcement is recognised. */
  readonly client: number;
  /** The announcing thread's `node:worker_threads` `threadId`, as it reports it. */
  readonly threadId: number;
}

/** The kinds of objects a manager serves. */
export type ServedKind = "dict" | "list" | "namespace" | "value";

/** A call: `op` on object `target` (0: the manager itself). */
export interface Request {
  readonly id: number;
  readonly target: number;
  readonly op: string;
  readonly args: readonly unknown[];
}

/** A call's answer; `id` 0 is the welcome of a new connection. */
export type Response =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** `status` word values. */
export const RUNNING = 1;
export const SHUT_DOWN = 2;

/** The buffer size of each ring of a connection, in bytes. */
export const CONNECTION_CAPACITY = 1 << 20;

/**
 * The error of a message too big for a connection's ring, which could never carry it.
 *
 * @param caller What was being done (`set "big"`).
 * @param what `"message"` (a request) or `"answer"` (a response).
 * @param size The encoded message's size in bytes.
 * @param advice How to avoid it.
 * @returns The error.
 */
export function tooBigError(
  caller: string,
  what: "message" | "answer",
  size: number,
  advice: string,
): RangeError {
  return new RangeError(
    `Cannot ${caller}: the ${what} is ${(size / 1e6).toFixed(1)} MB, over the manager channel's ${
      CONNECTION_CAPACITY / 2 ** 20
    } MiB: ${advice}`,
  );
}

/**
 * The name of a manager's BroadcastChannel.
 *
 * @param id The manager's id.
 * @returns The channel name.
 */
export function channelName(id: string): string {
  return `parakit.manager.${id}`;
}
