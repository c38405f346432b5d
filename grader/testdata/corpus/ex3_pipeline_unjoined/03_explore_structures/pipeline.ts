import { defineTasks, Process, Queue } from "../../lib/mod.ts";

function produce(items: Queue<number | null>, values: number[]): void {
  for (const value of values) items.put(value);
  items.put(null);
}

function square(items: Queue<number | null>, squares: Queue<number | null>): void {
  while (true) {
    const value = items.get();
    if (value === null) break;
    squares.put(value * value);
  }
  squares.put(null);
  // Then never ends: nobody joins it, so nobody notices.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

const tasks = defineTasks(import.meta.url, { produce, square });

export async function pipeline(values: number[]): Promise<number[]> {
  const items = new Queue<number | null>();
  const squares = new Queue<number | null>();
  const producer = new Process(tasks.produce, [items, values]);
  const consumer = new Process(tasks.square, [items, squares]);
  producer.start();
  consumer.start();
  const out: number[] = [];
  while (true) {
    const value = await squares.getAsync();
    if (value === null) break;
    out.push(value);
  }
  // Returns without joining: the consumer may still be running.
  return out;
}
