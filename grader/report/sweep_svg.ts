/**
 * The scaling sweep drawn as SVG ({@linkcode sweepChartSvg}: measured speedups against the ideal
 * line and the Amdahl fit) and the batch's per-student sweep figures ({@linkcode studentSweepFigures}).
 *
 * @module
 */
import { amdahlSpeedup } from "../measure/amdahl.ts";
import type { Gradebook, Sweep } from "../result.ts";
import { type ChartOptions, checkSize, renderSvg, titleOf } from "./_svg_frame.ts";

const PERCENT = new Intl.NumberFormat("en", { style: "percent", maximumSignificantDigits: 2 });

const SERIES = {
  ideal: "ideal (linear up to the cores)",
  code: "your code",
} as const;

/** The chart's data: the ideal and fitted lines at every worker count, and the measured points. */
function sweepSeries(sweep: Sweep) {
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
  return { maxWorkers, lines, points, fitSeries };
}

/** The colour encoding: grey ideal, orange fit (when there is one), blue measured. */
function seriesColor(fitSeries: string | undefined) {
  const domain: string[] = [SERIES.ideal];
  const range: string[] = ["#888888"];
  if (fitSeries !== undefined) {
    domain.push(fitSeries);
    range.push("#f58518");
  }
  domain.push(SERIES.code);
  range.push("#4c78a8");
  return {
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
}

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
 * import { sweepChartSvg } from "./sweep_svg.ts";
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
  const { maxWorkers, lines, points, fitSeries } = sweepSeries(sweep);
  const color = seriesColor(fitSeries);
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
 * import { studentSweepFigures } from "./sweep_svg.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const machine = { cores: 2, deno: "2.9.6", platform: "linux" };
 * deepEqual(await studentSweepFigures({ version: 1, gradedAt: "", machine, students: [] }), {});
 * ```
 */
export async function studentSweepFigures(gradebook: Gradebook): Promise<Record<string, string>> {
  // No prototype: a student folder named `constructor` or `__proto__` is a key like any other.
  const figures: Record<string, string> = Object.create(null);
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
