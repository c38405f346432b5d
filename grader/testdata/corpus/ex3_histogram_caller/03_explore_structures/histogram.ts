// Right bins, under the lock, but filled by the calling thread: the pool is never used.
import type { Pool, SharedArray } from "../../lib/mod.ts";

// deno-lint-ignore require-await
export async function fillHistogram(
  values: number[],
  histogram: SharedArray<"i">,
  _pool: Pool,
): Promise<void> {
  const lock = histogram.getLock();
  for (const value of values) {
    using _ = lock.hold();
    histogram.array[value]! += 1;
  }
}
