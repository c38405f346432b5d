/**
 * A trusted Worker of the sandbox harness that watches exercise 3's shared histogram while the
 * student's `fillHistogram` runs. The harness made the histogram's memory and its lock's memory
 * itself; this thread only reads them and runs no student code, so what it reports is the
 * harness's own observation: which threads held the histogram's lock (the lib's mutex records its
 * holder's thread id in the lock's owner word), and how the total rose.
 *
 * A histogram filled under the lock by several pool workers shows several owners; one filled by
 * the calling thread shows one; one filled without the lock shows none.
 *
 * Protocol: the harness posts `{ bins, lock, control }` (SharedArrayBuffers: the Int32 bins, the
 * lock's words, and a control Int32Array whose index 0 is 1 while watching); the watcher reads
 * until the harness sets `control[0]` to 0, then posts a {@linkcode HistogramWatch}.
 *
 * @module
 */

/** What the watcher saw of the histogram during one call. */
export interface HistogramWatch {
  /** How many different threads it saw holding the lock (at most {@linkcode MAX_OWNERS}). */
  owners: number;
  /**
   * The owner ids it saw in the lock's owner word, ascending (at most {@linkcode MAX_OWNERS}):
   * written by whoever holds the lock, so data to check against the OS's threads, not proof.
   */
  ownerIds: number[];
  /** How many times it saw the total of the bins change. */
  changes: number;
}

/** The lock's owner word (`lib/_mutex.ts` `OWNER`): the holder's thread id, 0 when free. */
export const OWNER_WORD = 1;
/** The most owners counted. */
export const MAX_OWNERS = 64;
/** How long the watcher sleeps between two reads, in milliseconds (it must not take a core). */
export const WATCH_PAUSE_MS = 0.02;

/**
 * Reads the lock's owner and the bins' total until `control[0]` drops to 0, sleeping
 * {@linkcode WATCH_PAUSE_MS} between reads.
 *
 * @param bins The histogram's shared Int32 view.
 * @param lock The lock's shared words.
 * @param control The control word (1 while watching).
 * @returns What was seen.
 *
 * @example Usage
 * ```ts
 * import { watchHistogram } from "./histogram_watch.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const bins = new Int32Array(new SharedArrayBuffer(16));
 * const lock = new Int32Array(new SharedArrayBuffer(12));
 * Atomics.store(lock, 1, 42); // a thread holds the lock
 * const control = new Int32Array(new SharedArrayBuffer(4)); // 0: one read, then stop
 * deepEqual(watchHistogram(bins, lock, control), { owners: 1, ownerIds: [42], changes: 0 });
 * ```
 */
export function watchHistogram(
  bins: Int32Array,
  lock: Int32Array,
  control: Int32Array,
): HistogramWatch {
  const owners = new Set<number>();
  let changes = 0;
  let last = total(bins);
  do {
    const owner = Atomics.load(lock, OWNER_WORD);
    if (owner !== 0 && owners.size < MAX_OWNERS) owners.add(owner);
    const now = total(bins);
    if (now !== last) {
      changes++;
      last = now;
    }
    Atomics.wait(control, 0, 1, WATCH_PAUSE_MS);
  } while (Atomics.load(control, 0) === 1);
  return { owners: owners.size, ownerIds: [...owners].sort((a, b) => a - b), changes };
}

function total(bins: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < bins.length; i++) sum += Atomics.load(bins, i);
  return sum;
}

if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined") {
  const scope = self as unknown as {
    postMessage(message: unknown): void;
    onmessage: ((event: MessageEvent) => void) | null;
  };
  scope.onmessage = (event: MessageEvent) => {
    const { bins, lock, control } = event.data as {
      bins: SharedArrayBuffer;
      lock: SharedArrayBuffer;
      control: SharedArrayBuffer;
    };
    scope.postMessage(
      watchHistogram(new Int32Array(bins), new Int32Array(lock), new Int32Array(control)),
    );
  };
}
