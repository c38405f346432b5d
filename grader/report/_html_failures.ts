/**
 * The class report's checks that did not pass, rendered: the failing checks grouped by check and by
 * why (`_failure_groups.ts`), and the checks that did not run, with the reason. Each student named
 * links to their own row (`#student=ID`).
 *
 * @module
 */
import type { Gradebook } from "../result.ts";
import { IMPOSSIBLE_SPEEDUP_PER_CORE, notRunGroups } from "./_class_stats.ts";
import { escapeControl } from "./_escape.ts";
import {
  FAILURE_KIND_TEXT,
  type FailureGroup,
  failureGroups,
  KIND_STATUS,
  WORK_NOT_DONE_SHARE,
} from "./_failure_groups.ts";
import { escapeText } from "./_html_student.ts";

function times(value: number): string {
  const digits = Number.isInteger(value) || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}×`;
}

/** `1.10×`, or `1.10–1.30×` across a group; empty for none. */
function span(values: readonly number[], format: (value: number) => string): string {
  if (values.length === 0) return "";
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `${format(low).replace(/×$/, "")}–${format(high)}`;
}

/** The group's "why": the kind's words, and what they were measured against. */
function whyText(group: FailureGroup): string {
  const words = FAILURE_KIND_TEXT[group.kind];
  const one = (values: readonly number[]) =>
    values.length > 0 && values.every((value) => value === values[0]) ? values[0] : undefined;
  const bound = one(group.bounds);
  const threshold = one(group.thresholds);
  if (group.kind === "impossible" && bound !== undefined) {
    return `${words} (above ${times(bound)} on ${bound / IMPOSSIBLE_SPEEDUP_PER_CORE} cores)`;
  }
  if (group.kind === "below-threshold" && threshold !== undefined) {
    return `${words} (${times(threshold)})`;
  }
  if (group.kind === "not-done") {
    return `${words} (under ${WORK_NOT_DONE_SHARE * 100}% of the serial reference's)`;
  }
  if (group.kind === "crashed") {
    const statuses = Object.entries(group.statuses).map(([status, count]) => `${count} ${status}`);
    return `${words} (${statuses.join(", ")})`;
  }
  return words;
}

/** What the group measured: its speedups and CPU shares, as ranges. */
function measuredText(group: FailureGroup): string {
  const parts = [];
  if (group.speedups.length > 0) parts.push(`speedup ${span(group.speedups, times)}`);
  if (group.workShares.length > 0) {
    const percent = (value: number) => `${Math.round(value * 100)}%`;
    parts.push(`CPU ${span(group.workShares, percent)} of the reference's`);
  }
  return parts.join(" · ");
}

/**
 * Students as links to their own rows (`#student=ID` opens one), the first `shown` of them and
 * the rest folded.
 *
 * @param students The students' ids.
 * @param shown How many to show before folding the rest. Default 8.
 * @returns The HTML.
 *
 * @example Usage
 * ```ts
 * import { studentLinks } from "./_html_failures.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(studentLinks(["a b"]), '<a href="#student=a%20b">a b</a>');
 * ```
 */
export function studentLinks(students: readonly string[], shown = 8): string {
  // The page's script compares the decoded hash with the row's `data-student`: the id with its
  // control characters shown as codes (escapeText), so the link encodes the same text.
  const links = students.map((id) =>
    `<a href="#student=${escapeText(encodeURIComponent(escapeControl(id).toWellFormed()))}">${
      escapeText(id)
    }</a>`
  );
  return links.length <= shown
    ? links.join(", ")
    : `${links.slice(0, shown).join(", ")} <details><summary>and ${
      links.length - shown
    } more</summary>${links.slice(shown).join(", ")}</details>`;
}

/**
 * The "Failing checks" table: one row per check and reason ({@linkcode failureGroups}), with the
 * students, what was measured and a representative message.
 *
 * @param gradebook The gradebook.
 * @returns The HTML table, or a sentence when every check that ran passed.
 *
 * @example Usage
 * ```ts
 * import { failureTable } from "./_html_failures.ts";
 * import { fakeMixedGradebook } from "./_fake_results.ts";
 * import { ok } from "node:assert/strict";
 *
 * const html = failureTable(fakeMixedGradebook());
 * ok(html.includes('<tr data-kind="impossible">'));
 * ok(html.includes('<tr data-kind="below-threshold">'));
 * ```
 */
export function failureTable(gradebook: Gradebook): string {
  const groups = failureGroups(gradebook);
  if (groups.length === 0) return '<p id="failures">No check failed.</p>';
  return `<table id="failures"><thead><tr><th>exercise</th><th>check</th><th>why</th>` +
    `<th>students</th><th>measured</th><th>a message</th></tr></thead><tbody>${
      groups.map((group) =>
        `<tr data-kind="${group.kind}"><td>${escapeText(group.exercise)}</td><td>${
          escapeText(group.check)
        }</td><td class="status-${KIND_STATUS[group.kind]}">${
          escapeText(whyText(group))
        }</td><td><b>${group.students.length}</b>: ${studentLinks(group.students)}</td><td>${
          escapeText(measuredText(group))
        }</td><td>${escapeText(group.message)}</td></tr>`
      ).join("")
    }</tbody></table>`;
}

/**
 * The "Not run" table: the checks that did not run, by exercise and reason (`notRunGroups`).
 *
 * @param gradebook The gradebook.
 * @returns The HTML table, or a sentence when every check ran.
 *
 * @example Usage
 * ```ts
 * import { notRunTable } from "./_html_failures.ts";
 * import { fakeMixedGradebook } from "./_fake_results.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(notRunTable(fakeMixedGradebook()).includes("not run: parallel_sum.ts is missing"));
 * ```
 */
export function notRunTable(gradebook: Gradebook): string {
  const groups = notRunGroups(gradebook);
  if (groups.length === 0) return '<p id="not-run">Every check ran.</p>';
  return `<table id="not-run"><thead><tr><th>exercise</th><th>reason</th><th>checks</th>` +
    `<th>students</th></tr></thead><tbody>${
      groups.map((group) =>
        `<tr><td>${escapeText(group.exercise)}</td><td class="status-skipped">not run: ${
          escapeText(group.reason)
        }</td><td>${
          group.checks.map(escapeText).join("<br>")
        }</td><td><b>${group.students.length}</b>: ${studentLinks(group.students)}</td></tr>`
      ).join("")
    }</tbody></table>`;
}
