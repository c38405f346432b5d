/**
 * Starting Processes inside a Worker (where the grader's sandbox runs the student's code), cold
 * against on spares (`prestartWorkers`), side by side in one run: two no-op Processes started at
 * once and joined, as exercise 3's pipeline starts its producer and consumer. On Deno 2.9.6 a
 * worker started by a worker waits out a 500 ms inspector grace period before it runs any code
 * (see ARCHITECTURE.md, the sandbox); a spare has waited it out already.
 *
 * Run alone with `deno run -A bench/process_start.ts`; `bench/main.ts` runs it with the others.
 *
 * @module
 */
import { prestartWorkers, Process } from "../lib/mod.ts";
import { type BenchRow, median, short } from "./_bench.ts";
import { tasks } from "./_tasks.ts";

/** Rounds of each side. */
const ROUNDS = 3;

/** Starts two no-op Processes at once and joins them; milliseconds. */
async function startTwo(): Promise<number> {
  const t0 = performance.now();
  const processes = [new Process(tasks.noop, []), new Process(tasks.noop, [])];
  for (const process of processes) process.start();
  for (const process of processes) await process.join();
  if (processes.some((process) => process.exitCode !== 0)) throw new Error("A Process failed");
  return performance.now() - t0;
}

/** The Worker's side: measures both ways and posts `[cold, spare]` medians in ms. */
async function measureInWorker(): Promise<[number, number]> {
  const cold: number[] = [];
  const spare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    cold.push(await startTwo());
    await prestartWorkers(2);
    spare.push(await startTwo());
    await prestartWorkers(0);
  }
  return [median(cold), median(spare)];
}

const scope = globalThis as unknown as {
  WorkerGlobalScope?: unknown;
  postMessage(message: unknown): void;
  close(): void;
};
if (scope.WorkerGlobalScope !== undefined && self.name === "process-start-bench") {
  scope.postMessage(await measureInWorker());
  scope.close();
}

/**
 * Runs the benchmark in a Worker, as the sandbox runs the student's code.
 *
 * @returns One row: on spares against cold, with a target of at most 0.3.
 */
export async function run(): Promise<BenchRow[]> {
  const worker = new Worker(import.meta.url, { type: "module", name: "process-start-bench" });
  const [cold, spare] = await new Promise<[number, number]>((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.onerror = (event) => reject(event.error ?? new Error(event.message));
  });
  worker.terminate();
  const ratio = spare / cold;
  return [{
    name: "2 Processes started and joined inside a Worker: on spares vs cold",
    detail: `${short(spare)} vs ${short(cold)} ms`,
    ratio,
    target: "<= 0.3",
    met: ratio <= 0.3,
  }];
}

if (import.meta.main) console.log(await run());
