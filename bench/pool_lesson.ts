/**
 * The lesson's granularity, exact: [1, 1e8) cut into 1e5 tasks of 1000 numbers (exercise 1's
 * `pymp1.ts` at ulim = 1e8). Three sides in interleaved rounds in one run, each checked against the
 * closed form before its time counts:
 *
 * - the Pool: `pool.map(tasks.sumChunk, list)` with the default chunksize, the sums added as
 *   `bigint`;
 * - the floor: a hand-written raw `node:worker_threads` program on as many workers, sending the
 *   same list in as many messages as the pool has chunks (`4 × workers`) and calling the same
 *   `sumChunk` once per range (`_raw_sum_worker.ts`);
 * - serial: the exact sum on the main thread, in blocks of 1e6 numbers summed as `number`.
 *
 * The row is the pool's time over the floor's: what the library costs at the lesson's own
 * granularity. Its detail also gives each side's busy time per task, measured in the workers.
 *
 * Run alone with `deno run -A --v8-flags=--no-maglev bench/pool_lesson.ts`.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import { Pool } from "../lib/pool.ts";
import { cpuCount } from "../lib/cpu.ts";
import { type BenchRow, median, short } from "./_bench.ts";
import { tasks } from "./_tasks.ts";

/** The range's end (excluded): the lesson's ulim, as `deno task check 1` runs it. */
const LIMIT = 100_000_000;
/** Numbers per task, as in the lesson. */
const TASK_SIZE = 1000;
/** Numbers per block of the serial sum (each block's sum stays below 2^53). */
const BLOCK = 1_000_000;
/** Interleaved rounds; the median of each side is kept. */
const ROUNDS = 8;
/** The exact sum of [1, LIMIT). */
const EXPECTED = BigInt(LIMIT - 1) * BigInt(LIMIT) / 2n;
/** The pool's time over the floor's must not pass this. */
const TARGET = 1.2;

/** A side's time and its workers' busy milliseconds. */
interface Timed {
  readonly ms: number;
  readonly busyMs: number;
}

function taskList(): [number, number][] {
  const list: [number, number][] = [];
  for (let x = 1; x < LIMIT; x += TASK_SIZE) list.push([x, Math.min(x + TASK_SIZE, LIMIT)]);
  return list;
}

function serialSum(): bigint {
  let total = 0n;
  for (let lo = 1; lo < LIMIT; lo += BLOCK) {
    const hi = Math.min(lo + BLOCK, LIMIT);
    let block = 0;
    for (let i = lo; i < hi; i++) block += i;
    total += BigInt(block);
  }
  return total;
}

function addUp(sums: Iterable<number>): bigint {
  let total = 0n;
  for (const sum of sums) total += BigInt(sum);
  return total;
}

function check(side: string, sum: bigint): void {
  if (sum !== EXPECTED) {
    throw new Error(`Cannot benchmark the lesson's map: ${side} gave ${sum}: expected ${EXPECTED}`);
  }
}

async function onPool(pool: Pool, list: [number, number][]): Promise<Timed> {
  const busyBefore = poolBusyMs(pool);
  const start = performance.now();
  const sum = addUp(await pool.map(tasks.sumChunk, list));
  const ms = performance.now() - start;
  check("the pool", sum);
  return { ms, busyMs: poolBusyMs(pool) - busyBefore };
}

function poolBusyMs(pool: Pool): number {
  return pool.stats().perWorker.reduce((total, worker) => total + worker.busyMs, 0);
}

/** The floor: the list in `4 × workers` messages, round robin, the sums added in order. */
function onRaw(workers: Worker[], list: [number, number][]): Promise<Timed> {
  const batches = 4 * workers.length;
  const size = Math.ceil(list.length / batches);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const answers: number[][] = new Array(batches);
    let left = batches;
    let busyMs = 0;
    const onAnswer = (answer: { id: number; sums: number[]; busyMs: number }) => {
      answers[answer.id] = answer.sums;
      busyMs += answer.busyMs;
      if (--left > 0) return;
      const sum = addUp(answers.flat());
      const ms = performance.now() - start;
      for (const worker of workers) worker.off("message", onAnswer);
      try {
        check("the raw program", sum);
        resolve({ ms, busyMs });
      } catch (error) {
        reject(error);
      }
    };
    for (const worker of workers) worker.on("message", onAnswer);
    for (let id = 0; id < batches; id++) {
      const ranges = list.slice(id * size, (id + 1) * size);
      workers[id % workers.length]!.postMessage({ id, ranges });
    }
  });
}

/**
 * Measures the three sides.
 *
 * @returns Two rows: the pool against the raw floor (with a target), and serial against the pool.
 * @throws {Error} If a side's sum is not exact.
 */
export async function run(): Promise<BenchRow[]> {
  const threads = cpuCount();
  const list = taskList();
  const url = new URL("./_raw_sum_worker.ts", import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(url));
  const pool = new Pool({ processes: threads });
  const rounds = { pool: [] as Timed[], raw: [] as Timed[], serial: [] as number[] };
  try {
    // Warm up every side once (worker start, JIT), then interleave.
    await onRaw(workers, list);
    await onPool(pool, list);
    check("the serial sum", serialSum());
    for (let round = 0; round < ROUNDS; round++) {
      rounds.raw.push(await onRaw(workers, list));
      rounds.pool.push(await onPool(pool, list));
      const start = performance.now();
      const sum = serialSum();
      rounds.serial.push(performance.now() - start);
      check("the serial sum", sum);
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
    pool.close();
    await pool.join();
  }
  const ours = median(rounds.pool.map((side) => side.ms));
  const floor = median(rounds.raw.map((side) => side.ms));
  const serial = median(rounds.serial);
  const usPerTask = (sides: Timed[]) =>
    median(sides.map((side) => side.busyMs)) * 1000 / list.length;
  return [
    {
      name:
        `lesson's map, 1e5 tasks of 1000 numbers, ${threads} workers: pool vs hand-batched raw worker_threads (time)`,
      detail: `${short(ours)} vs ${short(floor)} ms (serial ${short(serial)} ms); busy ${
        short(usPerTask(rounds.pool))
      } vs ${short(usPerTask(rounds.raw))} µs per task`,
      ratio: ours / floor,
      target: `<= ${TARGET}`,
      met: ours / floor <= TARGET,
    },
    {
      name: `lesson's map, 1e5 tasks of 1000 numbers, ${threads} workers: serial vs pool (speedup)`,
      detail: `${short(serial)} vs ${short(ours)} ms, all = ${EXPECTED}`,
      ratio: serial / ours,
    },
  ];
}

if (import.meta.main) console.table(await run());
