/**
 * Part 1, a shared counter: each increment is a read-modify-write, so it runs while holding the
 * counter's lock.
 *
 * @module
 */
import type { Value } from "../../lib/mod.ts";

/**
 * Adds 1 to the shared counter `times` times, safely while other workers do the same: each
 * read-add-write runs while holding the counter's lock, and `using` releases the lock at the end of
 * every turn of the loop, even if something throws.
 *
 * @param counter The shared counter (a `Value` of type `"i"`, created with its lock).
 * @param times How many times to add 1.
 *
 * @example Usage
 * ```ts
 * import { addMany } from "./counter.ts";
 * import { Value } from "../../lib/mod.ts";
 * import { equal } from "node:assert/strict";
 *
 * const counter = new Value("i", 0);
 * addMany(counter, 3);
 * equal(counter.value, 3);
 * ```
 */
export function addMany(counter: Value<"i">, times: number): void {
  const lock = counter.getLock();
  for (let i = 0; i < times; i++) {
    using _ = lock.hold();
    counter.value += 1;
  }
}
