/**
 * Renders a gradebook as `gradebook.csv`: one row per student, `student,score,max_score`, then one
 * column per exercise holding the student's score on it. Quoting is csv-stringify's (RFC 4180), so
 * student ids with commas, quotes, spaces or any Unicode keep their exact names. A text cell that a
 * spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) gets a leading `'`, OWASP's defence against CSV injection: a folder named
 * `=HYPERLINK(...)` shows as its name and never runs. Control characters other than tab and newline
 * (ESC, BEL, a carriage return that would overwrite the line in a terminal) are written as visible
 * escapes (`_escape.ts`).
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import type { Gradebook } from "../result.ts";
import { escapeControl } from "./_escape.ts";

/** Options for {@linkcode gradebookCsv}. */
export interface GradebookCsvOptions {
  /**
   * The exercise columns, in order (the catalog's folder names). Defaults to every exercise that
   * appears in the gradebook, in order of first appearance.
   */
  exercises?: readonly string[];
}

/**
 * Renders a gradebook as CSV text, a header row then one row per student in the gradebook's order.
 * An exercise a student has no result for is an empty cell, never a zero that was not earned.
 *
 * @param gradebook The gradebook to render.
 * @param options Which exercise columns to write.
 * @returns The CSV text, lines ending in `\n`.
 *
 * @example Usage
 * ```ts
 * import { gradebookCsv } from "./csv.ts";
 * import { equal } from "node:assert/strict";
 *
 * const machine = { cores: 2, deno: "2.9.6", platform: "linux x86_64" };
 * const csv = gradebookCsv({
 *   version: 1,
 *   gradedAt: "2026-11-25T00:00:00.000Z",
 *   machine,
 *   students: [{ student: "Zoë, B", score: 1, maxScore: 2, exercises: [] }],
 * }, { exercises: ["01_guess_run_times"] });
 * equal(csv, 'student,score,max_score,01_guess_run_times\n"Zoë, B",1,2,\n');
 * ```
 */
export function gradebookCsv(gradebook: Gradebook, options: GradebookCsvOptions = {}): string {
  const exercises = options.exercises ?? exercisesOf(gradebook);
  const rows = gradebook.students.map((row) => {
    const scores = new Map(row.exercises.map((result) => [result.exercise, result.score]));
    return [row.student, row.score, row.maxScore, ...exercises.map((name) => scores.get(name))];
  });
  return stringify([["student", "score", "max_score", ...exercises], ...rows], {
    record_delimiter: "unix",
    cast: { string: (value) => neutralizeFormula(escapeControl(value)) },
    // A lone carriage return ends a line for many readers: quote it like a newline.
    quoted_match: /\r/,
  });
}

/** The first characters that make a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes `'` to a text cell a spreadsheet would run as a formula; other text is unchanged. */
function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function exercisesOf(gradebook: Gradebook): string[] {
  const names = new Set<string>();
  for (const row of gradebook.students) {
    for (const result of row.exercises) names.add(result.exercise);
  }
  return [...names];
}
