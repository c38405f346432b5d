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
  /**
   * The greatest common divisor of the values it saw between the first and the last read, if it
   * saw any: 1 (or a few) when the count rose by ones, `times` when each worker added `times` in one
   * write.
   */
  grain?: number;
  /** The first value it read. */
  first: number;
  /** The last value it read. */
  last: number;
}

/** How long the watcher sleeps between two reads, in milliseconds (it must not take a core). */
export const WATCH_PAUSE_MS = 0.02;

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

/**
 * Reads `counter[0]` until `control[0]` drops to 0, sleeping {@linkcode WATCH_PAUSE_MS} between
 * reads, and says how the value moved.
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
  let grain = 0;
  let previous: number | undefined;
  do {
    const value = Atomics.load(counter, 0);
    if (value !== last) {
      // The value before this one was not the last: it lies between the start and the end.
      if (previous !== undefined) grain = gcd(grain, previous);
      previous = value;
      last = value;
      changes++;
    }
    Atomics.wait(control, 0, 1, WATCH_PAUSE_MS);
  } while (Atomics.load(control, 0) === 1);
  if (first !== 0 && first !== last) grain = gcd(grain, first);
  return { changes, ...(grain > 0 ? { grain } : {}), first, last };
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
