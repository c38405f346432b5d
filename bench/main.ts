/**
 * `deno task bench`: runs every benchmark and prints one table of ratios, each measured side by
 * side in one run. To add a benchmark, write `bench/<name>.ts` exporting
 * `async function run(): Promise<BenchRow[]>` (see `_bench.ts`) and add one line to
 * {@linkcode BENCHES}.
 *
 * Timings on a busy machine are noisy; the ratios are what to read. The task runs V8 without its
 * Maglev tier (`--v8-flags=--no-maglev`): with it, the same summing loop swung from 0.82 to 2.76 s
 * between rounds as it re-tiered, on the main thread and in workers alike, which made the serial
 * side of a ratio a coin toss.
 *
 * @module
 */
import type { Bench, BenchRow } from "./_bench.ts";
import { run as poolThroughput } from "./pool_throughput.ts";
import { run as poolGranularity } from "./pool_granularity.ts";
import { run as poolExactSum } from "./pool_exact_sum.ts";
import { run as poolLesson } from "./pool_lesson.ts";
import { run as syncLocks } from "./sync.ts";
import { run as queueThroughput } from "./queue.ts";
import { run as managerRoundTrip } from "./manager.ts";
import { run as processStart } from "./process_start.ts";

/** Every benchmark, in the order the table shows them. */
export const BENCHES: readonly (readonly [name: string, run: Bench])[] = [
  ["pool throughput", poolThroughput],
  ["pool granularity", poolGranularity],
  ["pool exact sum", poolExactSum],
  ["pool at the lesson's granularity", poolLesson],
  ["locks vs Atomics", syncLocks],
  ["queue vs postMessage", queueThroughput],
  ["manager round trip", managerRoundTrip],
  ["process start inside a Worker", processStart],
];

/**
 * Renders rows as a plain-text table.
 *
 * @param rows The rows.
 * @returns The table, one line per row after a header.
 */
export function renderTable(rows: readonly BenchRow[]): string {
  const lines = [["comparison", "ratio", "target", "measured"]];
  for (const row of rows) {
    const verdict = row.target === undefined
      ? ""
      : `${row.target} ${row.met ? "(met)" : "(NOT met)"}`;
    lines.push([row.name, row.ratio.toFixed(2), verdict, row.detail]);
  }
  const widths = lines[0]!.map((_, column) =>
    Math.max(...lines.map((line) => line[column]!.length))
  );
  return lines.map((line) =>
    line.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()
  )
    .join("\n");
}

if (import.meta.main) {
  const rows: BenchRow[] = [];
  for (const [name, run] of BENCHES) {
    console.error(`running ${name}...`);
    rows.push(...await run());
  }
  console.log(renderTable(rows));
}
