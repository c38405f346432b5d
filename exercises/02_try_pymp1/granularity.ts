/**
 * What the size of a task costs. Sums [1, ulim) serially with your `sumRange` from exercise 1, then
 * on a worker Pool as tasks of 1000 numbers (the lesson's program, each task calling your
 * `sumRange`) with the pool's default chunksize and again with one message per task (chunksize 1),
 * and with your own `parallelSum` once you have written it. It checks every total against the exact
 * answer, then prints the times side by side.
 *
 * ```sh
 * deno run --allow-read --v8-flags=--no-maglev exercises/02_try_pymp1/granularity.ts [--ulim 300000000] [--workers 2]
 * ```
 *
 * This is a demo, not a student file: the check never runs it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpuCount, defineTasks, type MapOptions, Pool } from "../../lib/mod.ts";
import { sumRange } from "../01_guess_run_times/sum_range.ts";
import { parallelSum } from "./parallel_sum.ts";

/** The numbers a task sums in the lesson's program. */
const FINE_SPAN = 1000;

/**
 * One task of the lesson's program: your exercise 1 `sumRange` on a span, in a pool worker.
 *
 * @param lo The first integer.
 * @param hi The integer just past the end.
 * @returns The span's sum.
 */
function sumSpan(lo: number, hi: number): bigint {
  return sumRange(lo, hi);
}

const tasks = defineTasks(import.meta.url, { sumSpan });

/** One way of computing the sum, measured. */
interface Row {
  name: string;
  seconds: number;
  /** Tasks the pool ran, from its stats; 0 on the main thread. */
  tasks: number;
  /** The total, or the message of the error it threw. */
  total: bigint | string;
}

async function measure(
  name: string,
  pool: Pool,
  run: () => bigint | Promise<bigint>,
): Promise<Row> {
  const before = pool.stats().tasksCompleted;
  const start = performance.now();
  try {
    const total = await run();
    const seconds = (performance.now() - start) / 1000;
    return { name, seconds, tasks: pool.stats().tasksCompleted - before, total };
  } catch (error) {
    return { name, seconds: NaN, tasks: 0, total: (error as Error).message };
  }
}

function spans(lo: number, hi: number, width: number): [number, number][] {
  const out: [number, number][] = [];
  for (let x = lo; x < hi; x += width) out.push([x, Math.min(x + width, hi)]);
  return out;
}

async function sumOnPool(
  pool: Pool,
  list: [number, number][],
  options: MapOptions = {},
): Promise<bigint> {
  let total = 0n;
  for (const sum of await pool.starmap(tasks.sumSpan, list, options)) total += sum;
  return total;
}

function table(rows: readonly Row[], exact: bigint): string {
  const serial = rows[0]!.seconds;
  const lines = [["", "seconds", "speed vs serial", "tasks", "µs per task", "answer"]];
  for (const row of rows) {
    const right = row.total === exact;
    lines.push([
      row.name,
      Number.isNaN(row.seconds) ? "-" : row.seconds.toFixed(3),
      right ? `${(serial / row.seconds).toFixed(2)}×` : "-",
      String(row.tasks),
      right && row.tasks > 0 ? ((row.seconds / row.tasks) * 1e6).toFixed(1) : "-",
      typeof row.total === "string"
        ? `✘ ${row.total}`
        : right
        ? "✔ exact"
        : `✘ wrong by ${row.total - exact}`,
    ]);
  }
  const widths = lines[0]!.map((_, column) =>
    Math.max(...lines.map((line) => line[column]!.length))
  );
  return lines.map((line) =>
    line.map((cell, column) =>
      column === 0 || column === 5 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)
    )
      .join("  ").trimEnd()
  ).join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { ulim: { type: "string", default: "300000000" }, workers: { type: "string" } },
  });
  const ulim = Number(values.ulim);
  const workers = values.workers === undefined ? cpuCount() : Number(values.workers);
  if (!Number.isSafeInteger(ulim) || ulim < 2 || !Number.isSafeInteger(workers) || workers < 1) {
    console.error(
      "error: --ulim must be an integer of at least 2 and --workers a positive integer",
    );
    Deno.exit(2);
  }
  const exact = (BigInt(ulim) - 1n) * BigInt(ulim) / 2n;
  console.log(`Summing [1, ${ulim}) on ${workers} worker(s); the exact total is ${exact}.\n`);

  await using pool = new Pool({ processes: workers });
  try {
    sumRange(1, 3);
  } catch (error) {
    console.error(`Your sumRange from exercise 1 does not run yet: ${(error as Error).message}`);
    console.error("This demo builds on it: do exercise 1 first.");
    Deno.exit(1);
  }
  // Warm up: worker start-up and compilation are not what this demo measures.
  await sumOnPool(pool, spans(1, 1 + workers * 100 * FINE_SPAN, FINE_SPAN));
  sumRange(1, 10_000_000);

  const rows = [
    await measure("your sumRange, serial (main thread)", pool, () => sumRange(1, ulim)),
    await measure(
      `tasks of ${FINE_SPAN} numbers`,
      pool,
      () => sumOnPool(pool, spans(1, ulim, FINE_SPAN)),
    ),
    await measure(
      `tasks of ${FINE_SPAN} numbers, chunksize 1`,
      pool,
      () => sumOnPool(pool, spans(1, ulim, FINE_SPAN), { chunksize: 1 }),
    ),
    await measure("your parallelSum", pool, () => parallelSum(1, ulim, pool)),
  ];
  console.log(table(rows, exact));
  console.log(
    "\nA time counts only beside a ✔ (check before you time). The machine may be busy: run it twice.",
  );
}

if (import.meta.main) await main();
