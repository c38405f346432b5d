import { deepEqual, equal, match } from "node:assert/strict";
import { diagnoseSum, poolWork } from "./_shared.ts";
import { granularityAdvice, randomRanges } from "./02_try_pymp1.ts";
import { faultOutcome } from "./check.ts";

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
  const eight = { tasks: 8, perWorker: [4, 4], busySeconds: 0.3 };
  match(granularityAdvice(eight, size, { parallelism: 1.0 }), /one after another: send them all/);
  // Advice follows what was observed: threads busy at once are not told to send tasks at once.
  match(granularityAdvice(eight, size, { parallelism: 1.9 }), /outside them/);
  match(granularityAdvice(undefined, size), /8 spans of 37500000 numbers/);
});

Deno.test("faultOutcome() makes an exit crashed and a throw an error", () => {
  equal(faultOutcome({ kind: "exit", name: "Exit", message: "x" }).status, "crashed");
  equal(faultOutcome({ kind: "missing-export", name: "Error", message: "x" }).status, "error");
  equal(faultOutcome({ kind: "error", name: "Error", message: "x" }).status, "error");
});
