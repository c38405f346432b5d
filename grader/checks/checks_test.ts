import { deepEqual, equal, match } from "node:assert/strict";
import { diagnoseSum } from "./01_guess_run_times.ts";
import { granularityAdvice, poolWork, randomRanges } from "./02_try_pymp1.ts";
import { countWords, wordTexts } from "./03_explore_structures.ts";
import {
  type CheckContext,
  faultOutcome,
  measureSpeedup,
  type SpeedupPlan,
  timedOutcome,
} from "./check.ts";
import type { ReferenceOp, Sandbox, StudentOp } from "../sandbox/sandbox.ts";
import type { Comparison } from "../timing.ts";
import { MeasurementsSchema } from "../result.ts";

Deno.test("diagnoseSum() names the usual mistakes", () => {
  equal(diagnoseSum([1, 11], 55n), undefined);
  match(diagnoseSum([1, 11], 55)!, /must return a bigint/);
  match(diagnoseSum([1, 11], 66n)!, /includes hi/);
  match(diagnoseSum([1, 11], 54n)!, /leaves out lo/);
  match(diagnoseSum([1, 11], 45n)!, /stops one number early/);
  match(diagnoseSum([5, 5], 5n)!, /empty range .* 0n/);
  match(diagnoseSum([1, 200_000_000], 19_999_999_900_000_002n)!, /MAX_SAFE_INTEGER/);
  match(diagnoseSum([1, 11], 7n)!, /expected 55n/);
});

Deno.test("randomRanges() includes a total past 2^53 and numbers near 1e12", () => {
  const ranges = randomRanges(1);
  equal(ranges.every(([lo, hi]) => Number.isSafeInteger(lo) && Number.isSafeInteger(hi)), true);
  equal(ranges.some(([lo]) => lo >= 1e12), true);
  equal(ranges.some(([lo, hi]) => hi - lo >= 150_000_000), true);
});

Deno.test("poolWork() reads per-worker tasks and busy time, and nothing without stats", () => {
  equal(poolWork(undefined, {}), undefined);
  deepEqual(
    poolWork(undefined, { perWorker: [{ tasks: 3, busyMs: 30 }, { tasks: 0, busyMs: 0 }] }),
    { tasks: 3, perWorker: [3, 0], busySeconds: 0.03 },
  );
});

Deno.test("poolWork() calls statistics that are not finite, non-decreasing counts unreadable", () => {
  const good = { perWorker: [{ tasks: 1, busyMs: 10 }] };
  equal(poolWork(good, { perWorker: [null] }), "unreadable");
  equal(poolWork({ perWorker: [null] }, good), "unreadable");
  equal(poolWork(good, { perWorker: [{ tasks: 5, busyMs: "x" }] }), "unreadable");
  equal(poolWork(good, { perWorker: [{ tasks: 5, busyMs: NaN }] }), "unreadable");
  equal(poolWork(good, { perWorker: [{ tasks: Infinity, busyMs: 20 }] }), "unreadable");
  equal(poolWork(good, { perWorker: [{ tasks: 0, busyMs: 20 }] }), "unreadable");
  equal(poolWork({ perWorker: [{}, {}] }, good), "unreadable");
});

Deno.test("granularityAdvice() tells overhead, too few tasks and serial awaits apart", () => {
  const size = { numbers: 300_000_000, workers: 2 };
  match(
    granularityAdvice({ tasks: 300_000, perWorker: [], busySeconds: 0.3 }, size),
    /messages cost more/,
  );
  match(granularityAdvice({ tasks: 1, perWorker: [1], busySeconds: 0.3 }, size), /only 1 task/);
  match(granularityAdvice({ tasks: 8, perWorker: [4, 4], busySeconds: 0.3 }, size), /all at once/);
  match(granularityAdvice(undefined, size), /8 spans of 37500000 numbers/);
});

const COMPARISON: Comparison = {
  verdict: "passed",
  speedup: 1.9,
  spread: 0.05,
  quartiles: [1.85, 1.95],
  threshold: 1.4,
  pairs: 5,
  referenceSeconds: 0.25,
  seconds: 0.13,
  samples: [],
};
const FACTS = { cores: 2, workers: 2, tooFast: "closed form", advice: "bigger tasks" };

