/**
 * No-op task throughput, one task per `applyAsync` call with the queue kept full (as piscina's own
 * benchmark does), against the floor of raw pipelined `postMessage` to as many workers, and
 * against piscina under Deno; the three measured in alternating rounds in one run.
 *
 * Run alone with `deno run -A bench/pool_throughput.ts`.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import { Piscina } from "piscina";
import { Pool } from "../lib/pool.ts";
import { cpuCount } from "../lib/cpu.ts";
import { type BenchRow, median, short } from "./_bench.ts";
import { tasks } from "./_tasks.ts";

/** Tasks (or messages) per measured round. */
const PER_ROUND = 200_000;
/** Tasks kept in flight. */
const IN_FLIGHT = 2_000;
/** Alternating rounds; the median of each side is kept. */
const ROUNDS = 3;

/**
 * Keeps `IN_FLIGHT` calls running until `total` have finished.
 *
 * @returns Milliseconds taken.
 */
function keepFull(total: number, start: (done: () => void) => void): Promise<number> {
  return new Promise((resolve) => {
    const began = performance.now();
    let started = 0;
    let finished = 0;
    const done = () => {
      finished++;
      if (started < total) {
        started++;
        start(done);
      } else if (finished === total) {
        resolve(performance.now() - began);
      }
    };
    for (; started < Math.min(IN_FLIGHT, total); started++) start(done);
  });
}

async function rawFloor(workers: Worker[], total: number): Promise<number> {
  let next = 0;
  // Every message's completion is the same `done`: no per-message bookkeeping on the floor.
  let done = () => {};
  for (const worker of workers) {
    worker.removeAllListeners("message");
    worker.on("message", () => done());
  }
  return await keepFull(total, (finish) => {
    done = finish;
    workers[next++ % workers.length]!.postMessage(0);
  });
}

/**
 * Measures the three sides.
 *
 * @returns Two rows: pool against the raw floor, pool against piscina.
 */
export async function run(): Promise<BenchRow[]> {
  const threads = cpuCount();
  const url = new URL("./_echo_worker.ts", import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(url));
  const pool = new Pool({ processes: threads });
  const piscina = new Piscina({
    filename: new URL("./_piscina_worker.ts", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  });
  const noop = () => {};
  const rounds = { floor: [] as number[], pool: [] as number[], piscina: [] as number[] };
  try {
    // Warm up every side once (worker start, JIT), then alternate.
    await rawFloor(workers, 20_000);
    await keepFull(20_000, (done) => void pool.applyAsync(tasks.noop, [], { callback: done }));
    await keepFull(20_000, (done) => void piscina.run(null, { name: "noop" }).then(done, noop));
    for (let round = 0; round < ROUNDS; round++) {
      rounds.floor.push(await rawFloor(workers, PER_ROUND));
      rounds.pool.push(
        await keepFull(PER_ROUND, (done) => {
          pool.applyAsync(tasks.noop, [], { callback: done, errorCallback: done });
        }),
      );
      rounds.piscina.push(
        await keepFull(PER_ROUND / 4, (done) => {
          piscina.run(null, { name: "noop" }).then(done, done);
        }) * 4,
      );
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    pool.close();
    await pool.join();
    await piscina.destroy();
  }
  const usPerTask = (ms: number) => ms * 1000 / PER_ROUND;
  const floor = usPerTask(median(rounds.floor));
  const ours = usPerTask(median(rounds.pool));
  const theirs = usPerTask(median(rounds.piscina));
  const perSecond = (us: number) => `${short(1e6 / us)}/s`;
  return [
    {
      name: `no-op applyAsync, ${threads} workers: pool vs raw postMessage floor (time per task)`,
      detail: `${short(ours)} vs ${short(floor)} µs (${perSecond(ours)} vs ${perSecond(floor)})`,
      ratio: ours / floor,
      target: "<= 1.5",
      met: ours / floor <= 1.5,
    },
    {
      name: `no-op tasks, ${threads} workers: pool vs piscina 5 (tasks per second)`,
      detail: `${perSecond(ours)} vs ${perSecond(theirs)}`,
      ratio: theirs / ours,
      target: ">= 3",
      met: theirs / ours >= 3,
    },
  ];
}

if (import.meta.main) console.table(await run());
