/**
 * Lost updates, seen with your own eyes: several pool workers add 1 to one shared counter many
 * times, first without the lock, then with it, and the counts are printed beside the expected
 * total. Without the lock the count usually comes up short, by a different amount on every run.
 *
 * ```sh
 * deno run --allow-read exercises/03_explore_structures/lost_updates.ts [--workers 2] [--times 200000]
 * ```
 *
 * This is a demo, not a student file: the check never runs it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpuCount, defineTasks, Pool, RawValue, Value } from "../../lib/mod.ts";

/**
 * Adds 1 to the counter `times` times with no lock: read, add, write, while others do the same.
 *
 * @param counter The shared counter.
 * @param times How many times to add 1.
 */
function addUnlocked(counter: RawValue<"i">, times: number): void {
  for (let i = 0; i < times; i++) counter.value += 1;
}

/**
 * Adds 1 to the counter `times` times, each time while holding the counter's lock.
 *
 * @param counter The shared counter, with its lock.
 * @param times How many times to add 1.
 */
function addLocked(counter: Value<"i">, times: number): void {
  const lock = counter.getLock();
  for (let i = 0; i < times; i++) {
    using _ = lock.hold();
    counter.value += 1;
  }
}

const tasks = defineTasks(import.meta.url, { addUnlocked, addLocked });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { workers: { type: "string" }, times: { type: "string", default: "200000" } },
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

  for (let run = 1; run <= 3; run++) {
    const counter = new RawValue("i", 0);
    await pool.starmap(
      tasks.addUnlocked,
      Array.from({ length: workers }, () => [counter, times] as [RawValue<"i">, number]),
      { chunksize: 1 },
    );
    const lost = expected - counter.value;
    console.log(
      `without the lock, run ${run}: ${counter.value} (${lost} updates lost, ${
        (100 * lost / expected).toFixed(1)
      }%)`,
    );
  }
  const counter = new Value("i", 0);
  const start = performance.now();
  await pool.starmap(
    tasks.addLocked,
    Array.from({ length: workers }, () => [counter, times] as [Value<"i">, number]),
    { chunksize: 1 },
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `with the lock:             ${counter.value} (${expected - counter.value} lost, ${
      seconds.toFixed(2)
    } s: correct, and slower)`,
  );
  console.log(
    "\nA lost update: two workers read the same old value, both add 1, both write it back. With no\n" +
      "synchronization at all, the compiler may even keep the counter in a register and write it\n" +
      "once at the end: a run that loses exactly all but one worker's updates.",
  );
}

if (import.meta.main) await main();
