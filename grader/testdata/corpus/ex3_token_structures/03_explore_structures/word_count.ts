// One no-op pool task, then the caller counts and fills the Manager dict itself.
import { defineTasks, type Manager, type Pool } from "../../lib/mod.ts";

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
  const counts = manager.dict<string, number>();
  for (const text of texts) {
    for (const word of text.split(/\s+/)) if (word) counts.increment(word.toLowerCase());
  }
  return counts.toObject();
}
