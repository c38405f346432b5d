// Hostile: one trivial pool task, then the calling thread counts every text and writes the dict
// itself, through the proxy class's own method (DictProxy.prototype.incrementMany.call), which a
// wrapper on the proxy object never sees. Expected: failed; the Manager the harness made counts
// the writes on the connection they came on: the calling thread's.
import { defineTasks, DictProxy, type Manager, type Pool } from "../../lib/mod.ts";

function nothing(): number {
  return 0;
}

const tasks = defineTasks(import.meta.url, { nothing });

export async function wordCount(
  texts: string[],
  pool: Pool,
  manager: Manager,
): Promise<Record<string, number>> {
  await pool.map(tasks.nothing, [[]]);
  const dict = manager.dict<string, number>();
  const counts: Record<string, number> = {};
  for (const text of texts) {
    for (const word of text.split(/\s+/)) {
      if (word) counts[word.toLowerCase()] = (counts[word.toLowerCase()] ?? 0) + 1;
    }
  }
  DictProxy.prototype.incrementMany.call(dict, counts);
  return dict.toObject();
}
