import type { Pool } from "../../lib/mod.ts";

// Waits for callbacks that are never registered: a promise that never resolves.
export function countPrimes(_limit: number, _pool: Pool): Promise<number> {
  return new Promise(() => {});
}
