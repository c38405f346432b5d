/**
 * Part 3, explicit shared state: pool tasks count their text's words locally, then merge the
 * counts into one `Manager` dict while holding a manager lock.
 *
 * @module
 */
import { defineTasks, type DictProxy, type Lock, type Manager, type Pool } from "../../lib/mod.ts";

/**
 * Counts one text's words (split on whitespace, lower-cased) in a local object, then merges them
 * into the shared dict. Each dict operation is a message to the manager and is atomic on its own,
 * but a `get` followed by a `set` is not: another task could write in between and its count would
 * be lost. So the merge runs while holding the lock.
 *
 * @param text The text to count.
 * @param counts The shared dict of counts.
 * @param lock The lock that guards `counts`.
 */
function countInto(text: string, counts: DictProxy<string, number>, lock: Lock): void {
  const local: Record<string, number> = {};
  for (const word of text.split(/\s+/)) {
    if (word === "") continue;
    const key = word.toLowerCase();
    local[key] = (local[key] ?? 0) + 1;
  }
  // The kit's dict also offers `counts.incrementMany(local)`: the same merge, atomic, one message.
  using _ = lock.hold();
  for (const [word, count] of Object.entries(local)) {
    counts.set(word, (counts.get(word) ?? 0) + count);
  }
}

const tasks = defineTasks(import.meta.url, { countInto });

/**
 * Counts the words of `texts` (split on whitespace, lower-cased) with one pool task per text, each
 * merging its counts into one dict served by `manager`.
 *
 * @param texts The texts to count.
 * @param pool The pool whose workers count; it is left open.
 * @param manager The manager that serves the shared dict and its lock; it is left running.
 * @returns Each word with the number of times it occurs.
 *
 * @example Usage
 * ```ts
 * import { wordCount } from "./word_count.ts";
 * import { Manager, Pool } from "../../lib/mod.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * await using pool = new Pool({ processes: 2 });
 * await using manager = new Manager();
 * deepEqual(await wordCount(["The pool", "the\tLOCK  the"], pool, manager), {
 *   the: 3,
 *   pool: 1,
 *   lock: 1,
 * });
 * ```
 */
export async function wordCount(
  texts: string[],
  pool: Pool,
  manager: Manager,
): Promise<Record<string, number>> {
  const counts = manager.dict<string, number>();
  const lock = manager.lock();
  await pool.starmap(tasks.countInto, texts.map((text) => [text, counts, lock]));
  return counts.toObject();
}
