// Fills the histogram on the pool's workers at once, but without the lock: two workers that read
// the same bin at once both write it back plus one, and counts are lost.
import { defineTasks, type Pool, type SharedArray } from "../../lib/mod.ts";

function addChunk(values: number[], histogram: SharedArray<"i">): void {
  for (const value of values) histogram.array[value]! += 1;
}

const tasks = defineTasks(import.meta.url, { addChunk });

export async function fillHistogram(
  values: number[],
  histogram: SharedArray<"i">,
  pool: Pool,
): Promise<void> {
  const half = values.length >> 1;
  await Promise.all([
    pool.apply(tasks.addChunk, [values.slice(0, half), histogram]),
    pool.apply(tasks.addChunk, [values.slice(half), histogram]),
  ]);
}
