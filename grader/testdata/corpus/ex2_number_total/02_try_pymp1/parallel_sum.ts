import { defineTasks, type Pool } from "../../lib/mod.ts";

function span(lo: number, hi: number): number {
  let total = 0;
  for (let i = lo; i < hi; i++) total += i;
  return total;
}

const tasks = defineTasks(import.meta.url, { span });

export async function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  if (hi <= lo) return 0n;
  const parts = Math.min(hi - lo, 4);
  const spans: [number, number][] = [];
  for (let k = 0; k < parts; k++) {
    spans.push([lo + Math.floor(((hi - lo) * k) / parts), lo + Math.floor(((hi - lo) * (k + 1)) / parts)]);
  }
  const sums = await pool.starmap(tasks.span, spans);
  return BigInt(sums.reduce((a, b) => a + b, 0));
}
