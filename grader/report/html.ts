/**
 * Renders a gradebook as the class report: one self-contained HTML file (no network, no CDN; a
 * Content-Security-Policy forbids any fetch) with the pass rate per exercise and per check, the
 * distribution of speedups across the class against the threshold (an SVG chart per timed check),
 * from 0 to the impossible bound with outliers as one counted mark), the slowest runs, the failing
 * checks grouped by why they failed and the checks that did not run (a missing file) with the
 * reason (`_html_failures.ts`), and a per-student table sortable by any column (tablesort,
 * inlined) and searchable, each student opening onto their checks, messages, measurements and
 * output.
 *
 * @module
 */
import TABLESORT from "tablesort/dist/tablesort.min.js" with { type: "text" };
import TABLESORT_NUMBER from "tablesort/dist/sorts/tablesort.number.min.js" with { type: "text" };
import type { Gradebook } from "../result.ts";
import {
  checkRates,
  exerciseRates,
  IMPOSSIBLE_SPEEDUP_PER_CORE,
  type Rate,
  slowestRuns,
  speedupSeries,
} from "./_class_stats.ts";
import { failureTable, notRunTable } from "./_html_failures.ts";
import { speedupHistogramSvg, splitSpeedups } from "./_html_chart.ts";
import { HTML_STYLE } from "./_html_style.ts";
import { escapeText, searchText, STUDENT_SCRIPT, studentDetailRow } from "./_html_student.ts";
import { machineText } from "./gradescope.ts";
import { median as medianOf } from "../measure/statistics.ts";

/** How a batch spent its time, as shown at the top of the report. */
export interface BatchTiming {
  /** Wall time of the whole batch, in seconds. */
  totalSeconds: number;
  /** Wall time spent in correctness runs (which may run in parallel). */
  correctnessSeconds: number;
  /** Wall time spent in timed runs (which never overlap other work). */
  timedSeconds: number;
  /** Everything else: discovering submissions, copying, writing files. */
  overheadSeconds: number;
  /** Students graded in this run. */
  graded: number;
  /** Students whose saved results were reused (a resumed batch). */
  reused: number;
}

/** Options for {@linkcode classReportHtml}. */
export interface ClassReportOptions {
  /** The page's title. Default `"parakit class report"`. */
  title?: string;
  /** How the batch spent its time, when the report comes from a batch. */
  timing?: BatchTiming;
  /** How many slowest runs to list. Default 10. */
  slowest?: number;
  /**
   * Extra SVG figures per student (for example a scaling sweep), keyed by student id; each is
   * embedded under the student's row as it is, so it must be a self-contained SVG.
   */
  studentFigures?: Readonly<Record<string, string>>;
}

const DEFAULTS = { title: "parakit class report", slowest: 10 } as const;

/**
 * Renders the class report of a gradebook.
 *
 * @param gradebook The gradebook.
 * @param options The title, the batch's timing, how many slow runs to list.
 * @returns The whole HTML document.
 *
 * @example Usage
 * ```ts
 * import { classReportHtml } from "./html.ts";
 * import { ok } from "node:assert/strict";
 *
 * const html = await classReportHtml({
 *   version: 1,
 *   gradedAt: "2026-11-25T00:00:00.000Z",
 *   machine: { cores: 2, deno: "2.9.6", platform: "linux x86_64" },
 *   students: [],
 * });
 * ok(html.startsWith("<!doctype html>"));
 * ok(html.includes('id="students"'));
 * ```
 */
export async function classReportHtml(
  gradebook: Gradebook,
  options: ClassReportOptions = {},
): Promise<string> {
  const title = options.title ?? DEFAULTS.title;
  const exercises = exerciseRates(gradebook);
  const charts = await Promise.all(
    speedupSeries(gradebook).map(async (series) => {
      const thresholds = series.points.flatMap((p) =>
        p.threshold === undefined ? [] : [p.threshold]
      );
      const cores = Math.max(
        ...series.points.map((p) => p.cores ?? 0),
        series.points.some((p) => p.cores !== undefined) ? 0 : gradebook.machine.cores,
      );
      const bound = IMPOSSIBLE_SPEEDUP_PER_CORE * cores;
      const speedups = series.points.map((p) => p.speedup);
      const svg = await speedupHistogramSvg(speedups, {
        threshold: median(thresholds),
        bound,
        title: `${series.exercise}: ${series.check}`,
      });
      const passed = series.points.filter((p) => p.status === "passed").length;
      const { outliers } = splitSpeedups(speedups, bound);
      const outlierText = outliers.length > 0
        ? `; ${outliers.length} above ${formatNumber(bound)}× (more than ${cores} cores can ` +
          `give: the work was skipped), the ▶ at the axis's end`
        : "";
      return `<figure class="chart">${svg}<figcaption>${escapeText(series.exercise)}: ${
        escapeText(series.check)
      }: ${series.points.length} measured, ${passed} at or above the threshold${
        thresholds.length > 0 ? ` (${formatNumber(median(thresholds) ?? 0)}×)` : ""
      }${outlierText}</figcaption></figure>`;
    }),
  );
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; ` +
    `style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(title)}</title><style>${HTML_STYLE}</style></head><body>`,
    `<h1>${escapeText(title)}</h1>`,
    `<p class="meta">${gradebook.students.length} students, graded ${
      escapeText(gradebook.gradedAt)
    } on ${escapeText(machineText(gradebook.machine))}.</p>`,
    options.timing ? timingSection(options.timing) : "",
    "<h2>Pass rate per exercise</h2>",
    rateTable(exercises, false),
    "<h2>Speedups across the class</h2>",
    charts.length > 0
      ? `<div class="charts" id="speedups">${charts.join("")}</div>`
      : '<p id="speedups">No speedup was measured in this batch.</p>',
    "<h2>Pass rate per check</h2>",
    rateTable(checkRates(gradebook), true),
    "<h2>Slowest runs</h2>",
    slowestTable(gradebook, options.slowest ?? DEFAULTS.slowest),
    "<h2>Failing checks</h2>",
    '<p class="meta">Each check that ran and did not pass (failed, or could not be decided), by ' +
    "why, read from its status and measurements: a speedup above what the cores can give, the " +
    "work not done, a speedup below the threshold, a crash... The most common first; a " +
    "student's name opens their own messages.</p>",
    failureTable(gradebook),
    "<h2>Not run</h2>",
    '<p class="meta">Checks that did not run, and why (a missing file, or an earlier check ' +
    "that had to pass first).</p>",
    notRunTable(gradebook),
    "<h2>Students</h2>",
    '<p class="meta">Click a column header to sort, a student to open their checks, messages, ' +
    "measurements and output.</p>",
    '<p><input type="search" id="student-search" placeholder="search students, statuses, ' +
    'messages" aria-label="search students" size="40"> <span id="student-count" ' +
    'class="meta"></span></p>',
    studentTable(gradebook, exercises.map((rate) => rate.exercise), options.studentFigures ?? {}),
    `<script>${TABLESORT}\n${TABLESORT_NUMBER}\n${STUDENT_SCRIPT}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}

