/**
 * Part 2, a producer and a consumer: two `Process`es that talk through `Queue`s.
 *
 * @module
 */

/**
 * Squares every item in a separate consumer process: a producer process puts the items on a queue,
 * the consumer takes them off, squares them and puts the squares on a second queue, which this
 * function reads. Both processes are joined before it returns.
 *
 * @param items The numbers to square.
 * @returns The squares, in the order of `items`.
 */
export function pipeline(items: number[]): Promise<number[]> {
  // TODO: define the producer and consumer tasks with defineTasks(import.meta.url, { ... }),
  // start one Process for each with the queues as arguments, read the squares from the second
  // queue until the end marker, then join both processes.
  throw new Error(`TODO: pipeline(${items.length} items) is not written yet (pipeline.ts)`);
}
