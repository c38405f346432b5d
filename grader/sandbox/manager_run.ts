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

/** A count from the server: a non-negative safe integer, or 0. */
function count(value: unknown): number {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? value as number : 0;
}

/**
 * Keeps the parts of `Manager.stats()` the checks read, bounded: the server's counts are the
 * server's, but how many connections and dicts there are is the student's to choose.
 *
 * @param stats What `Manager.stats()` returned.
 * @returns The trusted summary.
 *
 * @example Usage
 * ```ts
 * import { summarizeStats } from "./manager_run.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const stats = {
 *   threadId: 3,
 *   connections: [{ threadId: 0, owner: true, calls: 0, writes: 0 }, { threadId: 5, owner: false, calls: 4, writes: 2 }],
 *   objects: [{ kind: "dict", size: 2, writes: 2 }, { kind: "list", size: 0, writes: 0 }],
 * };
 * deepEqual(summarizeStats(stats), {
 *   threadId: 3,
 *   connections: [{ threadId: 5, owner: false, calls: 4, writes: 2 }, { threadId: 0, owner: true, calls: 0, writes: 0 }],
 *   dicts: [{ size: 2, writes: 2 }],
 * });
 * ```
 */
export function summarizeStats(stats: unknown): NonNullable<Trusted["manager"]> {
  const record = (typeof stats === "object" && stats !== null ? stats : {}) as Record<
    string,
    unknown
  >;
  const list = (value: unknown) => (Array.isArray(value) ? value : []) as Record<string, unknown>[];
  const connections = list(record.connections)
    .map((c) => ({
      threadId: Number.isSafeInteger(c.threadId) ? c.threadId as number : -1,
      owner: c.owner === true,
      calls: count(c.calls),
      writes: count(c.writes),
    }))
    .sort((a, b) => b.writes - a.writes).slice(0, MAX_ENTRIES);
  const dicts = list(record.objects).filter((o) => o.kind === "dict")
    .map((o) => ({ size: count(o.size), writes: count(o.writes) }))
    .sort((a, b) => b.writes - a.writes).slice(0, MAX_ENTRIES);
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
  const manager = new lib.Manager();
  return {
    op: { ...op, managerHandle: shareable.encodeShared(manager) },
    async finish() {
      let summary: NonNullable<Trusted["manager"]>;
      try {
        summary = summarizeStats(manager.stats());
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        summary = { connections: [], dicts: [], readError: message.slice(0, 500) };
      }
      await manager.shutdown().catch(() => {});
      return summary;
    },
  };
}
