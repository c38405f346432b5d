import type { Pool } from "../../lib/mod.ts";

export function parallelSum(lo: number, hi: number, _pool: Pool): Promise<bigint> {
  if (hi <= lo) return Promise.resolve(0n);
  const a = BigInt(lo);
  const b = BigInt(hi);
  return Promise.resolve(((b - a) * (a + b - 1n)) / 2n);
}
