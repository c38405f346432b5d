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
import { type ChartOptions, checkSize, renderSvg, titleOf } from "./_svg_frame.ts";

export { CHART_DEFAULTS, type ChartOptions, renderSvg } from "./_svg_frame.ts";
export { studentSweepFigures, sweepChartSvg } from "./sweep_svg.ts";

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
