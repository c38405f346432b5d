/**
 * A scaling sweep as a terminal chart, drawn by `asciichart`: speedup against workers, the ideal
 * line (linear up to the cores, flat past them), the fitted Amdahl curve, the student's measured
 * curve, an x axis with the measured worker counts, then a table of the steps and the fit in words.
 *
 * Colour is for terminals only: with `color: false` (the default; pass `Deno.stdout.isTerminal()`)
 * the output is plain text, box-drawing characters and no escape codes, fit for a log or a pipe.
 *
 * @module
 */
// @ts-types="@types/asciichart"
import * as asciichart from "asciichart";
import { amdahlSpeedup } from "../measure/amdahl.ts";
import type { Sweep, SweepPoint } from "../result.ts";
import { formatSeconds } from "../_format.ts";

/** Options of {@linkcode renderSweepTerminal}. */
export interface SweepTerminalOptions {
  /** Colour the series with ANSI escape codes (for a TTY). */
  color?: boolean;
  /** The plot's width in columns, not counting the y labels. */
  width?: number;
  /** The plot's height in rows. */
  height?: number;
}

/** The defaults of {@linkcode SweepTerminalOptions}. */
export const SWEEP_TERMINAL_DEFAULTS: Readonly<Required<SweepTerminalOptions>> = Object.freeze({
  color: false,
  width: 48,
  height: 12,
});

const SPEEDUP = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat("en", { style: "percent", maximumSignificantDigits: 2 });

/** The student's speedup at `workers`, joining the measured points by straight lines. */
function interpolate(points: readonly SweepPoint[], workers: number): number {
  let before = points[0]!;
  for (const point of points) {
    if (point.workers === workers) return point.speedup;
    if (point.workers > workers) {
      const t = (workers - before.workers) / (point.workers - before.workers);
      return before.speedup + t * (point.speedup - before.speedup);
    }
    before = point;
  }
  return before.speedup;
}

type Symbols = [string, string, string, string, string, string, string, string, string, string];

/** Per series in plain text (ideal, fit, student): the axis glyphs, then the line's glyphs. */
const PLAIN: readonly Symbols[] = [
  ["┼", "┤", "·", "·", "·", "·", "·", "·", "·", "·"],
  ["┼", "┤", "-", "-", "-", "-", "-", "-", "-", ":"],
  ["┼", "┤", "╶", "╴", "─", "╰", "╭", "╮", "╯", "│"],
];
const PLAIN_MARKS = ["···", "---", "───"] as const;

/** Lays plain charts of the same size over each other: a later chart's marks win. */
function overlay(charts: readonly string[]): string {
  const grids = charts.map((chart) => chart.split("\n").map((line) => [...line]));
  const merged = grids[0]!.map((row) => [...row]);
  for (const grid of grids.slice(1)) {
    grid.forEach((row, r) =>
      row.forEach((char, c) => {
        if (char !== " ") merged[r]![c] = char;
      })
    );
  }
  return merged.map((row) => row.join("")).join("\n");
}

function paint(text: string, color: string | undefined): string {
  return color === undefined ? text : asciichart.colored(text, color);
}

/**
 * Renders a sweep for the terminal: the chart, its x axis and legend, one line per step (workers,
 * speedup, spread, pairs, Karp–Flatt metric, inconclusive steps marked), and the fit's words.
 *
 * @param sweep The sweep, as the result data holds it.
 * @param options Colour and size.
 * @returns The lines, joined by `\n`, without a final newline.
 * @throws {RangeError} If the sweep has no points, or the width or height is not an integer from 8
 * to 400.
 *
 * @example Usage
 * ```ts
 * import { renderSweepTerminal } from "./sweep_terminal.ts";
 * import { ok } from "node:assert/strict";
 *
 * const step = { spread: 0.02, pairs: 5, seconds: 1, referenceSeconds: 1, inconclusive: false };
 * const text = renderSweepTerminal({
 *   cores: 2,
 *   inconclusive: false,
 *   points: [{ ...step, workers: 1, speedup: 0.98 }, { ...step, workers: 2, speedup: 1.9 }],
 * });
 * ok(text.includes("workers"));
 * ok(!text.includes("\x1b["), "plain text by default");
 * ```
 */
