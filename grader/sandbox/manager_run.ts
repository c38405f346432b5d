/**
 * The harness's side of a call that is given a Manager (exercise 3's word count): the harness makes
 * a lib `Manager` in its own isolate for the call, so its server is a worker of the harness that
 * no student code has run in, gives the student Worker only the manager's shared handle, and after
 * the call reads what the server counted (`Manager.stats()`: each connection's writes and the
 * `threadId` its thread reported, each dict's size and writes), then shuts it down. Whatever the
 * student's code does to its copy of the lib, the counts are the server's: a write counts for the
 * connection it came on.
 *
 * Imported by `harness.ts` only (it runs in the harness's isolate, never in a student's).
 *
 * @module
 */
import type { StudentOp, Trusted } from "./_protocol.ts";

/** The most connections and dicts the harness reports (the ones with the most writes). */
const MAX_ENTRIES = 64;

/** The biggest dict whose contents the harness digests (the word count's has a few keys). */
const MAX_DIGEST_KEYS = 10_000;

/** The manager of one call: made here, read and shut down here. */
export interface ManagerRun {
  /** The op as the student Worker gets it: with the manager's shared handle. */
  op: StudentOp;
  /** Reads the server's counts and shuts the manager down. */
  finish(): Promise<NonNullable<Trusted["manager"]>>;
}

/** The parts of the lib's Manager this file uses (typed loosely: the lib is the workspace's). */
interface LibManager {
  stats(): unknown;
  shutdown(): Promise<void>;
}

/**
 * A digest of a dict's contents, the same for the same entries in any order: SHA-256 of the
 * entries sorted by their JSON. The harness digests what the Manager's dicts hold, the check the
 * counts it expects; `undefined` when the entries cannot be written as JSON.
 *
 * @param entries The dict's `[key, value]` entries.
 * @returns The hex digest, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { entriesDigest } from "./manager_run.ts";
 * import { equal, notEqual } from "node:assert/strict";
 *
 * equal(await entriesDigest([["a", 1], ["b", 2]]), await entriesDigest([["b", 2], ["a", 1]]));
 * notEqual(await entriesDigest([["a", 1]]), await entriesDigest([["a", 2]]));
 * equal(await entriesDigest([["a", 1n]]), undefined);
 * ```
 */