Deno.test("timedOutcome() passes, fails above what the cores allow, and records measurements", () => {
  const passed = timedOutcome(COMPARISON, FACTS);
  equal(passed.status, "passed");
  equal(passed.measurements?.speedup, 1.9);
  equal(passed.measurements?.threshold, 1.4);
  equal(passed.measurements?.cores, 2);
  const tooFast = timedOutcome({ ...COMPARISON, speedup: 500 }, FACTS);
  equal(tooFast.status, "failed");
  match(tooFast.message, /more than 2 cores can give: closed form/);
  const wide = timedOutcome({ ...COMPARISON, verdict: "inconclusive", spread: 0.9 }, FACTS);
  equal(wide.status, "inconclusive");
  match(wide.message, /run again/);
});

Deno.test("faultOutcome() makes an exit crashed and a throw an error", () => {
  equal(faultOutcome({ kind: "exit", name: "Exit", message: "x" }).status, "crashed");
  equal(faultOutcome({ kind: "missing-export", name: "Error", message: "x" }).status, "error");
  equal(faultOutcome({ kind: "error", name: "Error", message: "x" }).status, "error");
});

Deno.test("countWords() lower-cases and splits on any whitespace", () => {
  const texts = wordTexts(5);
  const counts = countWords(texts);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  equal(total, texts.join(" ").split(/\s+/).filter((word) => word !== "").length);
  equal(Object.keys(counts).every((word) => word === word.toLowerCase()), true);
});

Deno.test("timedOutcome() leaves out measurements that are not finite numbers", () => {
  const comparison = {
    verdict: "failed" as const,
    speedup: 1.1,
    spread: 0.1,
    quartiles: [1, 1.2] as [number, number],
    threshold: 1.4,
    pairs: 5,
    referenceSeconds: 0.3,
    seconds: 0.27,
    samples: [],
  };
  const facts = { cores: 2, workers: 2, tooFast: "", advice: "", extra: { taskSeconds: NaN } };
  const outcome = timedOutcome(comparison, facts);
  equal("taskSeconds" in outcome.measurements!, false);
  MeasurementsSchema.parse(outcome.measurements);
});

/** A sandbox whose reference reports the given CPU use, recording each call's arguments. */
function fakeSandbox(cpuPerWall: number, calls: string[]): Sandbox {
  return {
    reference(op: ReferenceOp) {
      calls.push(`r${JSON.stringify(op.args)}`);
      const usage = { cpuSeconds: 0.25 * cpuPerWall, wallSeconds: 0.25 };
      return Promise.resolve({ id: 0, value: 0n, seconds: 0.25, usage });
    },
    student(op: StudentOp) {
      calls.push(`s${JSON.stringify((op as { args: unknown[] }).args)}`);
      return Promise.resolve({ id: 0, value: 0n, seconds: 0.1 });
    },
  } as unknown as Sandbox;
}

function fakeContext(sandbox: Sandbox): CheckContext {
  return {
    sandbox: () => Promise.resolve(sandbox),
    kitRoot: ".",
    timed: true,
    cores: 2,
    timeoutMs: 1000,
    seed: 1,
    progress: () => {},
    passed: () => true,
    memo: (_key, make) => make(),
  };
}

const PLAN: SpeedupPlan = {
  reference: { name: "sumRange", args: [1, 2] },
  student: { op: "call", file: "parallel_sum.ts", name: "parallelSum", args: [1, 2], pool: 2 },
  args: (index) => [index, index + 1],
  verify: () => undefined,
  tooFast: "too fast",
  advice: () => "advice",
};

Deno.test("measureSpeedup() fails serial code that kept running while the reference was timed", async () => {
  const calls: string[] = [];
  const outcome = await measureSpeedup(fakeContext(fakeSandbox(2, calls)), PLAN);
  equal(outcome.status, "failed");
  match(outcome.message, /kept running while the grader timed its serial reference/);
  deepEqual(calls, ["r[0,1]", "r[0,1]", "r[0,1]"]);
});

Deno.test("measureSpeedup() gives both sides of each pair the same, new arguments", async () => {
  const calls: string[] = [];
  const outcome = await measureSpeedup(fakeContext(fakeSandbox(1, calls)), PLAN);
  equal(outcome.status, "passed");
  deepEqual(calls.slice(0, 6), ["r[0,1]", "s[0,1]", "r[1,2]", "s[1,2]", "r[2,3]", "s[2,3]"]);
});
