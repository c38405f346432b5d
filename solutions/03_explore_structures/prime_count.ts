/**
 * Part 5, asynchronous calls: the primes below a limit, counted in blocks sent with `applyAsync`,
 * each block's count added in its callback.
 *
 * @module
 */
import { defineTasks, type Pool } from "../../lib/mod.ts";

/**
 * Blocks per worker. Testing a large number costs more than testing a small one, so blocks of
 * equal width are unequal work; many blocks let a worker that finishes early take the next one.
 */
const BLOCKS_PER_WORKER = 16;

/** The narrowest block worth a message: a few milliseconds of work at the least. */
const MIN_BLOCK_WIDTH = 10_000;

/**
 * Whether `n` is prime, by trial division by odd numbers up to its square root.
 *
 * @param n The number to test.
 * @returns `true` when `n` is prime.
 */
function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) {
    if (n % d === 0) return false;
  }
  return true;
}

/**
 * Counts the primes in [lo, hi): the task each block runs on a worker.
 *
 * @param lo The block's first number.
 * @param hi The number just past the block's end.
 * @returns How many primes the block holds.
 */
function countBlock(lo: number, hi: number): number {
  let count = 0;
  for (let n = lo; n < hi; n++) if (isPrime(n)) count++;
  return count;
}

const tasks = defineTasks(import.meta.url, { countBlock });

/**
 * Counts the primes below `limit` on the pool's workers: [2, limit) is cut into many blocks, each
 * sent with `applyAsync`, and each block's count is added to the total in its callback.
 *
 * The most expensive blocks (the largest numbers) are sent first, so the cheap ones fill the gaps
 * at the end and the workers finish together.
 *
 * @param limit The bound: primes p with p < limit are counted.
 * @param pool The pool to run the blocks on; it is left open.
 * @returns How many primes are below `limit`.
 * @throws {RangeError} If `limit` is not a safe integer.
 *
 * @example Usage
 * ```ts
 * import { countPrimes } from "./prime_count.ts";
 * import { Pool } from "../../lib/mod.ts";
 * import { equal } from "node:assert/strict";
 *
 * await using pool = new Pool({ processes: 2 });
 * equal(await countPrimes(100, pool), 25);
 * equal(await countPrimes(1_000_000, pool), 78_498);
 * ```
 */
export async function countPrimes(limit: number, pool: Pool): Promise<number> {
  if (!Number.isSafeInteger(limit)) {
    throw new RangeError(`Cannot count primes: limit must be a safe integer: received ${limit}`);
  }
  if (limit <= 2) return 0;
  const width = limit - 2;
  const blocks = Math.max(
    1,
    Math.min(BLOCKS_PER_WORKER * pool.processes, Math.ceil(width / MIN_BLOCK_WIDTH)),
  );
  let total = 0;
  const results = [];
  for (let i = blocks - 1; i >= 0; i--) {
    const lo = 2 + Math.floor(width * i / blocks);
    const hi = 2 + Math.floor(width * (i + 1) / blocks);
    results.push(
      pool.applyAsync(tasks.countBlock, [lo, hi], {
        callback: (count) => {
          total += count;
        },
      }),
    );
  }
  // get() rejects if a block failed; every callback has run once all of them resolve.
  await Promise.all(results.map((result) => result.get()));
  return total;
}
