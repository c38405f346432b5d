/**
 * Self-contained SVG charts, drawn by Vega-Lite and rendered headless by Vega to an SVG string: no
 * DOM, no canvas, no network, no external fonts or images. {@linkcode sweepChartSvg} draws a scaling
 * sweep; {@linkcode barChartSvg} and {@linkcode histogramSvg} are small general charts for reports
 * (the class HTML report uses them); {@linkcode renderSvg} renders any Vega-Lite spec.
 *
 * Without a canvas, Vega estimates text widths from character counts, so the output is the same on
 * every machine.
 *
 * @module
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { amdahlSpeedup } from "../measure/amdahl.ts";
import type { Gradebook, Sweep } from "../result.ts";

/** Size and titles shared by every chart of this module. */
export interface ChartOptions {
  /** The chart's title; none when absent. */
  title?: string;
  /** A line under the title; none when absent. */
  subtitle?: string;
  /** The plot area's width in pixels (axes and legend come on top). */
  width?: number;
  /** The plot area's height in pixels. */
  height?: number;
}

/** The defaults of {@linkcode ChartOptions}. */
export const CHART_DEFAULTS: Readonly<Required<Pick<ChartOptions, "width" | "height">>> = Object
  .freeze({ width: 420, height: 260 });

const CONFIG = {
  background: "white",
  font: "sans-serif",
  view: { stroke: null },
  axis: { grid: true, gridOpacity: 0.35 },
} as const;

function checkSize(options: ChartOptions, caller: string): { width: number; height: number } {
  const { width, height } = { ...CHART_DEFAULTS, ...options };
  for (const [name, value] of [["width", width], ["height", height]] as const) {
    if (!Number.isInteger(value) || value < 40 || value > 4000) {
      throw new RangeError(
        `Cannot draw ${caller}: ${name} must be an integer from 40 to 4000: received ${value}`,
      );
    }
  }
  return { width, height };
}

/** Cuts text into lines of at most `width` characters, at spaces (a longer word keeps its line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((word) => word !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

function titleOf(
  options: ChartOptions,
  width: number,
): { title?: { text: string; subtitle?: string[]; anchor: "start" } } {
  if (options.title === undefined) return {};
  // About 6 pixels a character at the subtitle's 11px sans-serif.
  const perLine = Math.max(30, Math.floor(width / 6));
  return {
    title: {
      text: options.title,
      anchor: "start",
      ...(options.subtitle === undefined ? {} : { subtitle: wrap(options.subtitle, perLine) }),
    },
  };
}

/**
 * Renders a Vega-Lite spec to a self-contained SVG string, headless.
 *
 * @param spec The Vega-Lite spec; its data must be inline (`data: { values: [...] }`): nothing is
 * loaded.
 * @returns The SVG document, starting with `<svg`.
 * @throws {TypeError} If Vega-Lite or Vega rejects the spec.
 *
 * @example Usage
 * ```ts
 * import { renderSvg } from "./svg.ts";
 * import { ok } from "node:assert/strict";
 *
 * const svg = await renderSvg({
 *   data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
 *   mark: "line",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
 * });
 * ok(svg.startsWith("<svg"));
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  let view: View;
  try {
    const vegaSpec = compile({ config: CONFIG, ...spec } as TopLevelSpec).spec;
    view = new View(parse(vegaSpec), { renderer: "none" });
  } catch (error) {
    throw new TypeError(`Cannot render chart: the spec is not valid: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One bar of {@linkcode barChartSvg}. */
export interface Bar {
  /** The bar's category, on the x axis, in the order given. */
  label: string;
  /** Its height. */
  value: number;
}

/** Options of {@linkcode barChartSvg}. */
export interface BarChartOptions extends ChartOptions {
  /** The x axis title; none when absent. */
  xTitle?: string;
  /** The y axis title; none when absent. */
  yTitle?: string;
}

/**
 * Draws a bar chart: one bar per item, in the order given, labelled by its value.
 *
 * @param bars The bars.
 * @param options Titles and size.
 * @returns The SVG document.
 * @throws {TypeError} If a label is not a string.
 * @throws {RangeError} If a value is not a finite number, or the size is out of range.
 *
 * @example Usage
 * ```ts
 * import { barChartSvg } from "./svg.ts";
 * import { ok } from "node:assert/strict";
 *
 * const svg = await barChartSvg([{ label: "01", value: 3 }, { label: "02", value: 5 }], {
 *   title: "Points per exercise",
 * });
 * ok(svg.includes("Points per exercise"));
 * ```
 */
