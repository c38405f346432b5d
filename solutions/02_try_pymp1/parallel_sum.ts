/**
 * The lesson's sum, parallelized on a worker Pool: a few large spans per worker, each summed
 * exactly in blocks of `number`s, the partial sums added as `bigint`.
 *
 * @module
 */
import { defineTasks, type Pool } from "../../lib/mod.ts";

/** The most numbers added as a plain `number` before the block's sum moves into the total. */
const BLOCK_SIZE = 1_000_000;

/**
 * Spans per worker: enough that a worker that finishes early takes another span while a slower
 * one finishes its own, few enough that the messages cost nothing next to the work.
 */
const SPANS_PER_WORKER = 4;

/**
 * Sums the integers in [lo, hi) exactly: blocks small enough that their sums stay below 2^53 are
 * added as `number`s, and the block sums as `bigint`. The task each worker runs.
 *
 * @param lo The first integer of the span.
 * @param hi The integer just past the end of the span.
 * @returns The exact sum of the span.
 */
function sumSpan(lo: number, hi: number): bigint {
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

const tasks = defineTasks(import.meta.url, { sumSpan });

/**
 * Cuts [lo, hi) into `count` spans of nearly equal length (at most one number apart), in order.
 *
 * @param lo The first integer of the range.
 * @param hi The integer just past the end of the range; greater than `lo`.
 * @param count How many spans to make; at most `hi - lo`.
 * @returns The spans as `[lo, hi]` argument lists.
 */
function splitRange(lo: number, hi: number, count: number): [number, number][] {
  const length = hi - lo;
  const spans: [number, number][] = [];
  let start = lo;
  for (let i = 1; i <= count; i++) {
    const end = i === count ? hi : lo + Math.floor(length * i / count);
    spans.push([start, end]);
    start = end;
  }
  return spans;
}

/**
 * Returns the exact sum of the integers in [lo, hi), computed on the pool's workers.
 *
 * @param lo The first integer of the range.
 * @param hi The integer just past the end of the range.
 * @param pool The pool to run the work on; it is left open.
 * @returns The exact sum; `0n` when `hi <= lo`.
 * @throws {RangeError} If `lo` or `hi` is not a safe integer.
 *
 * @example Usage
 * ```ts
 * import { parallelSum } from "./parallel_sum.ts";
 * import { Pool } from "../../lib/mod.ts";
 * import { equal } from "node:assert/strict";
 *
 * await using pool = new Pool({ processes: 2 });
 * equal(await parallelSum(1, 11, pool), 55n);
 * equal(await parallelSum(5, 5, pool), 0n);
 * equal(await parallelSum(1, 100_000_001, pool), 5_000_000_050_000_000n);
 * ```
 */
export async function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
    throw new RangeError(
      `Cannot sum range: lo and hi must be safe integers: received ${lo}, ${hi}`,
    );
  }
  if (hi <= lo) return 0n;
  const count = Math.min(SPANS_PER_WORKER * pool.processes, hi - lo);
  const sums = await pool.starmap(tasks.sumSpan, splitRange(lo, hi, count));
  let total = 0n;
  for (const sum of sums) total += sum;
  return total;
}
