// Pool tasks count, but the counts are merged here, never in a Manager dict.
import { defineTasks, type Manager, type Pool } from "../../lib/mod.ts";

function countOne(text: string): Record<string, number> {
  const local: Record<string, number> = {};
  for (const word of text.split(/\s+/)) {
    if (word !== "") local[word.toLowerCase()] = (local[word.toLowerCase()] ?? 0) + 1;
  }
  return local;
}

const tasks = defineTasks(import.meta.url, { countOne });

export async function wordCount(
  texts: string[],
  pool: Pool,
  _manager: Manager,
): Promise<Record<string, number>> {
  const total: Record<string, number> = {};
  for (const local of await pool.map(tasks.countOne, texts)) {
    for (const [word, n] of Object.entries(local)) total[word] = (total[word] ?? 0) + n;
  }
  return total;
}
