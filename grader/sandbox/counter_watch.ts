/**
 * A trusted Worker of the sandbox harness that watches exercise 3's shared counter while the
 * student's workers increment it. The harness made the counter's shared memory itself; this thread
 * reads it (never writes it) and runs no student code, so what it reports is the harness's own
 * observation: how the count rose, not what the student's code says it did.
 *
 * One `addMany(counter, times)` that adds 1 under the lock `times` times makes the count pass
 * through every value: a watcher that reads it while the workers run sees it rise in small steps.
 * A single `counter.value += times` (however padded with other calls) only ever jumps by `times`.
 *
 * Protocol: the harness posts `{ counter, control }` (two SharedArrayBuffers: the counter's
 * Int32 at index 0, and a control Int32Array whose index 0 is 1 while watching); the watcher reads
 * the count until the harness sets `control[0]` to 0, then posts a {@linkcode CounterWatch}.
 *
 * @module
 */

/** What the watcher saw of the count during one run. */
export interface CounterWatch {
  /** How many times it saw the count change. */
  changes: number;
  /** The smallest rise between two values it saw in a row, if it saw a rise. */
  smallestStep?: number;
  /** The first value it read. */
  first: number;
  /** The last value it read. */
  last: number;
}

/** The most changes counted (bounds the work per run). */
const MAX_CHANGES = 1_000_000;

/**
 * Reads `counter[0]` until `control[0]` drops to 0, and says how the value moved.
 *
 * @param counter The counter's shared Int32 view.
 * @param control The control word (1 while watching).
 * @returns What was seen.
 *
 * @example Usage
 * ```ts
 * import { watchCounter } from "./counter_watch.ts";
 * import { equal } from "node:assert/strict";
 *
 * const counter = new Int32Array(new SharedArrayBuffer(8));
 * const control = new Int32Array(new SharedArrayBuffer(4)); // 0: stop at once
 * equal(watchCounter(counter, control).changes, 0);
 * ```
 */
export function watchCounter(counter: Int32Array, control: Int32Array): CounterWatch {
  const first = Atomics.load(counter, 0);
  let last = first;
  let changes = 0;
  let smallestStep = Infinity;
  do {
    const value = Atomics.load(counter, 0);
    if (value !== last) {
      if (value > last) smallestStep = Math.min(smallestStep, value - last);
      last = value;
      if (changes < MAX_CHANGES) changes++;
    }
  } while (Atomics.load(control, 0) === 1);
  return { changes, ...(Number.isFinite(smallestStep) ? { smallestStep } : {}), first, last };
}

if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined") {
  const scope = self as unknown as {
    postMessage(message: unknown): void;
    onmessage: ((event: MessageEvent) => void) | null;
  };
  scope.onmessage = (event: MessageEvent) => {
    const { counter, control } = event.data as {
      counter: SharedArrayBuffer;
      control: SharedArrayBuffer;
    };
    scope.postMessage(watchCounter(new Int32Array(counter, 0, 1), new Int32Array(control)));
  };
}
