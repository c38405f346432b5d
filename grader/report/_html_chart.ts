/**
 * The class report's speedup chart: a histogram of the class's speedups on one timed check with a
 * rule at the threshold, a Vega-Lite spec rendered by the sweep's {@linkcode renderSvg}.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { renderSvg } from "./svg.ts";

/** Options of {@linkcode speedupHistogramSvg}. */
export interface SpeedupHistogramOptions {
  /** The speedup needed to pass; no rule when absent. */
  threshold?: number;
  /** The chart's title. */
  title?: string;
}

/**
 * Draws how many students reached each speedup, bins of 0.1×, with the threshold as a red rule.
 *
 * @param speedups One measured speedup per student.
 * @param options The threshold and title.
 * @returns The SVG document.
 */
export function speedupHistogramSvg(
  speedups: readonly number[],
  options: SpeedupHistogramOptions = {},
): Promise<string> {
  const values = speedups.filter(Number.isFinite);
  const top = Math.max(2, ...values, options.threshold ?? 0);
  const extent: [number, number] = [0, Math.ceil(top * 2) / 2];
  const histogram = {
    data: { values: values.map((speedup) => ({ speedup })) },
    mark: { type: "bar", color: "#4c78a8", binSpacing: 1 },
    encoding: {
      x: {
        field: "speedup",
        type: "quantitative",
        bin: { step: 0.1, extent },
        scale: { domain: extent },
        title: "speedup (×, serial reference ÷ student)",
      },
      y: {
        aggregate: "count",
        type: "quantitative",
        title: "students",
        axis: { tickMinStep: 1, format: "d" },
      },
    },
  };
  const threshold = options.threshold;
  const rule = threshold === undefined ? [] : [
    {
      data: { values: [{ threshold, label: `threshold ${threshold.toFixed(2)}×` }] },
      mark: { type: "rule", color: "#b3261e", strokeWidth: 2, strokeDash: [6, 3] },
      encoding: { x: { field: "threshold", type: "quantitative" } },
    },
    {
      data: { values: [{ threshold, label: `threshold ${threshold.toFixed(2)}×` }] },
      mark: { type: "text", color: "#b3261e", align: "left", dx: 4, y: 8 },
      encoding: {
        x: { field: "threshold", type: "quantitative" },
        text: { field: "label", type: "nominal" },
      },
    },
  ];
  return renderSvg({
    title: options.title,
    width: 420,
    height: 220,
    background: "white",
    layer: [histogram, ...rule],
  } as TopLevelSpec);
}
