/**
 * Part 3, explicit shared state: a `Manager` dict that pool tasks merge their counts into.
 *
 * @module
 */
import type { Manager, Pool } from "../../lib/mod.ts";

/**
 * Counts the words of `texts` (split on whitespace, lower-cased) with pool tasks that merge their
 * counts into one dict served by `manager`.
 *
 * @param texts The texts to count.
 * @param pool The pool whose workers count (the grader passes one in; do not close it).
 * @param manager The manager that serves the shared dict (the grader passes one in).
 * @returns Each word with the number of times it occurs.
 */
export function wordCount(
  texts: string[],
  // deno-lint-ignore no-unused-vars -- the stub does not use `pool` until you write it
  pool: Pool,
  // deno-lint-ignore no-unused-vars -- the stub does not use `manager` until you write it
  manager: Manager,
): Promise<Record<string, number>> {
  // TODO: create a dict (and a lock) on the manager, run one task per text on the pool that counts
  // its words and merges them into the dict under the lock, then return the dict's contents.
  throw new Error(`TODO: wordCount(${texts.length} texts) is not written yet (word_count.ts)`);
}
