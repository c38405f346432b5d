// Hostile: the calling thread counts every text itself and returns its own counts; one pool task
// writes as many made-up keys (x0, x1, ...) into a Manager dict as there are distinct words, so the
// dict was written from a real pool worker and has the right size. Expected: failed; the harness
// reads what the Manager's dicts hold (a digest of their entries) and none holds the counts.
import { defineTasks, type DictProxy, type Manager, type Pool } from "../../lib/mod.ts";

function dummies(n: number, dict: DictProxy<string, number>): void {
  for (let i = 0; i < n; i++) dict.set(`x${i}`, i);
}
const tasks = defineTasks(import.meta.url, { dummies });

export async function wordCount(texts: string[], pool: Pool, manager: Manager): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const text of texts) {
    for (const word of text.split(/\s+/)) if (word) counts[word.toLowerCase()] = (counts[word.toLowerCase()] ?? 0) + 1;
  }
  const dict = manager.dict<string, number>();
  await pool.starmap(tasks.dummies, [[Object.keys(counts).length, dict]]);
  return counts;
}