export function barChartSvg(bars: readonly Bar[], options: BarChartOptions = {}): Promise<string> {
  const size = checkSize(options, "bar chart");
  for (const bar of bars) {
    if (typeof bar.label !== "string") {
      throw new TypeError(
        `Cannot draw bar chart: labels must be strings: received ${typeof bar.label}`,
      );
    }
    if (!Number.isFinite(bar.value)) {
      throw new RangeError(
        `Cannot draw bar chart: values must be finite numbers: received ${bar.value} for "${bar.label}"`,
      );
    }
  }
  const values = bars.map((bar) => ({ label: bar.label, value: bar.value }));
  const x = {
    field: "label",
    type: "nominal",
    sort: null,
    axis: { labelAngle: 0 },
    title: options.xTitle ?? null,
  } as const;
  const y = { field: "value", type: "quantitative", title: options.yTitle ?? null } as const;
  return renderSvg({
    ...titleOf(options, size.width),
    ...size,
    data: { values },
    layer: [
      { mark: { type: "bar", color: "#4c78a8" }, encoding: { x, y } },
      {
        mark: { type: "text", dy: -6, color: "#333" },
        encoding: { x, y, text: { field: "value", type: "quantitative" } },
      },
    ],
  });
}

/** Options of {@linkcode histogramSvg}. */
export interface HistogramOptions extends ChartOptions {
  /** The x axis title (what the values are); none when absent. */
  xTitle?: string;
  /** The most bins to use; Vega-Lite picks nice bin edges up to this count. */
  maxBins?: number;
  /** The lowest and highest bin edge, when the scale is known (scores from 0 to maxScore). */
  extent?: readonly [number, number];
}

/**
 * Draws a histogram of numbers: how many fall in each bin, with nice bin edges.
 *
 * @param values The numbers.
 * @param options Titles, size, bins and extent.
 * @returns The SVG document.
 * @throws {RangeError} If a value is not a finite number, `maxBins` is not a positive integer, the
 * extent is not increasing, or the size is out of range.
 *
 * @example Usage
 * ```ts
 * import { histogramSvg } from "./svg.ts";
 * import { ok } from "node:assert/strict";
 *
 * const svg = await histogramSvg([3, 5, 5, 8, 10], { xTitle: "score", extent: [0, 10] });
 * ok(svg.includes("score"));
 * ```
 */
export function histogramSvg(
  values: readonly number[],
  options: HistogramOptions = {},
): Promise<string> {
  const size = checkSize(options, "histogram");
  const maxBins = options.maxBins ?? 10;
  if (!Number.isInteger(maxBins) || maxBins < 1) {
    throw new RangeError(
      `Cannot draw histogram: maxBins must be a positive integer: received ${maxBins}`,
    );
  }
  for (const value of values) {
    if (!Number.isFinite(value)) {
      throw new RangeError(
        `Cannot draw histogram: values must be finite numbers: received ${value}`,
      );
    }
  }
  const extent = options.extent;
  if (extent !== undefined && !(extent[0] < extent[1])) {
    throw new RangeError(
      `Cannot draw histogram: extent must be increasing: received [${extent[0]}, ${extent[1]}]`,
    );
  }
  return renderSvg({
    ...titleOf(options, size.width),
    ...size,
    data: { values: values.map((value) => ({ value })) },
    mark: { type: "bar", color: "#4c78a8", binSpacing: 1 },
    encoding: {
      x: {
        field: "value",
        type: "quantitative",
        bin: extent === undefined
          ? { maxbins: maxBins }
          : { maxbins: maxBins, extent: [...extent] },
        title: options.xTitle ?? null,
      },
      y: {
        aggregate: "count",
        type: "quantitative",
        title: "count",
        axis: { tickMinStep: 1, format: "d" },
      },
    },
  });
}

const PERCENT = new Intl.NumberFormat("en", { style: "percent", maximumSignificantDigits: 2 });

const SERIES = {
  ideal: "ideal (linear up to the cores)",
  code: "your code",
} as const;

/**
 * Draws a scaling sweep: the student's speedup against workers (points joined by a line, hollow
 * where a step was inconclusive), the ideal line (linear up to the cores, flat past them), the
 * fitted Amdahl curve, and a rule at the core count.
 *
 * @param sweep The sweep, as the result data holds it.
 * @param options Titles and size; the subtitle defaults to the fit's words, and says when the sweep
 * was inconclusive.
 * @returns The SVG document.
 * @throws {RangeError} If the sweep has no points, or the size is out of range.
 *
 * @example Usage
 * ```ts
 * import { sweepChartSvg } from "./svg.ts";
 * import { ok } from "node:assert/strict";
 *
 * const step = { spread: 0.02, pairs: 5, seconds: 1, referenceSeconds: 1, inconclusive: false };
 * const svg = await sweepChartSvg({
 *   cores: 2,
 *   inconclusive: false,
 *   points: [{ ...step, workers: 1, speedup: 0.98 }, { ...step, workers: 2, speedup: 1.9 }],
 * }, { title: "02_try_pymp1" });
 * ok(svg.includes("your code"));
 * ```
 */
