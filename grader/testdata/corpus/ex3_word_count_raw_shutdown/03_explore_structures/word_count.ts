// Hostile: the calling thread counts and writes the dict, then sends a raw `shutdown` request on
// its own connection so that the server exits before the harness reads what it counted (the read
// failed and the verdict hung on the error). Expected: failed; the server shuts down for its
// owner's connection only, so the harness reads the record and sees the calling thread's write.
import type { Manager, Pool } from "../../lib/mod.ts";
import { clients } from "../../lib/_client.ts";
import { defineTasks } from "../../lib/mod.ts";
function nothing(): number { return 0; }
const tasks = defineTasks(import.meta.url, { nothing });
export async function wordCount(texts: string[], pool: Pool, manager: Manager): Promise<Record<string, number>> {
  await pool.map(tasks.nothing, [[]]);
  const counts: Record<string, number> = {};
  for (const text of texts) {
    for (const word of text.split(/\s+/)) if (word) counts[word.toLowerCase()] = (counts[word.toLowerCase()] ?? 0) + 1;
  }
  const dict = manager.dict<string, number>();
  dict.incrementMany(Object.entries(counts) as never);
  const state = (dict as unknown as Record<symbol, () => { state: { id: string } }>)[Symbol.for("parakit.share")]!().state;
  try { clients().get(state.id)!.call(0, "shutdown", [], "bye"); } catch { /* */ }
  return counts;
}
