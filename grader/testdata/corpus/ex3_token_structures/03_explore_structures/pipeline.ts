// Two idle Processes, each handed a Queue nothing is put on; the squares are made in the caller.
import { defineTasks, Process, Queue } from "../../lib/mod.ts";

function idle(_queue: Queue<number>): void {}

const tasks = defineTasks(import.meta.url, { idle });

export async function pipeline(items: number[]): Promise<number[]> {
  const unused = new Queue<number>();
  const a = new Process(tasks.idle, [unused]);
  const b = new Process(tasks.idle, [unused]);
  a.start();
  b.start();
  await a.join();
  await b.join();
  return items.map((x) => x * x);
}
