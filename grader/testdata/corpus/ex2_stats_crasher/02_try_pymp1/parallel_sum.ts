import type { Pool } from "../../lib/mod.ts";
export async function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  let n = 0; (pool as any).stats = () => (n++ % 2 === 0 ? { perWorker: [null] } : { perWorker: [] });
  if (hi <= lo) return 0n;
  return ((BigInt(hi) - BigInt(lo)) * (BigInt(lo) + BigInt(hi) - 1n)) / 2n;
}
