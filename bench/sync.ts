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
import { Barrier } from "../lib/barrier.ts";
import { Lock } from "../lib/lock.ts";
import { type BenchRow, short } from "./_bench.ts";

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

/**
 * A row comparing lib's operation with its raw baseline.
 *
 * @param name What is compared.
 * @param baselineNs The baseline's nanoseconds per operation.
 * @param libNs lib's nanoseconds per operation.
 * @returns The row: how many times slower lib's form is.
 */
export function pairRow(name: string, baselineNs: number, libNs: number): BenchRow {
  return {
    name,
    detail: `${short(libNs)} vs ${short(baselineNs)} ns per op`,
    ratio: libNs / baselineNs,
  };
}

/** Uncontended: one thread, lock + release against compareExchange + store on a raw word. */
function uncontended(ops: number): BenchRow {
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
  return pairRow(
    "Lock acquire+release, uncontended vs Atomics CAS+store",
    perOpNs(best.raw, ops),
    perOpNs(best.lib, ops),
  );
}

/**
 * Runs the sync benchmarks: lock against raw Atomics, uncontended and contended, and the lost
 * updates of two workers incrementing a Value without its lock (ratio: counted / expected).
 *
 * @param ops Operations per measurement.
 * @returns One row per comparison.
 */
export async function run(ops = 200_000): Promise<BenchRow[]> {
  const rows = [uncontended(ops)];
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
  rows.push(pairRow(
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
  rows.push({
    name: "Value without its lock: 2 workers x 1e7 counter.value += 1, counted / expected",
    detail: `${counter.value} of ${2 * times} (${2 * times - counter.value} updates lost)`,
    ratio: counter.value / (2 * times),
  });
  return rows;
}

if (import.meta.main) {
  for (const row of await run()) {
    console.log(`${row.name}: ${row.ratio.toFixed(2)} (${row.detail})`);
  }
}
