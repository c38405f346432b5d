import { equal, match, ok } from "node:assert/strict";
import { styleText } from "node:util";
import type { ExerciseResult } from "../result.ts";
import { renderExercise, speedupBar } from "./terminal.ts";

const RESULT: ExerciseResult = {
  version: 1,
  exercise: "02_try_pymp1",
  status: "failed",
  score: 1,
  maxScore: 3,
  checks: [
    { name: "exact", status: "passed", message: "Exact on 8 ranges", score: 1, maxScore: 1 },
    {
      name: "faster",
      status: "failed",
      message: "1.10× below 1.4×",
      score: 0,
      maxScore: 2,
      measurements: {
        speedup: 1.1,
        threshold: 1.4,
        cores: 2,
        workers: 2,
        seconds: 0.3,
        referenceSeconds: 0.33,
      },
    },
  ],
  output: "✔ all checks passed\n",
  checkedAt: "2026-01-01T00:00:00Z",
  seconds: 4.2,
  machine: { cores: 2, deno: "2.9.6", platform: "linux-x86_64" },
};

Deno.test("renderExercise() shows a line per check, the speedup bar and output, no hint", () => {
  const text = renderExercise(RESULT, { title: "How?" });
  match(text, /^02_try_pymp1 · How\?/);
  match(text, /✔ exact\n/);
  match(text, /✘ faster failed/);
  match(text, /│.* 1\.10× \(needs 1\.4×, 2 workers, 2 cores\)/);
  match(text, /failed · 1\/3 points/);
  match(text, / {2}│ ✔ all checks passed/);
  ok(!text.includes("hint"));
});

Deno.test("renderExercise() colours only when asked", () => {
  ok(!renderExercise(RESULT).includes("\x1b["));
  ok(renderExercise(RESULT, { color: true }).includes("\x1b["));
});

Deno.test("speedupBar() fills up to the speedup and marks the threshold", () => {
  const bar = speedupBar(3, { threshold: 1.5, full: 3 });
  equal(bar.length, 30);
  equal(bar[15], "│");
  equal(bar[29], "█");
  equal(speedupBar(0, { threshold: 1, full: 2 }).replaceAll("·", "").replace("│", ""), "");
});

Deno.test("renderExercise() colours the speedup bar by the check's status, not by the speedup", () => {
  const [exact, faster] = RESULT.checks;
  const impossible: ExerciseResult = {
    ...RESULT,
    checks: [exact!, {
      ...faster!,
      message: "9.00× is more than 2 cores can give: the work was skipped",
      measurements: { ...faster!.measurements, speedup: 9 },
    }],
  };
  const line = renderExercise(impossible, { color: true }).split("\n")
    .find((text) => text.includes("(needs 1.4×"));
  ok(line !== undefined);
  ok(line.includes(styleText("red", "█", { validateStream: false }).split("█")[0]!));
  ok(!line.includes(styleText("green", "█", { validateStream: false }).split("█")[0]!));
});
