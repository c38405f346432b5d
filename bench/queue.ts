/**
 * Queue throughput against raw `postMessage`, side by side in one run: a worker sends N small
 * items to the main thread, through a shared {@linkcode Queue} (main thread in `get()`) and through
 * `parentPort.postMessage` (main thread in `on("message")`). Both clocks start when the main thread
 * says "go" to an already started worker.
 *
 * Run alone with `deno run -A bench/queue.ts`; `bench/main.ts` runs it with the others.
 *
 * @module
 */

import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { defineTasks, Event, Process, Queue } from "../lib/mod.ts";
import type { BenchRow } from "./_bench.ts";
import { pairRow } from "./sync.ts";

/** Puts `count` numbers once `go` is set. */
function produce(queue: Queue<number>, go: Event, count: number): void {
  go.wait();
  for (let i = 0; i < count; i++) queue.put(i);
}

/** The worker's task (this module is imported by workers; nothing else runs on import). */
export const queueBenchTasks = defineTasks(import.meta.url, { produce });

interface BaselineData {
  readonly parakitQueueBaseline: number;
}

// The raw baseline's worker: this same module, started with `workerData`.
if (!isMainThread && (workerData as Partial<BaselineData>)?.parakitQueueBaseline !== undefined) {
  const count = (workerData as BaselineData).parakitQueueBaseline;
  parentPort!.once("message", () => {
    for (let i = 0; i < count; i++) parentPort!.postMessage(i);
  });
}

async function throughQueue(count: number): Promise<number> {
  const queue = new Queue<number>();
  const go = new Event();
  await using producer = new Process(queueBenchTasks.produce, [queue, go, count]);
  producer.start();
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the worker start
  const t0 = performance.now();
  go.set();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += queue.get({ timeout: 60_000 });
  const ms = performance.now() - t0;
  await producer.join();
  if (sum !== (count * (count - 1)) / 2) throw new Error("Benchmark lost items");
  return ms;
}

async function throughPostMessage(count: number): Promise<number> {
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { parakitQueueBaseline: count } satisfies BaselineData,
  });
  await new Promise((resolve) => worker.once("online", resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  let received = 0;
  let sum = 0;
  const t0 = performance.now();
  const done = new Promise<number>((resolve) => {
    worker.on("message", (i: number) => {
      sum += i;
      if (++received === count) resolve(performance.now() - t0);
    });
  });
  worker.postMessage("go");
  const ms = await done;
  await worker.terminate();
  if (sum !== (count * (count - 1)) / 2) throw new Error("Benchmark lost messages");
  return ms;
}

/**
 * Runs the queue benchmark: the best of three rounds of each.
 *
 * @param count Items per round.
 * @returns One row: nanoseconds per item through a Queue against through postMessage.
 */
export async function run(count = 100_000): Promise<BenchRow[]> {
  let raw = Infinity;
  let lib = Infinity;
  for (let round = 0; round < 3; round++) {
    raw = Math.min(raw, await throughPostMessage(count));
    lib = Math.min(lib, await throughQueue(count));
  }
  return [
    pairRow(
      "Queue put/get, worker to main vs raw postMessage",
      (raw * 1e6) / count,
      (lib * 1e6) / count,
    ),
  ];
}

if (import.meta.main) {
  for (const row of await run()) {
    console.log(`${row.name}: ${row.ratio.toFixed(2)} (${row.detail})`);
  }
}
