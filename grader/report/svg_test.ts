import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import type { Sweep } from "../result.ts";
import { SWEEP_FIXTURE } from "./_sweep_fixture.ts";
import { barChartSvg, histogramSvg, renderSvg, studentSweepFigures, sweepChartSvg } from "./svg.ts";

/** The aria labels of the marks of one kind ("bar", "point"), in drawing order. */
function labelsOf(svg: string, kind: string): string[] {
  const pattern = new RegExp(
    `aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${kind}"`,
    "g",
  );
  return [...svg.matchAll(pattern)].map((match) => match[1]!);
}

function assertSelfContained(svg: string): void {
  ok(svg.startsWith("<svg"), "starts as an SVG document");
  ok(svg.trimEnd().endsWith("</svg>"), "ends as an SVG document");
  ok(!/<script|<image|<foreignObject|@import|url\(/i.test(svg), "no script, image or import");
  const links = [...svg.matchAll(/https?:\/\/[^"' )]+/g)].map((match) => match[0]);
  deepEqual(
    [...new Set(links)].sort(),
    ["http://www.w3.org/1999/xlink", "http://www.w3.org/2000/svg"],
    "only the SVG namespaces",
  );
}

/** The fixture with its oversubscribed step inconclusive and overhead flagged. */
const SWEEP: Sweep = {
  ...SWEEP_FIXTURE,
  inconclusive: true,
  points: SWEEP_FIXTURE.points.map((point) => ({ ...point, inconclusive: point.workers === 4 })),
  fit: { ...SWEEP_FIXTURE.fit!, overhead: true, overheadReason: "speedup falls" },
};

Deno.test("renderSvg() renders an inline Vega-Lite spec to a self-contained SVG", async () => {
  const svg = await renderSvg({
    width: 100,
    height: 80,
    data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
    mark: "point",
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  });
  assertSelfContained(svg);
  deepEqual(labelsOf(svg, "point"), ["x: 1; y: 2", "x: 2; y: 3"]);
});

Deno.test("renderSvg() rejects a spec Vega-Lite cannot compile", async () => {
  await rejects(
    // @ts-expect-error: a mark that does not exist
    renderSvg({ data: { values: [] }, mark: "nonsense" }),
    TypeError,
  );
});

Deno.test("barChartSvg() draws one bar per item, in order, with titles", async () => {
  const svg = await barChartSvg(
    [{ label: "03", value: 1 }, { label: "01", value: 4.5 }, { label: "02", value: 0 }],
    { title: "Mean score", xTitle: "exercise", yTitle: "points" },
  );
  assertSelfContained(svg);
  deepEqual(labelsOf(svg, "bar"), [
    "exercise: 03; points: 1",
    "exercise: 01; points: 4.5",
    "exercise: 02; points: 0",
  ]);
  ok(svg.includes(">Mean score</text>"));
});

Deno.test("barChartSvg() rejects bad values and sizes", () => {
  throws(() => barChartSvg([{ label: "a", value: NaN }]), RangeError);
  throws(() => barChartSvg([{ label: 1 as unknown as string, value: 1 }]), TypeError);
  throws(() => barChartSvg([], { width: 0 }), /width must be an integer from 40 to 4000/);
});

Deno.test("histogramSvg() counts every value into nice bins", async () => {
  const values = [1, 2, 2, 3, 7, 8, 8, 9, 10, 10];
  const svg = await histogramSvg(values, { xTitle: "score", extent: [0, 10], title: "Scores" });
  assertSelfContained(svg);
  const bars = labelsOf(svg, "bar");
  deepEqual(bars, [
    "score: 1 – 2; count: 1",
    "score: 2 – 3; count: 2",
    "score: 3 – 4; count: 1",
    "score: 7 – 8; count: 1",
    "score: 8 – 9; count: 2",
    "score: 9 – 10; count: 3",
  ]);
  const total = bars.reduce((sum, label) => sum + Number(label.split("count: ")[1]), 0);
  equal(total, values.length);
});

Deno.test("histogramSvg() rejects bad values, bins and extents", () => {
  throws(() => histogramSvg([1, Infinity]), RangeError);
  throws(() => histogramSvg([1], { maxBins: 0 }), /maxBins must be a positive integer/);
  throws(() => histogramSvg([1], { extent: [5, 5] }), /extent must be increasing/);
});

Deno.test("sweepChartSvg() draws the student's points, the ideal line and the fit", async () => {
  const svg = await sweepChartSvg(SWEEP, { title: "02_try_pymp1" });
  assertSelfContained(svg);
  deepEqual(labelsOf(svg, "point"), [
    "workers: 1; speedup over the serial code: 0.97; series: your code; step: measured",
    "workers: 2; speedup over the serial code: 1.86; series: your code; step: measured",
    "workers: 4; speedup over the serial code: 1.7; series: your code; step: inconclusive",
  ]);
  equal(svg.match(/aria-roledescription="line mark"/g)?.length, 3, "ideal, fit and student lines");
  for (const text of ["ideal (linear up to the cores)", "Amdahl fit (f ≈ 7.5%)", "your code"]) {
    ok(svg.includes(`>${text}</text>`), `legend shows ${text}`);
  }
  ok(svg.includes(">2 cores</text>"));
  ok(svg.includes(">02_try_pymp1</text>"));
  ok(svg.includes("Your code is ≈ 7.5% serial;"), "the fit's words are the subtitle");
  ok(
    svg.includes("Inconclusive (a busy or noisy machine)"),
    "the subtitle says it is inconclusive",
  );
});

Deno.test("sweepChartSvg() draws no fit line when the sweep has no fit", async () => {
  const { fit: _fit, ...unfitted } = SWEEP;
  const svg = await sweepChartSvg({ ...unfitted, cores: 1, inconclusive: false }, { title: "t" });
  equal(svg.match(/aria-roledescription="line mark"/g)?.length, 2, "ideal and student lines");
  ok(!svg.includes("Amdahl fit"));
  ok(!svg.includes("Inconclusive"), "a conclusive sweep has no caveat");
  equal(labelsOf(svg, "point").length, 3);
});

Deno.test("sweepChartSvg() rejects a sweep without points", () => {
  throws(() => sweepChartSvg({ cores: 2, inconclusive: false, points: [] }), RangeError);
});

Deno.test("studentSweepFigures() draws one chart per swept exercise, keyed by student", async () => {
  const machine = { cores: 2, deno: "2.9.6", platform: "linux-x86_64" };
  const exercise = (slug: string, sweep?: Sweep) => ({
    version: 1 as const,
    exercise: slug,
    status: "passed" as const,
    score: 1,
    maxScore: 1,
    checks: [],
    checkedAt: "2026-11-25T00:00:00.000Z",
    seconds: 1,
    machine,
    ...(sweep === undefined ? {} : { sweep }),
  });
  const figures = await studentSweepFigures({
    version: 1,
    gradedAt: "2026-11-25T00:00:00.000Z",
    machine,
    students: [
      {
        student: "alice",
        score: 2,
        maxScore: 2,
        exercises: [exercise("01_a"), exercise("02_b", SWEEP)],
      },
      { student: "bob", score: 1, maxScore: 1, exercises: [exercise("02_b")] },
    ],
  });
  deepEqual(Object.keys(figures), ["alice"]);
  equal(figures.alice!.match(/<svg/g)?.length, 1);
  ok(figures.alice!.includes(">alice: 02_b</text>"));
  equal(labelsOf(figures.alice!, "point").length, 3);
});
