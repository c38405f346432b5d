/**
 * The harness's side of exercise 3's histogram: it makes the shared histogram (a lib
 * `SharedArray("i", bins)` with its lock) in the harness's own isolate, starts the trusted watcher
 * (`histogram_watch.ts`) on its memory, gives the student Worker only the shared handle, and reads
 * the bins back from its own memory when the call is over. Whatever the student's code does to its
 * copy of the lib, the bins read here are the memory's, and the watcher saw who held the lock.
 *
 * Imported by `harness.ts` only (it runs in the harness's isolate, never in a student's).
 *
 * @module
 */
import type { StudentOp, Trusted } from "./_protocol.ts";
import type { HistogramWatch } from "./histogram_watch.ts";

/** The lib's shared-object symbol (`lib/_shareable.ts`). */
const SHARE = Symbol.for("parakit.share");

/** The histogram of one call: made here, watched by a trusted thread, read back here. */
export interface HistogramRun {
  /** The op as the student Worker gets it: with the histogram's shared handle. */
  op: StudentOp;
  /** Stops the watcher and reads the bins. */
  finish(): Promise<NonNullable<Trusted["histogram"]>>;
}

interface SharedArrayLike {
  [SHARE](): {
    state: { buffer: SharedArrayBuffer; lock?: { state: { buffer: SharedArrayBuffer } } };
  };
}

let watcher: Worker | undefined;

/**
 * Makes the histogram of one `histogram` call and starts watching it.
 *
 * @param op The request's op.
 * @param libUrl The workspace lib's `mod.ts` URL.
 * @returns The op to forward and how to finish.
 * @throws {Error} If the lib makes no SharedArray with a lock.
 */
export async function histogramRun(
  op: StudentOp & { op: "histogram" },
  libUrl: string,
): Promise<HistogramRun> {
  // Only the lib's array module (and what it needs), not all of lib/mod.ts.
  const lib = await import(new URL("shared_array.ts", libUrl).href) as {
    SharedArray: new (type: string, size: number) => SharedArrayLike;
  };
  const shareable = await import(new URL("_shareable.ts", libUrl).href) as {
    encodeShared(value: unknown): unknown;
  };
  const histogram = new lib.SharedArray("i", op.bins);
  const { buffer, lock } = histogram[SHARE]().state;
  if (!lock) throw new Error("the lib's SharedArray has no lock");
  const control = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(control, 0, 1);
  watcher ??= new Worker(new URL("./histogram_watch.ts", import.meta.url), {
    type: "module",
    name: "histogram-watch",
  });
  const watch = watcher;
  const seen = new Promise<HistogramWatch>((resolve) => {
    watch.onmessage = (event: MessageEvent<HistogramWatch>) => resolve(event.data);
  });
  watch.postMessage({ bins: buffer, lock: lock.state.buffer, control: control.buffer });
  return {
    op: { ...op, histogram: shareable.encodeShared(histogram) },
    async finish() {
      Atomics.store(control, 0, 0);
      const { owners, ownerIds, changes } = await seen;
      const view = new Int32Array(buffer, 0, op.bins);
      return {
        bins: Array.from({ length: op.bins }, (_, i) => Atomics.load(view, i)),
        owners,
        ownerIds: ownerIds.slice(0, 64),
        changes,
      };
    },
  };
}
