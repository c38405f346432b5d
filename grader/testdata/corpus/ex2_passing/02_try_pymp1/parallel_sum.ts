import { defineTasks, type Pool } from "../../lib/mod.ts";

function span(lo: number, hi: number): bigint {
  // Each block's own sum must stay below 2^53.
  const size = Math.max(1, Math.floor(Number.MAX_SAFE_INTEGER / Math.max(Math.abs(lo), Math.abs(hi), 1)));
  const step = Math.min(size, 100_000);
  let total = 0n;
  for (let start = lo; start < hi; start += step) {
    const end = Math.min(start + step, hi);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  return total;
}

const tasks = defineTasks(import.meta.url, { span });

export async function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  if (hi <= lo) return 0n;
  const parts = Math.min(hi - lo, 8);
  const spans: [number, number][] = [];
  for (let k = 0; k < parts; k++) {
    spans.push([lo + Math.floor(((hi - lo) * k) / parts), lo + Math.floor(((hi - lo) * (k + 1)) / parts)]);
  }
  const sums = await pool.starmap(tasks.span, spans);
  return sums.reduce((a, b) => a + b, 0n);
}