function timingSection(timing: BatchTiming): string {
  const each = timing.graded > 0
    ? ` (${formatSeconds(timing.totalSeconds / timing.graded)} each)`
    : "";
  return `<p class="meta" id="timing">Batch: ${
    formatSeconds(timing.totalSeconds)
  } for ${timing.graded} graded${each} and ${timing.reused} reused; correctness ${
    formatSeconds(timing.correctnessSeconds)
  }, timed runs ${formatSeconds(timing.timedSeconds)}, overhead ${
    formatSeconds(timing.overheadSeconds)
  }.</p>`;
}

function rateTable(rates: Rate[], perCheck: boolean): string {
  if (rates.length === 0) return "<p>No results.</p>";
  const rows = rates.map((rate) => {
    const share = rate.total > 0 ? rate.passed / rate.total : 0;
    const others = Object.entries(rate.statuses)
      .filter(([status]) => status !== "passed")
      .map(([status, count]) => `${count} ${status}`)
      .join(", ");
    return `<tr><td>${escapeText(rate.exercise)}</td>${
      perCheck ? `<td>${escapeText(rate.check ?? "")}</td>` : ""
    }<td class="num">${rate.passed} / ${rate.total}</td><td><span class="bar"><span style="width:${
      (share * 100).toFixed(1)
    }%"></span></span> ${(share * 100).toFixed(0)}%</td><td>${escapeText(others)}</td></tr>`;
  });
  return `<table class="rates"><thead><tr><th>exercise</th>${
    perCheck ? "<th>check</th>" : ""
  }<th>passed</th><th>rate</th><th>others</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function slowestTable(gradebook: Gradebook, limit: number): string {
  const runs = slowestRuns(gradebook, limit);
  if (runs.length === 0) return "<p>No runs.</p>";
  return `<table><thead><tr><th>student</th><th>exercise</th><th>seconds</th><th>status</th></tr>` +
    `</thead><tbody>${
      runs.map((run) =>
        `<tr><td>${escapeText(run.student)}</td><td>${escapeText(run.exercise)}</td>` +
        `<td class="num">${run.seconds.toFixed(1)}</td><td>${escapeText(run.status)}</td></tr>`
      ).join("")
    }</tbody></table>`;
}

function studentTable(
  gradebook: Gradebook,
  exercises: string[],
  figures: Readonly<Record<string, string>>,
): string {
  const head = `<tr><th>student</th><th data-sort-method="number">score</th>` +
    `<th data-sort-method="number">max</th><th data-sort-method="number">%</th>${
      exercises.map((name) => `<th data-sort-method="number">${escapeText(name)}</th>`).join("")
    }</tr>`;
  const columns = 4 + exercises.length;
  const rows = gradebook.students.map((row, index) => {
    const byExercise = new Map(row.exercises.map((result) => [result.exercise, result]));
    const share = row.maxScore > 0 ? (row.score / row.maxScore) * 100 : 0;
    const cells = exercises.map((name) => {
      const result = byExercise.get(name);
      if (!result) return '<td data-sort="-1">—</td>';
      return `<td class="status-${result.status}" data-sort="${result.score}">${
        formatNumber(result.score)
      } / ${formatNumber(result.maxScore)} ${result.status}</td>`;
    });
    const id = `detail-${index}`;
    const name = escapeText(row.student);
    return `<tr class="student" data-student="${name}" data-detail="${id}" data-search="${
      searchText(row)
    }"><td data-sort="${name}"><button class="open" type="button" aria-expanded="false" ` +
      `aria-controls="${id}">${name}</button></td><td class="num">${
        formatNumber(row.score)
      }</td><td class="num">${formatNumber(row.maxScore)}</td><td class="num">${
        share.toFixed(0)
      }</td>${cells.join("")}</tr>${
        studentDetailRow(row, id, columns, ownFigure(figures, row.student))
      }`;
  });
  return `<table id="students"><thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`;
}

/** A student's figure: an own key only (a student id may be `constructor` or `__proto__`). */
function ownFigure(figures: Readonly<Record<string, string>>, student: string): string | undefined {
  return Object.hasOwn(figures, student) ? figures[student] : undefined;
}

function median(values: number[]): number | undefined {
  return values.length === 0 ? undefined : medianOf(values);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function formatSeconds(seconds: number): string {
  return seconds >= 90 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}
