import { defineTasks, type Pool } from "../../lib/mod.ts";

function span(_lo: number, _hi: number): bigint {
  throw new Error("TODO: sum the span");
}

const tasks = defineTasks(import.meta.url, { span });

export async function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  if (hi <= lo) return 0n;
  const sums = await pool.starmap(tasks.span, [[lo, hi]]);
  return sums[0]!;
}
