/**
 * Which of the owner ids a trusted observer saw (a lock's owner word, a Manager connection's
 * reported thread) are lib worker threads of the sandbox doing the work, matched to the threads
 * the OS names (`/proc/PID/task/TID/comm` is `worker-<threadId>`, a name the runtime gives and code
 * cannot change) and weighed by their time on a CPU (`schedstat`). Exercise 3's histogram and word
 * count share it.
 *
 * @module
 */
import type { Snapshot } from "../sandbox/witness.ts";

/** The owner ids an observer saw: `threadId + 1` each (`lib/_wait.ts` `selfId`). */
export interface OwnersSeen {
  /** How many different owners it saw (what counts where the OS names no thread). */
  readonly owners: number;
  /** Their ids. */
  readonly ownerIds?: readonly number[];
}

/** Lock owners matched to the sandbox's threads, and which witness matched them. */
export interface VerifiedOwners {
  /** How many owners count. */
  owners: number;
  /**
   * `"os-cpu"`: matched to the OS's thread names, and the owners together ran longer on a CPU
   * than any other worker thread (the caller among them) during the call; `"os-threads"`: matched
   * to the names, with no per-thread CPU time to weigh; `"lock-word"`: the watcher's count alone.
   */
  witness: "os-cpu" | "os-threads" | "lock-word";
  /** How many owner ids named no worker thread of the sandbox (made up, or not a lib worker's). */
  unknown: number;
  /** True when the owners named real threads, but another thread did more of the work. */
  outworked?: boolean;
}

/** The two snapshots of the sandbox's threads taken around a call (`Witness.snapshot`). */
export type ThreadSnapshots = readonly [Snapshot, Snapshot];

/**
 * Counts the lock owners the watcher saw that were lib worker threads of the sandbox doing the
 * work: an owner id `n` is the `selfId` of the thread with `threadId` `n - 1`, which the OS names
 * `worker-<n - 1>`; and where the OS gives each thread's CPU time, the owners together must have
 * run longer during the call than any other worker thread (a caller that counts alone and writes
 * its pool workers' ids into the owner word ran longer than they did). Without the OS's thread
 * names (not Linux) it falls back to the watcher's count.
 *
 * @param seen The owner ids seen (and how many, for the fallback).
 * @param around The sandbox's threads before and after the call.
 * @param options `ignore`: the `threadId`s of trusted threads that are neither owners nor
 * competitors (a Manager's server, busy answering the owners' calls).
 * @returns The owners that count.
 *
 * @example Usage
 * ```ts
 * import { verifiedOwners } from "./_thread_owners.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const snap = (ns: number[]) => ({
 *   at: 0,
 *   machineWitness: "none" as const,
 *   workerNames: new Map([["10", "worker-1"], ["14", "worker-4"], ["15", "worker-5"]]),
 *   workerNs: new Map([["10", ns[0]!], ["14", ns[1]!], ["15", ns[2]!]]),
 * });
 * const seen = { bins: [], owners: 3, ownerIds: [5, 6, 1001], changes: 9 };
 * const honest = verifiedOwners(seen, [snap([0, 0, 0]), snap([9e6, 60e6, 70e6])]);
 * deepEqual(honest, { owners: 2, witness: "os-cpu", unknown: 1 });
 * const borrowed = verifiedOwners(seen, [snap([0, 0, 0]), snap([120e6, 12e6, 14e6])]);
 * deepEqual(borrowed, { owners: 0, witness: "os-cpu", unknown: 1, outworked: true });
 * ```
 */
export function verifiedOwners(
  seen: OwnersSeen,
  around: ThreadSnapshots,
  options: { ignore?: readonly number[] } = {},
): VerifiedOwners {
  const [before, after] = around;
  if (!before.workerNames || !after.workerNames || seen.ownerIds === undefined) {
    return { owners: seen.owners, witness: "lock-word", unknown: 0 };
  }
  const tids = new Map<string, string>([...before.workerNames, ...after.workerNames]);
  const tidOf = new Map([...tids].map(([tid, name]) => [name, tid]));
  const owned = new Set<string>();
  let unknown = 0;
  for (const id of seen.ownerIds) {
    const tid = id > 1 ? tidOf.get(`worker-${id - 1}`) : undefined;
    if (tid === undefined) unknown++;
    else owned.add(tid);
  }
  if (!before.workerNs || !after.workerNs) {
    return { owners: owned.size, witness: "os-threads", unknown };
  }
  const ran = (tid: string) => (after.workerNs?.get(tid) ?? 0) - (before.workerNs?.get(tid) ?? 0);
  const ownersNs = [...owned].reduce((sum, tid) => sum + ran(tid), 0);
  const ignored = new Set(
    (options.ignore ?? []).map((threadId) => tidOf.get(`worker-${threadId}`)),
  );
  const others = [...tids.keys()].filter((tid) => !owned.has(tid) && !ignored.has(tid));
  const busiestOther = Math.max(0, ...others.map(ran));
  if (owned.size > 0 && ownersNs <= busiestOther) {
    return { owners: 0, witness: "os-cpu", unknown, outworked: true };
  }
  return { owners: owned.size, witness: "os-cpu", unknown };
}
