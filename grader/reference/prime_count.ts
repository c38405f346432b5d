/**
 * The grader's own serial count of primes, the reference for exercise 3's `countPrimes`: trial
 * division by odd numbers up to the square root, the same work a student's blocks do.
 *
 * @module
 */

/**
 * Whether `n` is prime, by trial division.
 *
 * @param n The number.
 * @returns `true` when `n` is prime.
 *
 * @example Usage
 * ```ts
 * import { isPrime } from "./prime_count.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(isPrime(97), true);
 * equal(isPrime(91), false);
 * ```
 */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) {
    if (n % d === 0) return false;
  }
  return true;
}

/**
 * How many primes are below `limit`, counted serially.
 *
 * @param limit The bound (exclusive).
 * @returns The count.
 *
 * @example Usage
 * ```ts
 * import { referenceCountPrimes } from "./prime_count.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(referenceCountPrimes(100), 25);
 * ```
 */
export function referenceCountPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) if (isPrime(n)) count++;
  return count;
}
