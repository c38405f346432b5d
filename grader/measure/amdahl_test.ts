import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { amdahlSpeedup, fitAmdahl, karpFlatt, type SpeedupPoint } from "./amdahl.ts";

function near(actual: number, expected: number, epsilon = 1e-12): void {
  ok(Math.abs(actual - expected) <= epsilon, `expected ${expected}, received ${actual}`);
}

function amdahlPoints(serialFraction: number, workers: readonly number[]): SpeedupPoint[] {
  return workers.map((n) => ({ workers: n, speedup: amdahlSpeedup(serialFraction, n) }));
}

Deno.test("amdahlSpeedup() follows Amdahl's law", () => {
  equal(amdahlSpeedup(0, 4), 4);
  equal(amdahlSpeedup(1, 4), 1);
  equal(amdahlSpeedup(0.5, 2), 4 / 3);
  near(amdahlSpeedup(0.06, 16), 1 / (0.06 + 0.94 / 16));
  throws(() => amdahlSpeedup(-0.1, 2), RangeError);
  throws(() => amdahlSpeedup(0.1, 0.5), RangeError);
});

Deno.test("karpFlatt() recovers the serial fraction of one Amdahl point", () => {
  equal(karpFlatt(4 / 3, 2), 0.5);
  equal(karpFlatt(2, 2), 0);
  ok(karpFlatt(2.2, 2) < 0, "a superlinear speedup gives a negative metric");
  throws(() => karpFlatt(0, 2), RangeError);
  throws(() => karpFlatt(1.5, 1), RangeError);
});

Deno.test("fitAmdahl() recovers a known serial fraction from exact points", () => {
  for (const f of [0, 0.02, 0.06, 0.25, 0.5, 1]) {
    const fit = fitAmdahl(amdahlPoints(f, [1, 2, 3, 4, 6, 8]), 8);
    ok(fit !== undefined);
    near(fit.serialFraction, f);
    near(fit.rmsError, 0);
    equal(fit.overhead, false, `no overhead flag for f = ${f}`);
    deepEqual(fit.karpFlatt.map((step) => step.workers), [2, 3, 4, 6, 8]);
    for (const step of fit.karpFlatt) near(step.value, f);
  }
});

Deno.test("fitAmdahl() is the least-squares fit on 1/speedup", () => {
  // x = 1 - 1/p, y = 1/S - 1/p: (0.5, 0.125) and (0.75, 0.15), so f = 0.175 / 0.8125 = 14/65.
  const fit = fitAmdahl([{ workers: 2, speedup: 1.6 }, { workers: 4, speedup: 2.5 }], 4);
  ok(fit !== undefined);
  near(fit.serialFraction, 14 / 65);
  ok(fit.rmsError > 0);
  deepEqual(fit.karpFlatt.map((step) => step.workers), [2, 4]);
  near(fit.karpFlatt[0]!.value, 0.25);
  near(fit.karpFlatt[1]!.value, 0.2);
});

Deno.test("fitAmdahl() says what f means, with the projection", () => {
  const fit = fitAmdahl(amdahlPoints(0.06, [1, 2]), 2);
  ok(fit !== undefined);
  equal(fit.projectCores, 16);
  near(fit.projectedSpeedup, 1 / (0.06 + 0.94 / 16));
  equal(fit.message, "Your code is ≈ 6% serial; on 16 cores it could reach at most ≈ 8.4×.");
  const other = fitAmdahl(amdahlPoints(0.1, [1, 2]), 2, { projectCores: 64 });
  equal(other?.message, "Your code is ≈ 10% serial; on 64 cores it could reach at most ≈ 8.8×.");
});

Deno.test("fitAmdahl() fits only up to the cores and uses p = cores past them", () => {
  // The oversubscribed step is exactly as fast as the step at the cores: nothing is flagged.
  const points = [...amdahlPoints(0.1, [1, 2]), { workers: 4, speedup: amdahlSpeedup(0.1, 2) }];
  const fit = fitAmdahl(points, 2);
  ok(fit !== undefined);
  near(fit.serialFraction, 0.1);
  equal(fit.overhead, false);
  deepEqual(fit.karpFlatt.map((step) => step.workers), [2, 4]);
  near(fit.karpFlatt[1]!.value, 0.1);
});

Deno.test("fitAmdahl() flags a speedup that falls past the cores", () => {
  const points = [...amdahlPoints(0.05, [1, 2]), { workers: 4, speedup: 1.5 }];
  const fit = fitAmdahl(points, 2);
  ok(fit !== undefined);
  near(fit.serialFraction, 0.05);
  equal(fit.overhead, true);
  ok(fit.overheadReason?.startsWith("speedup falls from 1.9× at 2 workers to 1.5× at 4"));
  ok(fit.message.includes("task-dispatch overhead, not the serial part"));
});