export function sweepChartSvg(sweep: Sweep, options: ChartOptions = {}): Promise<string> {
  const size = checkSize(options, "sweep chart");
  if (sweep.points.length === 0) {
    throw new RangeError("Cannot draw sweep chart: the sweep has no points");
  }
  const maxWorkers = Math.max(...sweep.points.map((point) => point.workers));
  const lines: { workers: number; speedup: number; series: string }[] = [];
  const fitSeries = sweep.fit === undefined
    ? undefined
    : `Amdahl fit (f ≈ ${PERCENT.format(sweep.fit.serialFraction)})`;
  for (let workers = 1; workers <= maxWorkers; workers++) {
    const processors = Math.min(workers, sweep.cores);
    lines.push({ workers, speedup: processors, series: SERIES.ideal });
    if (sweep.fit !== undefined && fitSeries !== undefined) {
      lines.push({
        workers,
        speedup: amdahlSpeedup(sweep.fit.serialFraction, processors),
        series: fitSeries,
      });
    }
  }
  const points = [...sweep.points]
    .sort((a, b) => a.workers - b.workers)
    .map((point) => ({
      workers: point.workers,
      speedup: point.speedup,
      series: SERIES.code,
      step: point.inconclusive ? "inconclusive" : "measured",
    }));
  const domain: string[] = [SERIES.ideal];
  const range: string[] = ["#888888"];
  if (fitSeries !== undefined) {
    domain.push(fitSeries);
    range.push("#f58518");
  }
  domain.push(SERIES.code);
  range.push("#4c78a8");
  const color = {
    field: "series",
    type: "nominal" as const,
    title: null,
    scale: { domain, range },
    legend: {
      orient: "bottom" as const,
      direction: "vertical" as const,
      labelLimit: 0,
      symbolType: "stroke",
    },
  };
  const x = {
    field: "workers",
    type: "quantitative" as const,
    title: "workers",
    scale: { domain: [1, maxWorkers], nice: false, zero: false },
    axis: { tickMinStep: 1, format: "d" },
  };
  const y = {
    field: "speedup",
    type: "quantitative" as const,
    title: "speedup over the serial code",
    scale: { zero: true },
  };
  const caveat = sweep.inconclusive
    ? "Inconclusive (a busy or noisy machine): a rough guide only."
    : undefined;
  const subtitle = options.subtitle ??
    ([sweep.fit?.message, caveat].filter((text) => text !== undefined).join(" ") || undefined);
  return renderSvg({
    ...titleOf({ ...options, ...(subtitle === undefined ? {} : { subtitle }) }, size.width),
    ...size,
    layer: [
      {
        data: { values: [{ workers: sweep.cores, label: `${sweep.cores} cores` }] },
        layer: [
          {
            mark: { type: "rule", color: "#bbbbbb", strokeDash: [2, 2] },
            encoding: { x },
          },
          {
            mark: { type: "text", align: "left", dx: 4, y: 8, color: "#888888" },
            encoding: {
              x,
              text: { field: "label", type: "nominal" },
            },
          },
        ],
      },
      {
        data: { values: lines },
        mark: { type: "line", strokeDash: [6, 4] },
        encoding: { x, y, color, detail: { field: "series", type: "nominal" } },
      },
      {
        data: { values: points },
        layer: [
          { mark: { type: "line", strokeWidth: 2 }, encoding: { x, y, color } },
          {
            mark: { type: "point", size: 70, strokeWidth: 2 },
            encoding: {
              x,
              y,
              color,
              fill: {
                field: "step",
                type: "nominal",
                scale: { domain: ["measured", "inconclusive"], range: ["#4c78a8", "white"] },
                legend: null,
              },
              opacity: { value: 1 },
            },
          },
        ],
      },
    ],
  });
}

/**
 * The sweep charts of a gradebook, per student, for the class report's `studentFigures`: one SVG
 * per exercise that was swept (graded with `--sweep`), smaller than a student's own chart. Students
 * without a sweep are left out.
 *
 * @param gradebook The gradebook.
 * @returns The SVGs of each student, joined, keyed by student id.
 *
 * @example Usage
 * ```ts
 * import { studentSweepFigures } from "./svg.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const machine = { cores: 2, deno: "2.9.6", platform: "linux" };
 * deepEqual(await studentSweepFigures({ version: 1, gradedAt: "", machine, students: [] }), {});
 * ```
 */
export async function studentSweepFigures(gradebook: Gradebook): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  for (const student of gradebook.students) {
    const svgs: string[] = [];
    for (const exercise of student.exercises) {
      if (exercise.sweep === undefined || exercise.sweep.points.length === 0) continue;
      svgs.push(
        await sweepChartSvg(exercise.sweep, {
          title: `${student.student}: ${exercise.exercise}`,
          width: 300,
          height: 180,
        }),
      );
    }
    if (svgs.length > 0) figures[student.student] = svgs.join("\n");
  }
  return figures;
}
