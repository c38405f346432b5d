/**
 * The lesson's program, ported from Python to Deno and parakit's Pool. Run it *after* you have
 * written your guesses in `guesses.ts`:
 *
 * ```sh
 * deno run --allow-read --v8-flags=--no-maglev exercises/01_guess_run_times/pymp1.ts
 * ```
 *
 * It sums the integers in [1, ulim) three ways and prints how long each took:
 * 1. serially, in one loop (Python: `sum(range(1, ulim))`);
 * 2. on a worker Pool, as tasks of 1000 numbers each, building the list of tasks included
 *    (Python: `p.map(sum, [range(x, x + 1000) for x in range(1, ulim, 1000)])`);
 * 3. the same tasks again, with the list already built ("straight parallel").
 *
 * The Python original's parallel list covers [1, ulim] (its last range ends at ulim itself) while its
 * serial sum covers [1, ulim): this port covers [1, ulim) both ways and prints both totals. They are
 * plain `number`s, as a first port would have them, and the sum of [1, 1e9) is about 5e17, far past
 * 2^53, where a `number` stops holding every integer: look at the digits it prints. Making such a
 * sum exact is what your `sumRange` is for.
 *
 * Options: `--ulim=N` (default 1e9), `--json` (one line of JSON: the three times in seconds).
 * `deno task check 1` runs this same file at a smaller ulim to show the real times beside your
 * guesses.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { defineTasks, Pool } from "../../lib/mod.ts";

/** The lesson's upper limit. */
export const ULIM = 1_000_000_000;
/** Numbers per task, as in the lesson. */
export const TASK_SIZE = 1000;

/**
 * Sums one task's range [lo, hi): the task every worker runs (Python's `sum` over one `range`).
 *
 * @param range The range as `[lo, hi]`.
 * @returns The sum.
 */
function sumChunk(range: readonly [number, number]): number {
  let total = 0;
  for (let i = range[0]; i < range[1]; i++) total += i;
  return total;
}

const tasks = defineTasks(import.meta.url, { sumChunk });

/** One timed part's result. */
export interface PartResult {
  /** How long it took, in seconds. */
  seconds: number;
  /** The total it computed, as a plain `number` (not exact past 2^53). */
  sum: number;
}

/**
 * Part 1: the serial sum of [1, ulim) in one plain loop (Python: `sum(range(1, ulim))`).
 *
 * @param ulim The upper limit (exclusive).
 * @returns The time and the total.
 *
 * @example Usage
 * ```ts
 * import { serialPart } from "./pymp1.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(serialPart(101).sum, 5050);
 * ```
 */
export function serialPart(ulim: number): PartResult {
  const start = performance.now();
  let sum = 0;
  for (let i = 1; i < ulim; i++) sum += i;
  return { seconds: (performance.now() - start) / 1000, sum };
}

/**
 * The lesson's list of tasks: one `[x, x + 1000]` range per thousand numbers of [1, ulim).
 *
 * @param ulim The upper limit (exclusive).
 * @returns The ranges.
 *
 * @example Usage
 * ```ts
 * import { taskList } from "./pymp1.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(taskList(2500), [[1, 1001], [1001, 2001], [2001, 2500]]);
 * ```
 */
export function taskList(ulim: number): [number, number][] {
  const list: [number, number][] = [];
  for (let x = 1; x < ulim; x += TASK_SIZE) list.push([x, Math.min(x + TASK_SIZE, ulim)]);
  return list;
}

async function sumOnPool(pool: Pool, list: readonly [number, number][]): Promise<number> {
  const sums = await pool.map(tasks.sumChunk, list);
  let sum = 0;
  for (const part of sums) sum += part;
  return sum;
}

/**
 * Part 2: builds the list of tasks and sums it on the pool ("parallel, including allocation").
 *
 * @param pool The pool.
 * @param ulim The upper limit (exclusive).
 * @returns The time, the total, and the list (for part 3).
 *
 * @example Usage
 * ```ts
 * import { parallelWithAllocPart } from "./pymp1.ts";
 * import { Pool } from "../../lib/mod.ts";
 * import { equal } from "node:assert/strict";
 *
 * await using pool = new Pool({ processes: 2 });
 * equal((await parallelWithAllocPart(pool, 5001)).sum, 12502500);
 * ```
 */
