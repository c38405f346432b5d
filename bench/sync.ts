/**
 * Lock acquire/release against raw `Atomics` operations, uncontended (one thread) and contended
 * (two workers on one lock), measured side by side in one run; and the lesson's lost updates: two
 * workers incrementing a `Value` without its lock.
 *
 * Run alone with `deno run -A bench/sync.ts`; `bench/main.ts` runs it with the others.
 *
 * @module
 */

import { defineTasks, Process, RawArray, RawValue, Value } from "../lib/mod.ts";
import { Barrier, Lock } from "../lib/sync.ts";

/** One measured pair: a lib operation against its raw baseline. */
export interface BenchPair {
  /** What was measured. */
  readonly name: string;
  /** Nanoseconds per operation of the baseline. */
  readonly baselineNs: number;
  /** Nanoseconds per operation of lib's operation. */
  readonly libNs: number;
  /** `libNs / baselineNs`: how many times slower lib's form is. */
  readonly ratio: number;
}

/** Where a worker writes its elapsed milliseconds, and which slot is its own. */
type Clock = [RawArray<"d">, number];

/** Increments `counter` `times` times under `lock`, timing the loop into `clock`. */
function lockedIncrements(
  counter: RawValue<"i">,
  lock: Lock,
  start: Barrier,
  times: number,
  [elapsed, slot]: Clock,
): void {
  start.wait();
  const t0 = performance.now();
  for (let i = 0; i < times; i++) {
    lock.acquire();
    counter.value += 1;
    lock.release();
  }
  elapsed.array[slot] = performance.now() - t0;
}

/** Increments `counter` `times` times with `Atomics.add`, timing the loop into `clock`. */
function atomicIncrements(
  counter: RawValue<"i">,
  _lock: Lock,
  start: Barrier,
  times: number,
  [elapsed, slot]: Clock,
): void {
  start.wait();
  const t0 = performance.now();
  for (let i = 0; i < times; i++) counter.add(1);
  elapsed.array[slot] = performance.now() - t0;
}

/** Increments `counter.value` without the lock, as the lesson warns against. */
function unlockedIncrements(counter: Value<"i">, start: Barrier, times: number): void {
  start.wait();
  for (let i = 0; i < times; i++) counter.value += 1;
}

/** The workers' tasks (this module is imported by them; nothing else runs on import). */
export const syncTasks = defineTasks(import.meta.url, {
  lockedIncrements,
  atomicIncrements,
  unlockedIncrements,
});

/**
 * Runs a task in two Processes at once (a Pool may give both calls to one worker, where a Barrier
 * would wait for ever) and returns the slower one's elapsed milliseconds.
 */
async function twoWorkers(
  task: typeof syncTasks.lockedIncrements,
  counter: RawValue<"i">,
  times: number,
): Promise<number> {
  const elapsed = new RawArray("d", 2);
  const start = new Barrier(2);
  const lock = new Lock();
  const processes = [0, 1].map((slot) =>
    new Process(task, [counter, lock, start, times, [elapsed, slot]])
  );
  for (const process of processes) process.start();
  for (const process of processes) await process.join();
  return Math.max(...elapsed.toArray());
}

function perOpNs(ms: number, ops: number): number {
  return (ms * 1e6) / ops;
}

function pair(name: string, baselineNs: number, libNs: number): BenchPair {
  return { name, baselineNs, libNs, ratio: libNs / baselineNs };
}

/** Uncontended: one thread, lock + release against compareExchange + store on a raw word. */
function uncontended(ops: number): BenchPair {
  const word = new Int32Array(new SharedArrayBuffer(4));
  const lock = new Lock();
  let best = { raw: Infinity, lib: Infinity };
  for (let round = 0; round < 5; round++) {
    let t0 = performance.now();
    for (let i = 0; i < ops; i++) {
      Atomics.compareExchange(word, 0, 0, 1);
      Atomics.store(word, 0, 0);
    }
    const raw = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < ops; i++) {
      lock.acquire();
      lock.release();
    }
    const lib = performance.now() - t0;
    best = { raw: Math.min(best.raw, raw), lib: Math.min(best.lib, lib) };
  }
  return pair(
    "Lock acquire+release, uncontended vs Atomics CAS+store",
    perOpNs(best.raw, ops),
    perOpNs(best.lib, ops),
  );
}

/** Results of {@linkcode benchSync}. */
export interface SyncBench {
  /** The measured pairs. */
  readonly pairs: BenchPair[];
  /** Two workers × `times` unlocked `counter.value += 1`: what the counter ended at. */
  readonly lostUpdates: { readonly expected: number; readonly counted: number };
}

/**
 * Runs the sync benchmarks.
 *
 * @param ops Operations per measurement.
 * @returns The pairs and the lost-update demonstration.
 */
export async function benchSync(ops = 200_000): Promise<SyncBench> {
  const pairs = [uncontended(ops)];
  let best = { raw: Infinity, lib: Infinity };
  for (let round = 0; round < 3; round++) {
    const atomic = new RawValue("i", 0);
    const rawMs = await twoWorkers(syncTasks.atomicIncrements, atomic, ops);
    const locked = new RawValue("i", 0);
    const libMs = await twoWorkers(syncTasks.lockedIncrements, locked, ops);
    if (atomic.value !== 2 * ops || locked.value !== 2 * ops) {
      throw new Error(`Benchmark miscounted: ${atomic.value} and ${locked.value} of ${2 * ops}`);
    }
    best = { raw: Math.min(best.raw, rawMs), lib: Math.min(best.lib, libMs) };
  }
  pairs.push(pair(
    "Lock acquire+increment+release, 2 workers contended vs Atomics.add",
    perOpNs(best.raw, 2 * ops),
    perOpNs(best.lib, 2 * ops),
  ));
  const counter = new Value("i", 0);
  const times = 10_000_000;
  const start = new Barrier(2);
  const racers = [0, 1].map(() =>
    new Process(syncTasks.unlockedIncrements, [counter, start, times])
  );
  for (const racer of racers) racer.start();
  for (const racer of racers) await racer.join();
  return { pairs, lostUpdates: { expected: 2 * times, counted: counter.value } };
}

/**
 * Formats a pair as one line.
 *
 * @param p The pair.
 * @returns `name: lib X ns/op, baseline Y ns/op, ratio Z×`.
 */
export function formatPair(p: BenchPair): string {
  return `${p.name}: ${p.libNs.toFixed(0)} ns/op vs ${p.baselineNs.toFixed(0)} ns/op = ${
    p.ratio.toFixed(1)
  }x`;
}

/**
 * Prints the sync benchmarks.
 *
 * @returns Once printed.
 */
export async function main(): Promise<void> {
  const { pairs, lostUpdates } = await benchSync();
  for (const p of pairs) console.log(formatPair(p));
  const lost = lostUpdates.expected - lostUpdates.counted;
  console.log(
    `Value without its lock, 2 workers x 1e7 "counter.value += 1": counted ${lostUpdates.counted} of ${lostUpdates.expected} (${lost} updates lost)`,
  );
}

if (import.meta.main) await main();
