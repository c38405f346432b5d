import { defineTasks, type Manager, type Pool } from "../../lib/mod.ts";
import type { DictProxy } from "../../lib/mod.ts";

function countText(text: string, dict: DictProxy<string, number>): void {
  const counts: Record<string, number> = {};
  for (const word of text.split(/\s+/)) {
    if (word === "") continue;
    const key = word.toLowerCase();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  dict.incrementMany(counts);
}

const tasks = defineTasks(import.meta.url, { countText });

export async function wordCount(
  texts: string[],
  pool: Pool,
  manager: Manager,
): Promise<Record<string, number>> {
  const dict = manager.dict<string, number>();
  await pool.starmap(tasks.countText, texts.map((text) => [text, dict] as [string, typeof dict]));
  return dict.toObject();
}