Deno.test("fitAmdahl() flags a serial fraction that grows with workers", () => {
  const points = [
    { workers: 2, speedup: amdahlSpeedup(0.05, 2) },
    { workers: 3, speedup: amdahlSpeedup(0.1, 3) },
    { workers: 4, speedup: amdahlSpeedup(0.2, 4) },
  ];
  const fit = fitAmdahl(points, 4);
  ok(fit !== undefined);
  equal(fit.overhead, true);
  ok(
    fit.overheadReason?.includes("grows from 10% at 3 workers to 20% at 4"),
    fit.overheadReason ?? "no reason",
  );
});

Deno.test("fitAmdahl() flags one worker much slower than the serial code", () => {
  const points = [{ workers: 1, speedup: 0.5 }, { workers: 2, speedup: 1 }];
  const fit = fitAmdahl(points, 2);
  ok(fit !== undefined);
  equal(fit.overhead, true);
  ok(fit.overheadReason?.startsWith("one worker runs at 0.5×"), fit.overheadReason ?? "no reason");
});

Deno.test("fitAmdahl() does not flag changes within the points' spread", () => {
  const points = [
    ...amdahlPoints(0.05, [1, 2]).map((point) => ({ ...point, spread: 0.4 })),
    { workers: 4, speedup: 1.6, spread: 0.4 },
  ];
  equal(fitAmdahl(points, 2)?.overhead, false);
  equal(fitAmdahl(points.map((point) => ({ ...point, spread: 0 })), 2)?.overhead, true);
});

Deno.test("fitAmdahl() clamps a superlinear fit to 0 and says so", () => {
  const fit = fitAmdahl([{ workers: 1, speedup: 1 }, { workers: 2, speedup: 2.1 }], 2);
  ok(fit !== undefined);
  equal(fit.serialFraction, 0);
  ok(fit.rawSerialFraction < 0);
  equal(fit.projectedSpeedup, 16);
  ok(fit.message.startsWith("Your code scales better than linearly here"));
});

Deno.test("fitAmdahl() returns undefined when no step had 2 processors", () => {
  equal(fitAmdahl([{ workers: 1, speedup: 0.9 }, { workers: 2, speedup: 0.9 }], 1), undefined);
  equal(fitAmdahl([], 4), undefined);
});

Deno.test("fitAmdahl() rejects malformed points", () => {
  throws(() => fitAmdahl([{ workers: 0, speedup: 1 }], 2), RangeError);
  throws(() => fitAmdahl([{ workers: 1.5, speedup: 1 }], 2), RangeError);
  throws(() => fitAmdahl([{ workers: 2, speedup: 0 }], 2), RangeError);
  throws(() => fitAmdahl([{ workers: 2, speedup: Infinity }], 2), RangeError);
  throws(
    () => fitAmdahl([{ workers: 2, speedup: 1 }, { workers: 2, speedup: 1.1 }], 2),
    /each worker count must appear once: received 2 twice/,
  );
  throws(() => fitAmdahl([{ workers: 2, speedup: 1 }], 0), /cores must be a positive integer/);
});

Deno.test("fitAmdahl() flags tasks too short for what sending them costs", () => {
  const points = amdahlPoints(0.05, [1, 2, 4]).map((point) => ({
    ...point,
    workers: point.workers,
    speedup: amdahlSpeedup(0.05, Math.min(point.workers, 2)),
    taskSeconds: point.workers === 1 ? 1e-6 : 18e-6,
  }));
  const fit = fitAmdahl(points, 2);
  ok(fit !== undefined);
  equal(fit.overhead, true);
  equal(
    fit.overheadReason,
    "its tasks take 18 µs each on average at 2 workers, while sending one to a worker costs tens of µs",
  );
  const long = points.map((point) => ({ ...point, taskSeconds: 0.03 }));
  equal(fitAmdahl(long, 2)?.overhead, false);
  const onlyOne = points.map((point) => ({
    ...point,
    taskSeconds: point.workers === 1 ? 1e-6 : 0.03,
  }));
  equal(
    fitAmdahl(onlyOne, 2)?.overhead,
    false,
    "one worker's tasks are not dispatched in parallel",
  );
  equal(fitAmdahl(points, 2, { minTaskSeconds: 1e-5 })?.overhead, false);
});

Deno.test("fitAmdahl() trusts only task sizes when the timings are noisy", () => {
  const falling = [...amdahlPoints(0.05, [1, 2]), { workers: 4, speedup: 1.5 }];
  equal(fitAmdahl(falling, 2)?.overhead, true);
  const noisy = fitAmdahl(falling, 2, { noisy: true });
  equal(noisy?.overhead, false);
  ok(!noisy?.message.includes("overhead"));
  const short = falling.map((point) => ({ ...point, taskSeconds: 5e-5 }));
  ok(fitAmdahl(short, 2, { noisy: true })?.overheadReason?.startsWith("its tasks take 50 µs"));
});
