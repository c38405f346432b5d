/**
 * What every SVG chart of the reports shares: the size options and their check, the title block,
 * the look (CONFIG) and {@linkcode renderSvg}, the headless Vega render.
 *
 * @module
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { escapeControl } from "./_escape.ts";

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

/** The chart's size, checked: integers from 40 to 4000 pixels. */
export function checkSize(
  options: ChartOptions,
  caller: string,
): { width: number; height: number } {
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

/** The Vega-Lite title of a chart: its title, and its subtitle wrapped to the chart's width. */
export function titleOf(
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
 * Renders a Vega-Lite spec to a self-contained SVG string, headless. Control characters in the
 * spec's text (a title or label that holds a student id) come out as visible escapes, as in every
 * renderer: the SVG is embedded in the class report and may be printed.
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
    return escapeControl(await view.toSVG());
  } finally {
    view.finalize();
  }
}
