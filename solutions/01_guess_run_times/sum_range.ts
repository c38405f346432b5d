/**
 * The exact sum of a range of integers, the serial building block of the lesson.
 *
 * @module
 */

/** The most numbers added as a plain `number` before the block's sum moves into the total. */
const BLOCK_SIZE = 1_000_000;

/**
 * Returns the exact sum of the integers in [lo, hi): `lo` included, `hi` excluded.
 *
 * The sum of [1, 1e9) is about 5e17, far above `Number.MAX_SAFE_INTEGER` (2^53 - 1, about 9e15),
 * where a `number` can no longer hold every integer. Adding a billion `bigint`s would be slow, so
 * the numbers are added in blocks: each block's sum stays below 2^53 and is exact as a `number`,
 * and only the block sums are added as `bigint`.
 *
 * @param lo The first integer of the range.
 * @param hi The integer just past the end of the range.
 * @returns The exact sum; `0n` when `hi <= lo`.
 * @throws {RangeError} If `lo` or `hi` is not a safe integer.
 *
 * @example Usage
 * ```ts
 * import { sumRange } from "./sum_range.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(sumRange(1, 11), 55n);
 * equal(sumRange(5, 5), 0n);
 * equal(sumRange(-3, 3), -3n);
 * equal(sumRange(1, 100_000_001), 5_000_000_050_000_000n); // past 2^53, still exact
 * ```
 */
export function sumRange(lo: number, hi: number): bigint {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
    throw new RangeError(
      `Cannot sum range: lo and hi must be safe integers: received ${lo}, ${hi}`,
    );
  }
  if (hi <= lo) return 0n;
  // Every partial sum of a block is at most its length times the largest magnitude in the range.
  const largest = Math.max(Math.abs(lo), Math.abs(hi), 1);
  const block = Math.max(1, Math.min(BLOCK_SIZE, Math.floor(Number.MAX_SAFE_INTEGER / largest)));
  let total = 0n;
  for (let start = lo; start < hi; start += block) {
    const end = Math.min(start + block, hi);
    let partial = 0;
    for (let i = start; i < end; i++) partial += i;
    total += BigInt(partial);
  }
  return total;
}
