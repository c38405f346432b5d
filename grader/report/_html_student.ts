/**
 * The class report's per-student part: each student's row opens onto their checks (status,
 * points, message, measurements) and output (capped), so an instructor never needs to open
 * results.json; and the text escaping every student string goes through (HTML and control
 * characters).
 *
 * @module
 */
// @ts-types="@types/escape-html"
import escapeHtml from "escape-html";
import type { CheckResult, ExerciseResult, Measurements, StudentResult } from "../result.ts";
import { escapeControl } from "./_escape.ts";
import { formatSeconds } from "../_format.ts";

/** Characters of one exercise's output shown in the page; the rest is in results.json. */
export const OUTPUT_CAP = 4000;

/**
 * Escapes a student string for HTML text or an attribute: `&<>"'` as entities, and each control
 * character shown as its code (`\x1b`, `_escape.ts`), so that terminal escapes, NULs and bidirectional
 * overrides print as what they are.
 *
 * @param text The untrusted text.
 * @returns The escaped text.
 *
 * @example Usage
 * ```ts
 * import { escapeText } from "./_html_student.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(escapeText("\u001b[31m<b>"), "\\x1b[31m&lt;b&gt;");
 * ```
 */
export function escapeText(text: string): string {
  return escapeHtml(escapeControl(text));
}

/**
 * The words of a check's measurements.
 *
 * @param measurements The measurements, if any.
 * @returns The text, empty without measurements.
 *
 * @example Usage
 * ```ts
 * import { measurementText } from "./_html_student.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(measurementText({ speedup: 1.9, threshold: 1.4, workers: 2 }), "speedup 1.90× (threshold 1.40×) · 2 workers");
 * ```
 */
export function measurementText(measurements: Measurements | undefined): string {
  if (!measurements) return "";
  const m = measurements;
  const parts: string[] = [];
  if (m.speedup !== undefined) {
    parts.push(
      `speedup ${m.speedup.toFixed(2)}×${
        m.threshold !== undefined ? ` (threshold ${m.threshold.toFixed(2)}×)` : ""
      }`,
    );
  }
  if (m.seconds !== undefined) {
    parts.push(
      `${formatSeconds(m.seconds)}${
        m.referenceSeconds !== undefined ? ` vs ${formatSeconds(m.referenceSeconds)} serial` : ""
      }`,
    );
  }
  if (m.workers !== undefined) parts.push(`${m.workers} workers`);
  if (m.cores !== undefined) parts.push(`${m.cores} cores`);
  if (m.pairs !== undefined) parts.push(`${m.pairs} pairs`);
  if (m.spread !== undefined) parts.push(`spread ${(m.spread * 100).toFixed(0)}%`);
  if (m.tasks !== undefined) parts.push(`${m.tasks} tasks`);
  if (m.taskSeconds !== undefined) parts.push(`${formatSeconds(m.taskSeconds)} a task`);
  return parts.join(" · ");
}

