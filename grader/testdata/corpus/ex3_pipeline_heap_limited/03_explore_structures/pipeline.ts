// Honest: the solution's pipeline, with a heap limit on each Process (maxHeapMb). Such a Process
// takes no spare worker: its thread starts and ends during the call, which two looks of the OS
// around the call never see. Expected: both pipeline checks passed (the thread list is watched
// during the call).
/**
 * Part 2, a producer and a consumer: two `Process`es joined by `Queue`s, with `null` as the end
 * marker.
 *
 * @module
 */
import { defineTasks, Process, Queue } from "../../lib/mod.ts";

/** What travels on the queues: a number, or `null` for "no more items". */
type Item = number | null;

/**
 * The producer: puts every item on the queue, then the end marker.
 *
 * @param items The numbers to send.
 * @param output The queue to the consumer.
 */
function produce(items: number[], output: Queue<Item>): void {
  for (const item of items) output.put(item);
  output.put(null);
}

/**
 * The consumer: takes items off the input queue until the end marker, puts each square on the
 * output queue, then passes the end marker on.
 *
 * @param input The queue from the producer.
 * @param output The queue back to the caller.
 */
function consume(input: Queue<Item>, output: Queue<Item>): void {
  for (let item = input.get(); item !== null; item = input.get()) output.put(item * item);
  output.put(null);
}

const tasks = defineTasks(import.meta.url, { produce, consume });

/**
 * Squares every item in a separate consumer process: a producer process puts the items on a queue,
 * the consumer takes them off, squares them and puts the squares on a second queue, which this
 * function reads. Both processes are joined before it returns.
 *
 * The squares are read *before* the processes are joined: a process that has put items on a queue
 * may not end until they are taken off (Python's documentation warns of the same deadlock).
 *
 * @param items The numbers to square.
 * @returns The squares, in the order of `items` (one producer, one consumer: the order holds).
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "./pipeline.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(await pipeline([1, -2, 3]), [1, 4, 9]);
 * ```
 */
export async function pipeline(items: number[]): Promise<number[]> {
  const numbers = new Queue<Item>();
  const squares = new Queue<Item>();
  const producer = new Process(tasks.produce, [items, numbers], { name: "producer", maxHeapMb: 64 });
  const consumer = new Process(tasks.consume, [numbers, squares], { name: "consumer", maxHeapMb: 64 });
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
