/**
 * What every benchmark returns to `bench/main.ts`, and small helpers for measuring side by side.
 *
 * @module
 */

/** One line of the benchmark table: two figures measured side by side and their ratio. */
export interface BenchRow {
  /** What is compared, e.g. `"no-op applyAsync: pool vs raw postMessage"`. */
  readonly name: string;
  /** The two figures in words, with units, e.g. `"3.9 vs 3.1 µs per task"`. */
  readonly detail: string;
  /** The ratio the row is about. */
  readonly ratio: number;
  /** What the ratio should be, e.g. `"<= 1.5"` or `">= 1.9"`, when there is a target. */
  readonly target?: string;
  /** Whether the ratio meets the target, when there is one. */
  readonly met?: boolean;
}

/** A benchmark file's measurement: runs its comparisons and returns one row per ratio. */
export type Bench = () => Promise<BenchRow[]>;

/**
 * The median of some numbers.
 *
 * @param values The numbers (at least one).
 * @returns Their median.
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Times an async function once.
 *
 * @param fn The function.
 * @returns Milliseconds it took.
 */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Formats a number with a few significant digits.
 *
 * @param value The number.
 * @returns Its short text.
 */
export function short(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3);
}