export async function parallelWithAllocPart(
  pool: Pool,
  ulim: number,
): Promise<PartResult & { list: [number, number][] }> {
  const start = performance.now();
  const list = taskList(ulim);
  const sum = await sumOnPool(pool, list);
  return { seconds: (performance.now() - start) / 1000, sum, list };
}

/**
 * Part 3: sums an already built list of tasks on the pool ("straight parallel").
 *
 * @param pool The pool.
 * @param list The list from part 2.
 * @returns The time and the total.
 *
 * @example Usage
 * ```ts
 * import { straightParallelPart, taskList } from "./pymp1.ts";
 * import { Pool } from "../../lib/mod.ts";
 * import { equal } from "node:assert/strict";
 *
 * await using pool = new Pool({ processes: 2 });
 * equal((await straightParallelPart(pool, taskList(101))).sum, 5050);
 * ```
 */
export async function straightParallelPart(
  pool: Pool,
  list: readonly [number, number][],
): Promise<PartResult> {
  const start = performance.now();
  const sum = await sumOnPool(pool, list);
  return { seconds: (performance.now() - start) / 1000, sum };
}

/** The three times of one run of the lesson's program, in seconds. */
export interface LessonRun {
  /** The upper limit used. */
  ulim: number;
  /** Part 1. */
  serial: number;
  /** Part 2. */
  parallelWithAlloc: number;
  /** Part 3. */
  straightParallel: number;
  /** Whether the three totals agree. */
  agree: boolean;
  /** The serial total, as a decimal string. */
  sum: string;
  /** The parallel total, as a decimal string. */
  parallelSum: string;
}

/**
 * Runs the lesson's program: the three parts in order, on a pool of every core.
 *
 * @param ulim The upper limit (exclusive).
 * @returns The three times and whether the totals agree.
 *
 * @example Usage
 * ```ts
 * import { runLesson } from "./pymp1.ts";
 * import { equal } from "node:assert/strict";
 *
 * const run = await runLesson(20_001);
 * equal(run.agree, true);
 * equal(run.sum, "200010000");
 * ```
 */
export async function runLesson(ulim: number): Promise<LessonRun> {
  await using pool = new Pool();
  await pool.map(tasks.sumChunk, [[0, 1]]);
  const serial = serialPart(ulim);
  const withAlloc = await parallelWithAllocPart(pool, ulim);
  const straight = await straightParallelPart(pool, withAlloc.list);
  return {
    ulim,
    serial: serial.seconds,
    parallelWithAlloc: withAlloc.seconds,
    straightParallel: straight.seconds,
    agree: serial.sum === withAlloc.sum && serial.sum === straight.sum,
    sum: BigInt(serial.sum).toString(),
    parallelSum: BigInt(withAlloc.sum).toString(),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { ulim: { type: "string" }, json: { type: "boolean", default: false } },
  });
  const ulim = values.ulim === undefined ? ULIM : Number(values.ulim);
  if (!Number.isSafeInteger(ulim) || ulim < 2) {
    console.error(`error: --ulim must be an integer of at least 2: received ${values.ulim}`);
    Deno.exit(2);
  }
  const run = await runLesson(ulim);
  if (values.json) {
    console.log(JSON.stringify(run));
  } else {
    console.log(`sum of [1, ${ulim}): serial ${run.sum}, parallel ${run.parallelSum}`);
    if (Number(run.sum) > Number.MAX_SAFE_INTEGER) {
      console.log(
        `  past 2^53 - 1 = ${Number.MAX_SAFE_INTEGER}: a number total is no longer exact here${
          run.agree ? "" : ", and the two disagree"
        } (sumRange is where you make it exact)`,
      );
    }
    console.log(`serial: ${run.serial.toFixed(6)}`);
    console.log(`parallel, inc. alloc.: ${run.parallelWithAlloc.toFixed(6)}`);
    console.log(`straight parallel: ${run.straightParallel.toFixed(6)}`);
  }
}