export async function entriesDigest(
  entries: readonly (readonly [unknown, unknown])[],
): Promise<string | undefined> {
  let lines: string[];
  try {
    lines = entries.map((entry) => JSON.stringify([entry[0], entry[1]])).sort();
  } catch {
    return undefined;
  }
  const bytes = new TextEncoder().encode(lines.join("\n"));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A count from the server: a non-negative safe integer, or 0. */
function count(value: unknown): number {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? value as number : 0;
}

/** 1 for a non-owner connection that wrote with no worker's threadId, else 0 (sorts it first). */
function suspect(c: { threadId: number; owner: boolean; writes: number }): number {
  return !c.owner && c.threadId <= 0 && c.writes > 0 ? 1 : 0;
}

/** The dicts of `Manager.stats()` written most, with their index in `objects`, capped. */
function topDicts(stats: unknown): { index: number; size: number; writes: number }[] {
  const objects = (stats as { objects?: unknown } | null)?.objects;
  return (Array.isArray(objects) ? objects as Record<string, unknown>[] : [])
    .map((o, index) => ({ o, index }))
    .filter(({ o }) => o?.kind === "dict")
    .map(({ o, index }) => ({ index, size: count(o.size), writes: count(o.writes) }))
    .sort((a, b) => b.writes - a.writes).slice(0, MAX_ENTRIES);
}

/**
 * Digests the contents of the dicts the summary keeps (written, and not too big), read by the
 * harness over its own connection: the server numbers objects from 1 in the order they were made
 * and never reuses a number, and `stats().objects` lists them in that order, so object `index`
 * is the server's `index + 1`.
 */
async function dictDigests(
  stats: unknown,
  read: (target: number) => unknown,
): Promise<Map<number, string>> {
  const digests = new Map<number, string>();
  for (const { index, size, writes } of topDicts(stats)) {
    if (writes === 0 || size > MAX_DIGEST_KEYS) continue;
    try {
      const entries = read(index + 1);
      if (!Array.isArray(entries)) continue;
      const digest = await entriesDigest(entries as [unknown, unknown][]);
      if (digest !== undefined) digests.set(index, digest);
    } catch {
      // An answer too big for the channel, or a shut-down manager: no digest.
    }
  }
  return digests;
}

/**
 * Keeps the parts of `Manager.stats()` the checks read, bounded: the server's counts are the
 * server's, but how many connections and dicts there are is the student's to choose.
 *
 * @param stats What `Manager.stats()` returned.
 * @param digests The digest of a dict's contents, by its index in `stats.objects`, where read.
 * @returns The trusted summary.
 *
 * @example Usage
 * ```ts
 * import { summarizeStats } from "./manager_run.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const stats = {
 *   threadId: 3,
 *   connections: [
 *     { threadId: 0, owner: true, calls: 0, writes: 0 },
 *     { threadId: 5, owner: false, calls: 4, writes: 2 },
 *   ],
 *   objects: [{ kind: "dict", size: 2, writes: 2 }, { kind: "list", size: 0, writes: 0 }],
 * };
 * deepEqual(summarizeStats(stats), {
 *   threadId: 3,
 *   connections: [
 *     { threadId: 5, owner: false, calls: 4, writes: 2 },
 *     { threadId: 0, owner: true, calls: 0, writes: 0 },
 *   ],
 *   dicts: [{ size: 2, writes: 2 }],
 * });
 * ```
 */
export function summarizeStats(
  stats: unknown,
  digests: ReadonlyMap<number, string> = new Map(),
): NonNullable<Trusted["manager"]> {
  const record = (typeof stats === "object" && stats !== null ? stats : {}) as Record<
    string,
    unknown
  >;
  const list = (value: unknown) => (Array.isArray(value) ? value : []) as Record<string, unknown>[];
  // The calling thread's writes (threadId 0, or a forged id read as -1) are kept first: a student
  // who opens many connections must not push them past the cap.
  const connections = list(record.connections)
    .map((c) => ({
      threadId: Number.isSafeInteger(c.threadId) ? c.threadId as number : -1,
      owner: c.owner === true,
      calls: count(c.calls),
      writes: count(c.writes),
    }))
    .sort((a, b) => suspect(b) - suspect(a) || b.writes - a.writes).slice(0, MAX_ENTRIES);
  const dicts = topDicts(stats).map(({ index, size, writes }) => ({
    size,
    writes,
    ...(digests.has(index) ? { digest: digests.get(index)! } : {}),
  }));
  return {
    ...(Number.isSafeInteger(record.threadId) ? { threadId: record.threadId as number } : {}),
    connections,
    dicts,
  };
}

/**
 * Makes the manager of one call that asks for one.
 *
 * @param op The request's op.
 * @param libUrl The workspace lib's `mod.ts` URL.
 * @returns The op to forward and how to finish.
 */
export async function managerRun(
  op: StudentOp & { op: "call" },
  libUrl: string,
): Promise<ManagerRun> {
  // Only the lib's manager module (and what it needs), not all of lib/mod.ts.
  const lib = await import(new URL("manager.ts", libUrl).href) as {
    Manager: new () => LibManager;
  };
  const shareable = await import(new URL("_shareable.ts", libUrl).href) as {
    encodeShared(value: unknown): unknown;
  };
  const client = await import(new URL("_client.ts", libUrl).href) as {
    clients(): Map<
      string,
      { call(target: number, op: string, args: unknown[], what: string): unknown }
    >;
  };
  const manager = new lib.Manager();
  const handle = shareable.encodeShared(manager) as Record<string, { state?: { id?: unknown } }>;
  const id = Object.values(handle)[0]?.state?.id;
  // The harness's own connection (the owner's): reads the dicts the student's code wrote.
  const read = (target: number) => {
    const own = typeof id === "string" ? client.clients().get(id) : undefined;
    if (own === undefined) throw new Error("the harness has no connection to its manager");
    return own.call(target, "entries", [], "read dict");
  };
  return {
    op: { ...op, managerHandle: handle },
    async finish() {
      let summary: NonNullable<Trusted["manager"]>;
      try {
        const stats = manager.stats();
        summary = summarizeStats(stats, await dictDigests(stats, read));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        summary = { connections: [], dicts: [], readError: message.slice(0, 500) };
      }
      await manager.shutdown().catch(() => {});
      return summary;
    },
  };
}
