/**
 * What a manager's server counts for `Manager.stats()`: each connection's calls and writes, under
 * the `threadId` its thread reported when it connected, and each object's writes. The server
 * (`_manager_server.ts`) calls {@linkcode ManagerRecord.count} once per answered call.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { ManagedKind, ManagerStats } from "./manager_stats.ts";

/** What one connection did so far. */
export interface ConnectionCounts {
  readonly threadId: number;
  readonly owner: boolean;
  calls: number;
  writes: number;
}

/** The methods that write, by kind: a successful call of one counts as a write. */
const WRITES: Record<ManagedKind, ReadonlySet<string>> = {
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

/** One served object as the record sees it: its id, kind and size now. */
export interface ObjectSize {
  readonly id: number;
  readonly kind: ManagedKind;
  readonly size: number;
}

/** A server's counts. */
export class ManagerRecord {
  readonly #connections: ConnectionCounts[] = [];
  readonly #objectWrites = new Map<number, number>();

  /**
   * Starts counting a new connection.
   *
   * @param threadId The `threadId` its thread reported (anything else counts as -1).
   * @param owner Whether it is the connection of the isolate that made the manager.
   * @returns Its counts, for {@linkcode count}.
   */
  open(threadId: unknown, owner: boolean): ConnectionCounts {
    const counts = {
      threadId: Number.isSafeInteger(threadId) ? threadId as number : -1,
      owner,
      calls: 0,
      writes: 0,
    };
    this.#connections.push(counts);
    return counts;
  }

  /**
   * Counts one answered call (a `stats` call is left out).
   *
   * @param counts The connection's counts.
   * @param call The call: its target, the target's kind (none for the manager itself), its op, and
   * whether it succeeded.
   */
  count(
    counts: ConnectionCounts,
    call: { target: number; kind: ManagedKind | undefined; op: string; ok: boolean },
  ): void {
    if (call.target === 0 && call.op === "stats") return;
    counts.calls++;
    if (!call.ok || call.kind === undefined || !WRITES[call.kind].has(call.op)) return;
    counts.writes++;
    this.#objectWrites.set(call.target, (this.#objectWrites.get(call.target) ?? 0) + 1);
  }

  /**
   * What `Manager.stats()` answers.
   *
   * @param threadId The server's own `threadId`.
   * @param objects The objects it serves, the first-made first.
   * @returns The stats.
   */
  stats(threadId: number, objects: Iterable<ObjectSize>): ManagerStats {
    return {
      threadId,
      connections: this.#connections.map(({ threadId, owner, calls, writes }) => ({
        threadId,
        owner,
        calls,
        writes,
      })),
      objects: [...objects].map(({ id, kind, size }) => ({
        kind,
        size,
        writes: this.#objectWrites.get(id) ?? 0,
      })),
    };
  }
}
