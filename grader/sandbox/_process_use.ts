/**
 * What exercise 3's calls do with the lib's Processes and Queues, counted in the student Worker by
 * wrappers put on the lib's prototypes before any student file is imported: Processes started and
 * joined, the Queues each was given, the bytes a shared Queue carried, and, for a call that
 * stalled, which Processes are still running and how full their Queues are. Counted in the
 * student's isolate, so it is data the checks validate (see ARCHITECTURE.md), never a witness.
 *
 * Imported by `student_worker.ts` only.
 *
 * @module
 */

/** The lib's `SHARE` symbol (`lib/_shareable.ts`), called when an object is sent to a worker. */
const SHARE = Symbol.for("parakit.share");

/**
 * What exercise 3's calls did with the lib's Processes and Queues, counted by wrappers put on the
 * lib's prototypes before any student file is imported: Processes started and joined, and for
 * each Queue, the started Processes it was sent to.
 */
const processUse = {
  started: new Set<object>(),
  joined: new Set<object>(),
  queueSharers: new Map<object, Set<object>>(),
  starting: undefined as object | undefined,
  /** The Queues each started Process was given (for what a stalled call reports). */
  queuesOf: new Map<object, Set<object>>(),
  /** The Processes whose `join()` is being awaited now. */
  joining: new Set<object>(),
};
let processesObserved = false;

/** The lib's classes whose use is counted, typed loosely: the lib is the workspace's copy. */
export interface ObservedLib {
  Process?: { prototype: Record<PropertyKey, unknown> };
  Queue?: { prototype: Record<PropertyKey, unknown> };
  SimpleQueue?: { prototype: Record<PropertyKey, unknown> };
}

/**
 * Wraps the lib's Process start/join and Queue sharing once, to count them (exercise 3).
 *
 * @param lib The workspace's lib, before any student file is imported.
 */
export function observeProcesses(lib: ObservedLib): void {
  if (processesObserved) return;
  processesObserved = true;
  const { Process, Queue, SimpleQueue } = lib;
  const proto = Process?.prototype;
  const start = proto?.start;
  const join = proto?.join;
  if (!proto || typeof start !== "function" || typeof join !== "function") return;
  proto.start = function (this: object, ...args: unknown[]) {
    processUse.starting = this;
    try {
      const result = start.apply(this, args);
      processUse.started.add(this);
      return result;
    } finally {
      processUse.starting = undefined;
    }
  };
  proto.join = async function (this: object, ...args: unknown[]) {
    processUse.joining.add(this);
    try {
      const result = await join.apply(this, args);
      processUse.joined.add(this);
      return result;
    } finally {
      processUse.joining.delete(this);
    }
  };
  for (const queue of [Queue?.prototype, SimpleQueue?.prototype]) {
    const share = queue?.[SHARE];
    if (!queue || typeof share !== "function") continue;
    queue[SHARE] = function (this: object, ...args: unknown[]) {
      if (processUse.starting) {
        const sharers = processUse.queueSharers.get(this) ?? new Set<object>();
        sharers.add(processUse.starting);
        processUse.queueSharers.set(this, sharers);
        const queues = processUse.queuesOf.get(processUse.starting) ?? new Set<object>();
        queues.add(this);
        processUse.queuesOf.set(processUse.starting, queues);
      }
      return share.apply(this, args);
    };
  }
}

/** The ring's header words (`lib/_ring.ts`): bytes written (TAIL) and read (HEAD) so far. */
const RING_HEAD = 2;
const RING_TAIL = 3;
/** More ring header words: bytes and items held now, the item limit and the data's size. */
const RING_USED = 4;
const RING_COUNT = 5;
const RING_MAXSIZE = 10;
const RING_CAPACITY = 11;
/** A ring with less room than this holds no further number: it is full. */
const RING_ROOM = 64;

/** How full a Queue's ring is, read from its shared memory. */
function ringState(queue: object): { items: number; full: boolean; empty: boolean } | undefined {
  try {
    const handle = (queue as Record<symbol, () => { state?: { buffer?: unknown } }>)[SHARE]!();
    const buffer = handle.state?.buffer;
    if (!(buffer instanceof SharedArrayBuffer)) return undefined;
    const words = new Int32Array(buffer, 0, 12);
    const items = Atomics.load(words, RING_COUNT);
    const maxsize = Atomics.load(words, RING_MAXSIZE);
    const room = Atomics.load(words, RING_CAPACITY) - Atomics.load(words, RING_USED);
    return {
      items,
      full: (maxsize > 0 && items >= maxsize) || room < RING_ROOM,
      empty: items === 0,
    };
  } catch {
    return undefined;
  }
}

/**
 * The Processes of the current call that are still running, for a call that stalled: each one's
 * name, whether the call waits in its `join()`, and the state of the Queues it was given.
 *
 * @returns One entry per live Process, at most 16.
 */
export function stillRunning(): unknown[] {
  const running: unknown[] = [];
  for (const process of processUse.started) {
    const alive = (process as { isAlive?: () => boolean }).isAlive?.();
    if (alive !== true) continue;
    const name = String((process as { name?: unknown }).name ?? "a Process").slice(0, 200);
    const queues = [...processUse.queuesOf.get(process) ?? []].map(ringState)
      .filter((state) => state !== undefined).slice(0, 16);
    running.push({ name, joining: processUse.joining.has(process), queues });
    if (running.length === 16) break;
  }
  return running;
}

/**
 * The bytes that went through a Queue's ring, read from its shared memory: the smaller of the bytes
 * written and the bytes taken (a ring of 1 MiB does not wrap for the pipeline's few items).
 */
function ringTraffic(queue: object): number {
  try {
    const handle = (queue as Record<symbol, () => { state?: { buffer?: unknown } }>)[SHARE]!();
    const buffer = handle.state?.buffer;
    if (!(buffer instanceof SharedArrayBuffer)) return 0;
    const words = new Int32Array(buffer, 0, 4);
    return Math.min(Atomics.load(words, RING_HEAD), Atomics.load(words, RING_TAIL));
  } catch {
    return 0;
  }
}

/**
 * The counts of {@linkcode processUse} since the last call, then cleared.
 *
 * @returns Processes started and joined, the most started Processes one Queue was sent to, and the
 * bytes it carried.
 */
export function takeProcessUse(): {
  started: number;
  joined: number;
  queueSharers: number;
  queueBytes: number;
} {
  const started = processUse.started;
  let queueSharers = 0;
  let queueBytes = 0;
  for (const [queue, sharers] of processUse.queueSharers) {
    const count = [...sharers].filter((p) => started.has(p)).length;
    queueSharers = Math.max(queueSharers, count);
    // What a Queue shared by two started Processes carried: items that flowed between them.
    if (count >= 2) queueBytes = Math.max(queueBytes, ringTraffic(queue));
  }
  const use = {
    started: started.size,
    joined: [...processUse.joined].filter((p) => started.has(p)).length,
    queueSharers,
    queueBytes,
  };
  processUse.started = new Set();
  processUse.joined = new Set();
  processUse.queueSharers = new Map();
  processUse.queuesOf = new Map();
  return use;
}
