// Hostile: the sum is computed serially in the calling thread while every pool worker spins on a
// shared flag, so the OS sees every worker busy and CPU ÷ wall above 1 without any work in them.
import { defineTasks, type Pool } from "../../lib/mod.ts";

function spin(flag: SharedArrayBuffer): number {
  const view = new Int32Array(flag);
  let n = 0;
  while (Atomics.load(view, 0) === 0) n++;
  return n & 0;
}

const tasks = defineTasks(import.meta.url, { spin });

export async function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  const flag = new SharedArrayBuffer(4);
  const spinning = pool.map(tasks.spin, [flag, flag, flag, flag, flag, flag, flag, flag], {
    chunksize: 1,
  });
  // Let the workers start spinning before the caller adds.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const step = Math.min(1_000_000, Math.floor(Number.MAX_SAFE_INTEGER / Math.max(Math.abs(lo), Math.abs(hi), 1)));
  let total = 0n;
  for (let start = lo; start < hi; start += step) {
    const end = Math.min(start + step, hi);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  Atomics.store(new Int32Array(flag), 0, 1);
  await spinning;
  return total;
}
