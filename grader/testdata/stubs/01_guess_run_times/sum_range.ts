/**
 * The exact sum of a range of integers, the serial building block of the lesson.
 *
 * @module
 */

/**
 * Returns the exact sum of the integers in [lo, hi): `lo` included, `hi` excluded.
 *
 * The sum of [1, 1e9) is about 5e17, far above `Number.MAX_SAFE_INTEGER` (2^53 - 1, about 9e15),
 * so the total must be a `bigint`.
 *
 * @param lo The first integer of the range.
 * @param hi The integer just past the end of the range.
 * @returns The exact sum; `0n` when `hi <= lo`.
 */
export function sumRange(lo: number, hi: number): bigint {
  // TODO: add up the integers in [lo, hi) exactly and return the total as a bigint.
  throw new Error(`TODO: sumRange(${lo}, ${hi}) is not written yet (sum_range.ts)`);
}
