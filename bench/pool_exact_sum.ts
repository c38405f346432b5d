/**
 * The lesson's program, exact: the sum of the integers in [1, 1e9), serial on the main thread
 * against the Pool on every core, in alternating rounds in one run. Blocks of 1e6 numbers are
 * summed as `number` (exact: each block's sum stays below 2^53) and the totals in `bigint`
 * (the whole sum, about 5e17, is far above `Number.MAX_SAFE_INTEGER`). Both sides are checked
 * against the closed form before their times count.
 *
 * Run alone with `deno run -A bench/pool_exact_sum.ts`.
 *
 * @module
 */
import { Pool } from "../lib/pool.ts";
import { cpuCount } from "../lib/cpu.ts";
import { type BenchRow, median, short } from "./_bench.ts";
import { sumBlock, tasks } from "./_tasks.ts";

/** The range's end (excluded), as the lesson's `ulim`. */
const LIMIT = 1_000_000_000;
/** Numbers per block. */
const BLOCK = 1_000_000;
/** Alternating rounds; the median of each side is kept. */
const ROUNDS = 5;
/** The exact sum of [1, LIMIT). */
const EXPECTED = BigInt(LIMIT - 1) * BigInt(LIMIT) / 2n;

function blocks(): [number, number][] {
  const out: [number, number][] = [];
  for (let lo = 1; lo < LIMIT; lo += BLOCK) out.push([lo, Math.min(lo + BLOCK, LIMIT)]);
  return out;
}

function serialSum(ranges: [number, number][]): bigint {
  let total = 0n;
  for (const [lo, hi] of ranges) total += BigInt(sumBlock(lo, hi));
  return total;
}

async function poolSum(pool: Pool, ranges: [number, number][]): Promise<bigint> {
  let total = 0n;
  for (const part of await pool.starmap(tasks.sumBlock, ranges)) total += BigInt(part);
  return total;
}

/**
 * Measures serial against parallel.
 *
 * @returns One row: the speedup of the pool over serial.
 * @throws {Error} If either side's sum is not exact.
 */
export async function run(): Promise<BenchRow[]> {
  const workers = cpuCount();
  const ranges = blocks();
  await using pool = new Pool({ processes: workers });
  const serial: number[] = [];
  const parallel: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    const bySerial = serialSum(ranges);
    serial.push(performance.now() - start);
    start = performance.now();
    const byPool = await poolSum(pool, ranges);
    parallel.push(performance.now() - start);
    if (bySerial !== EXPECTED || byPool !== EXPECTED) {
      throw new Error(
        `Cannot benchmark the sum: expected ${EXPECTED}: serial gave ${bySerial}, pool ${byPool}`,
      );
    }
  }
  const one = median(serial);
  const all = median(parallel);
  return [{
    name: `exact sum of [1, 1e9), ${workers} workers: serial vs pool (speedup)`,
    detail: `${short(one)} vs ${short(all)} ms, both = ${EXPECTED}`,
    ratio: one / all,
    target: `>= ${workers === 2 ? "1.9" : (0.95 * workers).toFixed(1)}`,
    met: one / all >= 0.95 * workers,
  }];
}

if (import.meta.main) console.table(await run());
