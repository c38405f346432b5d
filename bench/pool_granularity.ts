/**
 * The lesson's granularity point: `map` over 1e6 items with the default chunksize (Python's rule,
 * a few chunks per worker) against chunksize 1 (one message's worth of work per item), in
 * alternating rounds in one run.
 *
 * Run alone with `deno run -A bench/pool_granularity.ts`.
 *
 * @module
 */
import { defaultChunksize, Pool } from "../lib/pool.ts";
import { cpuCount } from "../lib/cpu.ts";
import { type BenchRow, median, short, timeMs } from "./_bench.ts";
import { tasks } from "./_tasks.ts";

/** Items per map. */
const ITEMS = 1_000_000;
/** Alternating rounds; the median of each side is kept. */
const ROUNDS = 2;

/**
 * Measures both chunksizes.
 *
 * @returns One row: chunksize 1 against the default.
 * @throws {Error} If a map returns a wrong result (checked before timing counts).
 */
export async function run(): Promise<BenchRow[]> {
  const workers = cpuCount();
  const input = Array.from({ length: ITEMS }, (_, i) => i);
  await using pool = new Pool({ processes: workers });
  const check = await pool.map(tasks.square, input, { chunksize: 1 });
  if (check.length !== ITEMS || check[ITEMS - 1] !== (ITEMS - 1) ** 2) {
    throw new Error("Cannot benchmark map: chunksize 1 gave a wrong result");
  }
  const byDefault: number[] = [];
  const one: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    byDefault.push(await timeMs(() => pool.map(tasks.square, input)));
    one.push(await timeMs(() => pool.map(tasks.square, input, { chunksize: 1 })));
  }
  const fine = median(one);
  const coarse = median(byDefault);
  return [{
    name: `map over 1e6 items, ${workers} workers: chunksize 1 vs default (${
      defaultChunksize(ITEMS, workers)
    }) (time)`,
    detail: `${short(fine)} vs ${short(coarse)} ms`,
    ratio: fine / coarse,
  }];
}

if (import.meta.main) console.table(await run());
