/**
 * The lib tests' tasks that are, word for word, parts of exercise 3's answers (a counter incremented
 * under its Value's lock, a pipeline's consumer, a word count merged into a Manager dict). This file
 * is instructor-only: the student kit leaves it out, and the tests that use it (loaded through
 * `answers.ts`) are ignored there.
 *
 * @module
 */
import { defineTasks } from "../task.ts";
import type { DictProxy } from "../dict_proxy.ts";
import type { Queue } from "../queue.ts";
import type { Value } from "../value.ts";

function addWithValueLock(counter: Value<"i">, times: number): number {
  for (let i = 0; i < times; i++) {
    using _ = counter.getLock().hold();
    counter.value += 1;
  }
  return times;
}

function squareAll(input: Queue<number | null>, output: Queue<number | null>): void {
  for (;;) {
    const item = input.get({ timeout: 30_000 });
    if (item === null) break;
    output.put(item * item);
  }
  output.put(null);
}

/** Counts the words of some texts locally, then merges them in one atomic call. */
function countWords(counts: DictProxy<string, number>, texts: string[]): number {
  const local: Record<string, number> = {};
  for (const text of texts) {
    for (const word of text.split(/\s+/).filter(Boolean)) local[word] = (local[word] ?? 0) + 1;
  }
  counts.incrementMany(local);
  return Object.keys(local).length;
}

/** The answer-shaped tasks. */
export const answerTasks = defineTasks(import.meta.url, {
  addWithValueLock,
  squareAll,
  countWords,
});
