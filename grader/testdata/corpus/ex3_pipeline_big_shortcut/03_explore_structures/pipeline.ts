// Hostile: an honest pipeline for small inputs, a shortcut for big ones. Past 1000 items it starts
// a producer and a consumer that are handed the Queue but move nothing, squares the items in the
// calling thread, and joins: the Processes were started, shared a Queue and were joined, and the
// squares are right, but nothing went through the Queue. Expected: the 40-item check passes, the
// full check fails on Linux (the threads that ended during the call used 30-60 ms of CPU time,
// where moving 100000 items takes 350-380 ms).
import { defineTasks, Process, Queue } from "../../lib/mod.ts";

type Item = number | null;

function produce(items: number[], output: Queue<Item>): void {
  for (const item of items) output.put(item);
  output.put(null);
}

function consume(input: Queue<Item>, output: Queue<Item>): void {
  for (let item = input.get(); item !== null; item = input.get()) output.put(item * item);
  output.put(null);
}

function idle(_queue: Queue<Item>): void {}

const tasks = defineTasks(import.meta.url, { produce, consume, idle });

export async function pipeline(items: number[]): Promise<number[]> {
  const numbers = new Queue<Item>();
  const squares = new Queue<Item>();
  if (items.length > 1000) {
    const idlers = [new Process(tasks.idle, [numbers]), new Process(tasks.idle, [numbers])];
    for (const process of idlers) process.start();
    for (const process of idlers) await process.join();
    return items.map((x) => x * x);
  }
  const producer = new Process(tasks.produce, [items, numbers], { name: "producer" });
  const consumer = new Process(tasks.consume, [numbers, squares], { name: "consumer" });
  producer.start();
  consumer.start();
  const results: number[] = [];
  for (let item = await squares.getAsync(); item !== null; item = await squares.getAsync()) {
    results.push(item);
  }
  await producer.join();
  await consumer.join();
  return results;
}
