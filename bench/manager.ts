/**
 * A Manager dict operation's round trip against a raw message round trip, side by side in one
 * run: `dict.increment(key)` from the main thread (a synchronous call: request and answer through
 * shared rings) against `postMessage` to a worker that answers, awaited one at a time.
 *
 * Run alone with `deno run -A bench/manager.ts`; `bench/main.ts` runs it with the others.
 *
 * @module
 */

import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { Manager } from "../lib/mod.ts";
import type { BenchRow } from "./_bench.ts";
import { pairRow } from "./sync.ts";

// The raw baseline's worker: this same module, started with `workerData`, echoes each message.
if (!isMainThread && (workerData as { parakitEcho?: boolean } | undefined)?.parakitEcho) {
  parentPort!.on("message", (message: unknown) => parentPort!.postMessage(message));
}

async function rawRoundTrips(count: number): Promise<number> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { parakitEcho: true } });
  await new Promise((resolve) => worker.once("online", resolve));
  const echo = (message: number) =>
    new Promise<number>((resolve) => {
      worker.once("message", resolve);
      worker.postMessage(message);
    });
  for (let i = 0; i < 100; i++) await echo(i); // warm up
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await echo(i);
  const ms = performance.now() - t0;
  await worker.terminate();
  return ms;
}

async function managerRoundTrips(count: number): Promise<number> {
  await using manager = new Manager();
  const dict = manager.dict<string, number>();
  for (let i = 0; i < 100; i++) dict.increment("warm");
  const t0 = performance.now();
  for (let i = 0; i < count; i++) dict.increment("n");
  const ms = performance.now() - t0;
  if (dict.get("n") !== count) throw new Error("Benchmark miscounted");
  return ms;
}

/**
 * Runs the manager benchmark: the best of three rounds of each.
 *
 * @param count Round trips per round.
 * @returns One row: nanoseconds per manager dict call against per raw message round trip.
 */
export async function run(count = 5_000): Promise<BenchRow[]> {
  let raw = Infinity;
  let lib = Infinity;
  for (let round = 0; round < 3; round++) {
    raw = Math.min(raw, await rawRoundTrips(count));
    lib = Math.min(lib, await managerRoundTrips(count));
  }
  return [
    pairRow(
      "Manager dict.increment() round trip vs raw postMessage round trip",
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
