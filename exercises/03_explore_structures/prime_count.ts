/**
 * Part 5, asynchronous calls: blocks of work sent with `applyAsync` or `mapAsync`, their results
 * gathered in callbacks.
 *
 * @module
 */
import type { Pool } from "../../lib/mod.ts";

/**
 * Counts the primes below `limit` on the pool's workers.
 *
 * @param limit The bound: primes p with p < limit are counted.
 * @param pool The pool to run the blocks on (the grader passes one in; do not close it).
 * @returns How many primes are below `limit`.
 */
// deno-lint-ignore no-unused-vars -- the stub does not use `pool` until you write it
export function countPrimes(limit: number, pool: Pool): Promise<number> {
  // TODO: define a task that counts the primes in a block [lo, hi), send many blocks with
  // pool.applyAsync (or pool.mapAsync), add each block's count in a callback, and resolve once
  // every block is done.
  throw new Error(`TODO: countPrimes(${limit}) is not written yet (prime_count.ts)`);
}
