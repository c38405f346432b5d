/**
 * Lost updates, seen with your own eyes: several pool workers add 1 to one shared counter many
 * times with no lock, all starting at the same moment, and the counts are printed beside the
 * expected total: short by a different amount on every run. Then the same with your own `addMany`
 * from `counter.ts`: once you have written it, it loses nothing.
 *
 * ```sh
 * deno run --allow-read exercises/03_explore_structures/lost_updates.ts [--workers 2] [--times 10000000]
 * ```
 *
 * This is a demo, not a student file: the check never runs it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpuCount, defineTasks, Pool, RawValue, Value } from "../../lib/mod.ts";
import { addMany } from "./counter.ts";

/**
 * Waits until every worker of the run has arrived, so that their loops really overlap (a worker
 * that started a millisecond late would find the others done). Gives up after a second, so a pool
 * that put two runs on one worker still finishes.
 *
 * @param ready How many workers have arrived.
 * @param workers How many are expected.
 */
function startTogether(ready: RawValue<"i">, workers: number): void {
  ready.add(1);
  const giveUp = performance.now() + 1000;
  while (ready.value < workers && performance.now() < giveUp) {
    // Spin: the others are about to arrive.
  }
}

/**
 * Adds 1 to the counter `times` times with no lock: read, add, write, while others do the same.
 *
 * @param counter The shared counter.
 * @param times How many times to add 1.
 * @param ready The start line.
 * @param workers How many workers start together.
 */
function addUnlocked(counter: RawValue<"i">, times: number, ready: RawValue<"i">, workers: number) {
  startTogether(ready, workers);
  for (let i = 0; i < times; i++) {
    counter.value += 1;
    // A program does other work between its increments; without any, the compiler would merge
    // them into one read and one write. This atomic no-op stands for that work.
    ready.add(0);
  }
}

/**
 * Runs your `addMany` from `counter.ts`, all workers starting together.
 *
 * @param counter The shared counter, with its lock.
 * @param times How many times to add 1.
 * @param ready The start line.
 * @param workers How many workers start together.
 */
function addYours(counter: Value<"i">, times: number, ready: RawValue<"i">, workers: number) {
  startTogether(ready, workers);
  addMany(counter, times);
}

const tasks = defineTasks(import.meta.url, { addUnlocked, addYours });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { workers: { type: "string" }, times: { type: "string", default: "10000000" } },
  });
  const workers = values.workers === undefined ? Math.max(2, cpuCount()) : Number(values.workers);
  const times = Number(values.times);
  if (!Number.isSafeInteger(workers) || workers < 2 || !Number.isSafeInteger(times) || times < 1) {
    console.error(
      "error: --workers must be an integer of at least 2 and --times a positive integer",
    );
    Deno.exit(2);
  }
  const expected = workers * times;
  await using pool = new Pool({ processes: workers });
  console.log(`${workers} workers each add 1 to one shared counter ${times} times.`);
  console.log(`Expected: ${expected}\n`);

  const seconds = (start: number) => (performance.now() - start) / 1000;
  const report = (label: string, count: number, seconds: number, total = expected) => {
    const lost = total - count;
    console.log(
      `${label}: ${count} (${lost} updates lost, ${(100 * lost / expected).toFixed(1)}%, ${
        seconds.toFixed(2)
      } s)`,
    );
  };
  for (let round = 1; round <= 3; round++) {
    const counter = new RawValue("i", 0);
    const ready = new RawValue("i", 0);
    const start = performance.now();
    await pool.starmap(
      tasks.addUnlocked,
      Array.from({ length: workers }, () => [counter, times, ready, workers] as const),
      { chunksize: 1 },
    );
    report(`without a lock, run ${round}`, counter.value, seconds(start));
  }
  console.log(
    "\nA lost update: two workers read the same old value, both add 1, both write it back.\n",
  );
  // Taking a contended lock costs about a microsecond: a tenth of the increments is plenty.
  const yours = Math.max(1, Math.round(times / 10));
  const counter = new Value("i", 0);
  try {
    const ready = new RawValue("i", 0);
    const start = performance.now();
    await pool.starmap(
      tasks.addYours,
      Array.from({ length: workers }, () => [counter, yours, ready, workers] as const),
      { chunksize: 1 },
    );
    console.log(`Your addMany, ${yours} times on each worker: expected ${workers * yours}`);
    report("your addMany (counter.ts)", counter.value, seconds(start), workers * yours);
    if (counter.value !== workers * yours) {
      console.log("Yours loses updates too: which steps must happen while the lock is held?");
    }
  } catch (error) {
    console.log(`Your addMany in counter.ts: ${(error as Error).message}`);
    console.log("Write it (part 1 of the README) and run this again: it must lose nothing.");
  }
}

if (import.meta.main) await main();
