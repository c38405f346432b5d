/**
 * The grader's small statistics: the median, in one place for the checks, the sweep and the class
 * report.
 *
 * @module
 */

/**
 * The median of some numbers (the mean of the middle two for an even count).
 *
 * @param values The numbers, in any order (left as they are).
 * @returns Their median; `NaN` when there are none.
 *
 * @example Usage
 * ```ts
 * import { median } from "./statistics.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(median([3, 1, 2]), 2);
 * equal(median([4, 1, 3, 2]), 2.5);
 * equal(median([]), NaN);
 * ```
 */
export function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
