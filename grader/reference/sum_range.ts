/**
 * The grader's own exact serial sum of a range of integers: the reference that students' sums are
 * checked against and timed against. Blocks of up to a million numbers are summed as `number`
 * (exact: a block's total stays far below 2^53 for the ranges the kit uses), totals as `bigint`.
 *
 * @module
 */

/** How many numbers one block sums as a `number` before the total moves to `bigint`. */
export const BLOCK = 1_000_000;

/**
 * The exact sum of the integers in [lo, hi), by adding them one by one (the work a student's
 * parallel code is timed against); `0n` when `hi <= lo`.
 *
 * @param lo The first integer (inclusive).
 * @param hi The end (exclusive).
 * @returns The exact sum.
 * @throws {RangeError} If a bound is not a safe integer.
 *
 * @example Usage
 * ```ts
 * import { referenceSum } from "./sum_range.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(referenceSum(1, 101), 5050n);
 * equal(referenceSum(5, 5), 0n);
 * ```
 */
export function referenceSum(lo: number, hi: number): bigint {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
    throw new RangeError(
      `Cannot sum the range: bounds must be safe integers: received ${lo}, ${hi}`,
    );
  }
  let total = 0n;
  for (let start = lo; start < hi; start += BLOCK) {
    const end = Math.min(start + BLOCK, hi);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  return total;
}

/**
 * The exact sum of the integers in [lo, hi) by the closed form, for checking answers without
 * doing the work; `0n` when `hi <= lo`.
 *
 * @param lo The first integer (inclusive).
 * @param hi The end (exclusive).
 * @returns The exact sum.
 *
 * @example Usage
 * ```ts
 * import { closedFormSum } from "./sum_range.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(closedFormSum(1, 1_000_000_000), 499_999_999_500_000_000n);
 * equal(closedFormSum(-3, 4), 0n);
 * ```
 */
export function closedFormSum(lo: number, hi: number): bigint {
  if (hi <= lo) return 0n;
  const a = BigInt(lo);
  const b = BigInt(hi);
  return ((b - a) * (a + b - 1n)) / 2n;
}
