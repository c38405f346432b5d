/**
 * The `grade` command's summary on stdout: how the time was spent, every student's score, the
 * projection line, the students to retime, and where the files are.
 *
 * @module
 */
import { join } from "node:path";
import { escapeId } from "../../report/_escape.ts";
import { projectionLine } from "./_projection.ts";
import type { BatchSummary } from "./_types.ts";

/**
 * Prints a batch's summary; student ids (folder names) are shown with their control characters
 * escaped.
 *
 * @param summary What the batch produced.
 *
 * @example Usage
 * ```ts
 * import { printSummary } from "./_summary.ts";
 * import { match } from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const log = console.log;
 * console.log = (line: string) => lines.push(line);
 * try {
 *   printSummary({
 *     gradebook: {
 *       version: 1,
 *       gradedAt: new Date(0).toISOString(),
 *       machine: { cores: 2, deno: "2.9.6", platform: "linux x86_64" },
 *       students: [{ student: "al\u001b", score: 1, maxScore: 2, exercises: [] }],
 *     },
 *     timing: {
 *       totalSeconds: 2,
 *       correctnessSeconds: 1,
 *       timedSeconds: 0.5,
 *       overheadSeconds: 0.5,
 *       graded: 1,
 *       reused: 0,
 *     },
 *     out: "out",
 *     graderFailures: [],
 *     inconclusive: [],
 *   });
 * } finally {
 *   console.log = log;
 * }
 * match(lines[0]!, /^graded 1 submission\(s\), reused 0, in 2\.0 s/);
 * match(lines[1]!, /^scores: al\\x1b 1\/2$/);
 * ```
 */
export function printSummary(summary: BatchSummary): void {
  const { timing, gradebook } = summary;
  const per = timing.graded > 0
    ? ` (${(timing.totalSeconds / timing.graded).toFixed(1)} s per graded submission)`
    : "";
  console.log(
    `graded ${timing.graded} submission(s), reused ${timing.reused}, in ` +
      `${timing.totalSeconds.toFixed(1)} s${per}: ` +
      `correctness ${timing.correctnessSeconds.toFixed(1)} s (up to the jobs at once), ` +
      `timed runs ${timing.timedSeconds.toFixed(1)} s (alone), ` +
      `overhead ${timing.overheadSeconds.toFixed(1)} s`,
  );
  // Student ids are folder names: their control characters are shown escaped, never sent raw.
  const scores = gradebook.students.map((row) =>
    `${escapeId(row.student)} ${row.score}/${row.maxScore}`
  );
  console.log(`scores: ${scores.join(", ")}`);
  const projection = projectionLine(timing, gradebook.machine.cores);
  if (projection) console.log(projection);
  if (summary.inconclusive.length > 0) {
    console.log(
      `inconclusive timing (the machine was busy) for ${
        summary.inconclusive.map(escapeId).join(", ")
      }: rerun with --retime on a quieter machine to time only those again`,
    );
  }
  console.log(
    `wrote ${join(summary.out, "gradebook.csv")}, gradebook.json, report.html and ` +
      `<student>/results.json`,
  );
}
