import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import { SWEEP_FIXTURE } from "./_sweep_fixture.ts";
import { renderSweepTerminal } from "./sweep_terminal.ts";
import { renderExercise } from "./terminal.ts";

const SWEEP = SWEEP_FIXTURE;

// deno-lint-ignore no-control-regex
const ESCAPE = /\x1b\[/;

function chartRows(text: string): string[] {
  return text.split("\n").filter((line) => /^ +\d+\.\d\d× [┤┼]/.test(line));
}

Deno.test("renderSweepTerminal() draws a plain-text chart of the given height", () => {
  const text = renderSweepTerminal(SWEEP, { height: 10, width: 30 });
  ok(!ESCAPE.test(text), "no escape codes in plain text");
  const rows = chartRows(text);
  equal(rows.length, 11, "height + 1 rows of y labels");
  ok(rows[0]!.startsWith("  2.00×"), "the top is the ideal at the cores");
  ok(rows.at(-1)!.startsWith("  0.75×"), "the bottom is a quarter below the lowest point");
  ok(rows.some((row) => row.includes("·")), "the ideal line is dotted");
  ok(rows.some((row) => row.includes("-")), "the fit is dashed");
  ok(rows.some((row) => /[─╭╮╯╰]/.test(row.slice(9))), "the student's line is solid");
});

Deno.test("renderSweepTerminal() labels the x axis at the measured worker counts", () => {
  const text = renderSweepTerminal(SWEEP, { width: 30 });
  const lines = text.split("\n");
  const axis = lines.findIndex((line) => line.trimStart().startsWith("└"));
  ok(axis > 0);
  const ticks = [...lines[axis]!].flatMap((char, i) => (char === "┬" ? [i] : []));
  const labels = lines[axis + 1]!;
  deepEqual(ticks.map((i) => labels[i]), ["1", "2", "4"]);
  ok(labels.endsWith("workers (2 cores)"));
  equal(ticks[1]! - ticks[0]!, (ticks[2]! - ticks[1]!) / 2, "the axis is linear in workers");
});

Deno.test("renderSweepTerminal() lists the steps, the Karp–Flatt metric and the fit's words", () => {
  const lines = renderSweepTerminal(SWEEP).split("\n");
  const header = lines.indexOf("workers  speedup  spread  pairs  Karp–Flatt");
  ok(header > 0);
  deepEqual(lines.slice(header + 1, header + 4).map((line) => line.trim().split(/\s+/)), [
    ["1", "0.97×", "4%", "5", "–"],
    ["2", "1.86×", "4%", "5", "7.5%"],
    ["4", "1.70×", "4%", "5", "18%", "(oversubscribed)"],
  ]);
  equal(lines.at(-1), SWEEP.fit!.message);
  ok(lines.some((line) => line.includes("--- Amdahl fit (f ≈ 7.5%)")));
});

Deno.test("renderSweepTerminal() colours the series only when asked", () => {
  const text = renderSweepTerminal(SWEEP, { color: true });
  ok(ESCAPE.test(text));
  equal(chartRows(stripVTControlCharacters(text)).length, 13);
});

Deno.test("renderSweepTerminal() marks inconclusive steps and works without a fit", () => {
  const { fit: _fit, ...rest } = SWEEP;
  const text = renderSweepTerminal({
    ...rest,
    inconclusive: true,
    points: rest.points.map((point) => ({ ...point, inconclusive: point.workers === 2 })),
  });
  ok(text.includes("(inconclusive)"));
  ok(text.includes("Inconclusive: some steps varied too much: read the fit as a rough guide only"));
  ok(!text.includes("Amdahl fit"));
  ok(!chartRows(text).some((row) => row.includes("-")), "no fit line");
});

Deno.test("renderSweepTerminal() rejects an empty sweep and bad sizes", () => {
  throws(() => renderSweepTerminal({ ...SWEEP, points: [] }), /the sweep has no points/);
  throws(() => renderSweepTerminal(SWEEP, { height: 2 }), /height must be an integer from 8/);
  throws(() => renderSweepTerminal(SWEEP, { width: 1.5 }), RangeError);
});

Deno.test("renderExercise() shows a result's sweep under the exercise", () => {
  const text = renderExercise({
    version: 1,
    exercise: "02_try_pymp1",
    status: "passed",
    score: 1,
    maxScore: 1,
    checks: [],
    checkedAt: "2026-11-25T00:00:00.000Z",
    seconds: 1,
    machine: { cores: 2, deno: "2.9.6", platform: "linux-x86_64" },
    sweep: SWEEP,
  });
  const lines = text.split("\n");
  ok(lines.includes("  scaling sweep on 2 cores"));
  ok(lines.includes(`  ${SWEEP.fit!.message}`));
  equal(chartRows(text).length, 13);
});

Deno.test("renderSweepTerminal() says when the machine was busy before the sweep", () => {
  const text = renderSweepTerminal({ ...SWEEP, inconclusive: true, load: 2.4 });
  ok(text.includes("Inconclusive: the machine was busy before the sweep began (2.4 cores in use)"));
});

Deno.test("renderSweepTerminal() lists the pool's tasks per call when it knows them", () => {
  const lines = renderSweepTerminal({
    ...SWEEP,
    points: SWEEP.points.map((point) =>
      point.workers === 1 ? point : { ...point, tasks: 4 * point.workers, taskSeconds: 0.031 }
    ),
  }).split("\n");
  const header = lines.indexOf("workers  speedup  spread  pairs  Karp–Flatt  tasks  per task");
  ok(header > 0);
  deepEqual(lines.slice(header + 1, header + 4).map((line) => line.trim().split(/\s+/)), [
    ["1", "0.97×", "4%", "5", "–", "–", "–"],
    ["2", "1.86×", "4%", "5", "7.5%", "8", "31", "ms"],
    ["4", "1.70×", "4%", "5", "18%", "16", "31", "ms", "(oversubscribed)"],
  ]);
});

Deno.test("renderSweepTerminal() keeps a many-core sweep readable", () => {
  const workers = [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64, 128];
  const step = { spread: 0.02, pairs: 5, seconds: 1, referenceSeconds: 1, inconclusive: false };
  const text = renderSweepTerminal({
    cores: 64,
    inconclusive: false,
    points: workers.map((n) => ({ ...step, workers: n, speedup: Math.min(n, 64) * 0.5 })),
  }, { width: 60 });
  const lines = text.split("\n");
  const axis = lines.findIndex((line) => line.trimStart().startsWith("└"));
  equal(lines[axis]!.length - lines[axis]!.indexOf("└"), 62, "the axis is as wide as asked");
  const ticks = [...lines[axis]!].filter((char) => char === "┬").length;
  ok(ticks >= 9 && ticks <= workers.length, `distinct ticks: ${ticks}`);
  const labels = lines[axis + 1]!.replace(/workers.*$/, "").trim().split(/\s+/).map(Number);
  ok(labels.includes(1) && labels.includes(128), `labels: ${labels}`);
  deepEqual(labels, [...labels].sort((a, b) => a - b), "labels never run into each other");
  ok(labels.every((label) => workers.includes(label)));
});
