/**
 * The class report's speedup chart: a histogram of the class's speedups on one timed check from 0
 * to the impossible bound (1.5× the cores: above it the work was skipped), a rule at the
 * threshold, and the speedups past the bound as one mark at the axis's end with their count, so
 * that one closed form at 315× cannot squeeze the class into one bar. A Vega-Lite spec rendered
 * by {@linkcode renderSvg}.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { renderSvg } from "./svg.ts";

/** Options of {@linkcode speedupHistogramSvg}. */
export interface SpeedupHistogramOptions {
  /** The speedup needed to pass; no rule when absent. */
  threshold?: number;
  /**
   * The highest possible speedup (1.5× the cores); the axis ends there and faster speedups are
   * outliers. Default: the largest speedup (at least 2), so that there are no outliers.
   */
  bound?: number;
  /** The chart's title. */
  title?: string;
}

/** Bin widths to choose from: about 30 bins over the axis. */
const STEPS = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10];

/** The speedups of a histogram split at its bound. */
export interface SplitSpeedups {
  /** The axis's end. */
  bound: number;
  /** The speedups from 0 to the bound. */
  plotted: number[];
  /** The speedups above the bound. */
  outliers: number[];
}

/**
 * Splits speedups at the bound (finite values only).
 *
 * @param speedups The speedups.
 * @param bound The axis's end; default the largest speedup, at least 2.
 * @returns The bound and the two parts.
 *
 * @example Usage
 * ```ts
 * import { splitSpeedups } from "./_html_chart.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(splitSpeedups([1.9, 315, 1.9], 3), { bound: 3, plotted: [1.9, 1.9], outliers: [315] });
 * ```
 */
export function splitSpeedups(speedups: readonly number[], bound?: number): SplitSpeedups {
  const values = speedups.filter(Number.isFinite);
  const end = bound !== undefined && bound > 0 ? bound : Math.max(2, ...values);
  return {
    bound: end,
    plotted: values.filter((speedup) => speedup <= end),
    outliers: values.filter((speedup) => speedup > end),
  };
}

/**
 * Draws how many students reached each speedup, from 0 to the bound, with the threshold as a red
 * rule and the speedups past the bound as a grey ▶ at the axis's end labelled with their count.
 *
 * @param speedups One measured speedup per student.
 * @param options The threshold, bound and title.
 * @returns The SVG document.
 */
export function speedupHistogramSvg(
  speedups: readonly number[],
  options: SpeedupHistogramOptions = {},
): Promise<string> {
  const { bound, plotted, outliers } = splitSpeedups(speedups, options.bound);
  const step = STEPS.find((candidate) => bound / candidate <= 40) ?? STEPS.at(-1)!;
  const extent: [number, number] = [0, Math.ceil(bound / step) * step];
  const x = {
    field: "speedup",
    type: "quantitative",
    scale: { domain: extent, nice: false },
    title: "speedup (×, serial reference ÷ student)",
  } as const;
  const y = { title: "students", axis: { tickMinStep: 1, format: "d" } } as const;
  const histogram = {
    data: { values: plotted.map((speedup) => ({ speedup })) },
    mark: { type: "bar", color: "#4c78a8", binSpacing: 1 },
    encoding: {
      x: { ...x, bin: { step, extent } },
      y: { aggregate: "count", type: "quantitative", ...y },
    },
  };
  const layers: unknown[] = [histogram];
  const threshold = options.threshold;
  if (threshold !== undefined) {
    const label = { threshold, label: `threshold ${threshold.toFixed(2)}×` };
    layers.push(
      {
        data: { values: [label] },
        mark: { type: "rule", color: "#b3261e", strokeWidth: 2, strokeDash: [6, 3] },
        encoding: { x: { field: "threshold", type: "quantitative" } },
      },
      {
        data: { values: [label] },
        mark: {
          type: "text",
          color: "#b3261e",
          align: "center",
          baseline: "bottom",
          y: -4,
          fontWeight: "bold",
        },
        encoding: {
          x: { field: "threshold", type: "quantitative" },
          text: { field: "label", type: "nominal" },
        },
      },
    );
  }
  if (outliers.length > 0) {
    const top = Math.max(...outliers);
    const mark = {
      speedup: extent[1],
      count: outliers.length,
      label: `${outliers.length} above ${formatSpeedup(bound)} (up to ${formatSpeedup(top)})`,
    };
    layers.push(
      {
        data: { values: [mark] },
        mark: {
          type: "point",
          shape: "triangle-right",
          size: 180,
          filled: true,
          color: "#6b6b6b",
          clip: false,
        },
        encoding: { x, y: { field: "count", type: "quantitative", ...y } },
      },
      {
        data: { values: [mark] },
        mark: { type: "text", color: "#444444", align: "right", dx: -10, dy: -12 },
        encoding: {
          x,
          y: { field: "count", type: "quantitative", ...y },
          text: { field: "label", type: "nominal" },
        },
      },
    );
  }
  return renderSvg({
    ...(options.title === undefined ? {} : { title: { text: options.title, offset: 18 } }),
    width: 420,
    height: 220,
    background: "white",
    layer: layers,
  } as TopLevelSpec);
}

function formatSpeedup(speedup: number): string {
  return `${speedup >= 10 ? speedup.toFixed(0) : speedup.toFixed(1)}×`;
}
