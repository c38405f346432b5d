// Joins both processes before it reads the squares: right for a few items, a deadlock once the
// squares fill the Queue's buffer (the consumer waits to put, pipeline waits in join()).
import { defineTasks, Process, Queue } from "../../lib/mod.ts";

function produce(items: number[], output: Queue<number | null>): void {
  for (const item of items) output.put(item);
  output.put(null);
}

function consume(input: Queue<number | null>, output: Queue<number | null>): void {
  for (let item = input.get(); item !== null; item = input.get()) output.put(item * item);
  output.put(null);
}

const tasks = defineTasks(import.meta.url, { produce, consume });

export async function pipeline(items: number[]): Promise<number[]> {
  const numbers = new Queue<number | null>();
  const squares = new Queue<number | null>();
  const producer = new Process(tasks.produce, [items, numbers]);
  const consumer = new Process(tasks.consume, [numbers, squares]);
  producer.start();
  consumer.start();
  await producer.join();
  await consumer.join();
  const results: number[] = [];
  for (let item = await squares.getAsync(); item !== null; item = await squares.getAsync()) {
    results.push(item);
  }
  return results;
}
