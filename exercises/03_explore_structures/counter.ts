/**
 * Part 1, a shared counter: a `Value` in shared memory that several workers add to at once.
 *
 * The grader runs `addMany` as a task on several pool workers at the same time, all with the same
 * counter, and checks that the count comes out exact, again and again with different numbers of
 * workers. Run `lost_updates.ts` in this folder to see what happens without the lock.
 *
 * @module
 */
import type { Value } from "../../lib/mod.ts";

/**
 * Adds 1 to the shared counter `times` times, safely while other workers do the same.
 *
 * @param counter The shared counter (a `Value` of type `"i"`, created with its lock).
 * @param times How many times to add 1.
 */
// deno-lint-ignore no-unused-vars -- the stub does not use `counter` until you write it
export function addMany(counter: Value<"i">, times: number): void {
  // TODO: add 1 to counter.value `times` times, each time while holding the counter's lock.
  throw new Error(`TODO: addMany(counter, ${times}) is not written yet (counter.ts)`);
}