export function renderSweepTerminal(sweep: Sweep, options: SweepTerminalOptions = {}): string {
  const { color, width, height } = { ...SWEEP_TERMINAL_DEFAULTS, ...options };
  for (const [name, value] of [["width", width], ["height", height]] as const) {
    if (!Number.isInteger(value) || value < 8 || value > 400) {
      throw new RangeError(
        `Cannot draw sweep chart: ${name} must be an integer from 8 to 400: received ${value}`,
      );
    }
  }
  if (sweep.points.length === 0) {
    throw new RangeError("Cannot draw sweep chart: the sweep has no points");
  }
  const points = [...sweep.points].sort((a, b) => a.workers - b.workers);
  const maxWorkers = points.at(-1)!.workers;
  const span = Math.max(1, maxWorkers - 1);
  // Whole columns per worker when they fit, so each worker count falls on a column.
  const columns = span <= width ? Math.floor(width / span) * span + 1 : width + 1;
  const at = (column: number): number => 1 + (column / (columns - 1)) * span;

  const ideal: number[] = [];
  const fitted: number[] = [];
  const measured: number[] = [];
  for (let column = 0; column < columns; column++) {
    const workers = at(column);
    const processors = Math.min(workers, sweep.cores);
    ideal.push(processors);
    if (sweep.fit !== undefined) {
      fitted.push(amdahlSpeedup(sweep.fit.serialFraction, processors));
    }
    measured.push(interpolate(points, workers));
  }
  const series = sweep.fit === undefined ? [ideal, measured] : [ideal, fitted, measured];
  const glyphs = sweep.fit === undefined ? [PLAIN[0], PLAIN[2]] : PLAIN;
  const palette = sweep.fit === undefined
    ? [asciichart.darkgray, asciichart.blue]
    : [asciichart.darkgray, asciichart.yellow, asciichart.blue];
  const all = [...ideal, ...measured, ...fitted];
  const config = {
    height,
    min: Math.min(1, Math.floor(Math.min(...all) * 4) / 4),
    max: Math.ceil(Math.max(...all) * 2) / 2,
    format: (value: number) => `${SPEEDUP.format(value)}×`.padStart(7),
  };
  const chart = color
    ? asciichart.plot(series, { ...config, colors: palette })
    : overlay(series.map((one, i) => asciichart.plot(one, { ...config, symbols: glyphs[i]! })));

  const { ticks, labels } = xAxis(chart, points, columns, span);
  const marks = sweep.fit === undefined ? [PLAIN_MARKS[0], PLAIN_MARKS[2]] : PLAIN_MARKS;
  const names = [
    "ideal",
    ...(sweep.fit === undefined
      ? []
      : [`Amdahl fit (f ≈ ${PERCENT.format(sweep.fit.serialFraction)})`]),
    "your code",
  ];
  const legend = names.map((name, i) =>
    color ? paint(`─── ${name}`, palette[i]) : `${marks[i]} ${name}`
  );

  const lines = [
    "speedup over the serial code",
    chart,
    ticks.join(""),
    `${labels.join("").trimEnd()}  workers (${sweep.cores} cores)`,
    legend.join("   "),
    "",
    ...stepLines(sweep, points),
  ];
  if (sweep.fit !== undefined) lines.push("", sweep.fit.message);
  if (sweep.inconclusive) lines.push(inconclusiveLine(sweep, points));
  return lines.join("\n");
}

/** The x axis under an asciichart plot: a tick per measured worker count, and their labels. */
function xAxis(
  chart: string,
  points: readonly SweepPoint[],
  columns: number,
  span: number,
): { ticks: string[]; labels: string[] } {
  // asciichart puts the y axis ("┤" or "┼") at the same column on every row.
  const firstRow = chart.split("\n")[0]!;
  const axisColumn = [...firstRow].findIndex((char) => char === "┤" || char === "┼");
  const origin = axisColumn + 1;
  const columnOf = (workers: number): number => Math.round(((workers - 1) / span) * (columns - 1));
  const ticks = Array.from(
    { length: origin + columns },
    (_, i): string => (i < axisColumn ? " " : "─"),
  );
  ticks[axisColumn] = "└";
  const labels = Array.from({ length: origin + columns + 4 }, () => " ");
  let free = 0;
  for (const point of points) {
    const column = origin + columnOf(point.workers);
    ticks[column] = "┬";
    const label = String(point.workers);
    if (column < free) continue; // Too close to the previous label: the tick alone marks it.
    for (let i = 0; i < label.length; i++) labels[column + i] = label[i]!;
    free = column + label.length + 1;
  }
  return { ticks, labels };
}

/** Why an inconclusive sweep is one, and how to read it. */
function inconclusiveLine(sweep: Sweep, points: readonly SweepPoint[]): string {
  const noisy = points.some((point) => point.inconclusive);
  const why = [
    ...(noisy ? ["some steps varied too much"] : []),
    ...(sweep.load !== undefined && !noisy
      ? [`the machine was busy before the sweep began (${sweep.load.toFixed(1)} cores in use)`]
      : []),
  ];
  return `Inconclusive: ${
    why.join("; ") || "the machine was too noisy"
  }: read the fit as a rough guide only, and sweep again when the machine is quieter.`;
}

function stepLines(sweep: Sweep, points: readonly SweepPoint[]): string[] {
  const karpFlatt = new Map(sweep.fit?.karpFlatt.map((step) => [step.workers, step.value]));
  const withTasks = points.some((point) => point.tasks !== undefined);
  const header = `workers  speedup  spread  pairs  Karp–Flatt${
    withTasks ? "  tasks  per task" : ""
  }`;
  return [
    header,
    ...points.map((point) => {
      const metric = karpFlatt.get(point.workers);
      const cells = [
        String(point.workers).padStart(7),
        `${SPEEDUP.format(point.speedup)}×`.padStart(8),
        PERCENT.format(point.spread).padStart(7),
        String(point.pairs).padStart(6),
        (metric === undefined ? "–" : PERCENT.format(metric)).padStart(11),
        ...(withTasks
          ? [
            (point.tasks === undefined ? "–" : String(point.tasks)).padStart(6),
            (point.taskSeconds === undefined ? "–" : formatSeconds(point.taskSeconds)).padStart(9),
          ]
          : []),
      ];
      const notes = [
        ...(point.workers > sweep.cores ? ["oversubscribed"] : []),
        ...(point.inconclusive ? ["inconclusive"] : []),
      ];
      return `${cells.join(" ")}${notes.length === 0 ? "" : `  (${notes.join(", ")})`}`;
    }),
  ];
}
