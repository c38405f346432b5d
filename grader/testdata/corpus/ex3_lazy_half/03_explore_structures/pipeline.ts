// Two processes are started and joined, but no Queue links them: the squares are made here.
import { defineTasks, Process } from "../../lib/mod.ts";

function idle(_items: number[]): void {}

const tasks = defineTasks(import.meta.url, { idle });

export async function pipeline(items: number[]): Promise<number[]> {
  const a = new Process(tasks.idle, [items]);
  const b = new Process(tasks.idle, [items]);
  a.start();
  b.start();
  await a.join();
  await b.join();
  return items.map((x) => x * x);
}