function score(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function checkRow(check: CheckResult): string {
  return `<tr><td>${
    escapeText(check.name)
  }</td><td class="status-${check.status}">${check.status}` +
    `</td><td class="num">${score(check.score)} / ${score(check.maxScore)}</td><td>${
      escapeText(check.message)
    }</td><td>${escapeText(measurementText(check.measurements))}</td></tr>`;
}

function outputBlock(output: string | undefined): string {
  if (!output) return '<p class="meta">No output.</p>';
  const shown = output.length > OUTPUT_CAP
    ? `${output.slice(0, OUTPUT_CAP)}\n[... ${
      output.length - OUTPUT_CAP
    } more characters in the student's results.json]`
    : output;
  return `<details class="output"><summary>output (${output.length} characters)</summary><pre>${
    escapeText(shown)
  }</pre></details>`;
}

function exerciseSection(result: ExerciseResult): string {
  return `<section class="exercise"><h4>${escapeText(result.exercise)} <span class="status-${
    escapeText(result.status)
  }">${escapeText(result.status)}</span> ${score(result.score)} / ${score(result.maxScore)}` +
    ` <span class="meta">in ${result.seconds.toFixed(1)} s, ${
      escapeText(result.checkedAt)
    }</span></h4><table class="checks"><thead><tr><th>check</th><th>status</th><th>points</th>` +
    `<th>message</th><th>measured</th></tr></thead><tbody>${
      result.checks.map(checkRow).join("")
    }</tbody></table>${outputBlock(result.output)}</section>`;
}

/**
 * The row under a student's row that their button opens: every exercise's checks and output.
 *
 * @param row The student's results.
 * @param id The row's element id.
 * @param columns How many columns the student table has.
 * @param figure A self-contained SVG to add (the student's sweep), when there is one.
 * @returns The `<tr>`, hidden until opened; tablesort leaves it in place and the page's script
 * moves it back under its student after a sort.
 */
export function studentDetailRow(
  row: StudentResult,
  id: string,
  columns: number,
  figure?: string,
): string {
  const body = row.exercises.length > 0
    ? row.exercises.map(exerciseSection).join("")
    : '<p class="meta">No exercise was graded.</p>';
  return `<tr class="detail" id="${id}" data-sort-method="none" hidden><td colspan="${columns}" ` +
    `data-sort="">${body}${figure ? `<div class="sweep">${figure}</div>` : ""}</td></tr>`;
}

/**
 * The lower-case text a student's row is found by: their id, and each exercise's and check's
 * status, name and message.
 *
 * @param row The student's results.
 * @returns The text, escaped for an attribute.
 */
export function searchText(row: StudentResult): string {
  const words = [row.student];
  for (const result of row.exercises) {
    words.push(result.exercise, result.status);
    for (const check of result.checks) words.push(check.name, check.status, check.message);
  }
  return escapeText(words.join(" ").toLowerCase());
}

/**
 * The page's script (inline, under the page's CSP): tablesort on the student table, each
 * student's button opening their detail row (kept under its student after a sort), the search
 * box filtering students (`?q=` fills it), and `#student=ID` opening that student (on load, and
 * when a link to a student in the page is followed).
 */
export const STUDENT_SCRIPT = `(() => {
  const table = document.getElementById("students");
  new Tablesort(table);
  const rows = () => [...table.tBodies[0].rows].filter((row) => row.dataset.detail);
  const detailOf = (row) => document.getElementById(row.dataset.detail);
  const open = (row, on) => {
    detailOf(row).hidden = !on;
    row.querySelector("button.open").setAttribute("aria-expanded", String(on));
  };
  table.addEventListener("afterSort", () => {
    for (const row of rows()) row.after(detailOf(row));
  });
  table.addEventListener("click", (event) => {
    const button = event.target.closest("button.open");
    if (!button) return;
    const row = button.closest("tr");
    open(row, detailOf(row).hidden);
  });
  const search = document.getElementById("student-search");
  const count = document.getElementById("student-count");
  const filter = () => {
    const query = search.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows()) {
      const hit = query === "" || row.dataset.search.includes(query);
      row.hidden = !hit;
      if (!hit) open(row, false);
      if (hit) shown++;
    }
    count.textContent = shown + " of " + rows().length + " students shown";
  };
  search.addEventListener("input", filter);
  const query = new URLSearchParams(location.search).get("q");
  if (query !== null) search.value = query;
  filter();
  const openFromHash = (hash) => {
    let id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch {
      return;
    }
    if (!id.startsWith("student=")) return;
    const row = rows().find((candidate) => candidate.dataset.student === id.slice(8));
    if (!row) return;
    if (row.hidden) {
      search.value = "";
      filter();
    }
    open(row, true);
    row.scrollIntoView();
  };
  openFromHash(location.hash);
  addEventListener("hashchange", () => openFromHash(location.hash));
  // A link to a student opens them even when the address already ends in their hash.
  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#student="]');
    if (link) openFromHash(link.hash);
  });
})();`;
