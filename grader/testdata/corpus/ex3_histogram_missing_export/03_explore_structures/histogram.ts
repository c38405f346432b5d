// Exports the function under another name: the grader finds no fillHistogram.
import type { Pool, SharedArray } from "../../lib/mod.ts";

export async function fill(values: number[], histogram: SharedArray<"i">, pool: Pool) {
  await pool.map({ module: import.meta.url, name: "none" } as never, values);
  return histogram;
}
