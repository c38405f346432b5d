import { deepEqual, equal, rejects } from "node:assert/strict";
import {
  compareInterleaved,
  decide,
  speedupThreshold,
  summarizePairs,
  usableCores,
} from "./timing.ts";
import { referenceDisturbed, ReferenceDisturbedError, timeReference } from "./reference_guard.ts";

/** Replays fixed times, recording the order in which the two sides ran. */
function replay(times: number[], log: string[], side: string): () => Promise<number> {
  let i = 0;
  return () => {
    log.push(side);
    return Promise.resolve(times[i++ % times.length]!);
  };
}

Deno.test("compareInterleaved() alternates reference and candidate after the warm-up", async () => {
  const log: string[] = [];
  const result = await compareInterleaved(replay([1], log, "A"), replay([0.5], log, "B"), {
    threshold: 1.4,
    warmup: 1,
    pairs: 3,
  });
  deepEqual(log, ["A", "B", "A", "B", "A", "B", "A", "B"]);
  equal(result.pairs, 3);
  equal(result.speedup, 2);
  equal(result.verdict, "passed");
});

Deno.test("compareInterleaved() warms up until the candidate's time stops dropping", async () => {
  const log: string[] = [];
  const result = await compareInterleaved(
    replay([1], log, "A"),
    replay([4, 2, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], log, "B"),
    { threshold: 1.4, warmup: 1, maxWarmup: 8, pairs: 5 },
  );
  // Warm-up: 4, 2, 1, 0.5 (still dropping), 0.5 (stopped dropping): five pairs, then five measured.
  equal(log.length, 20);
  equal(result.speedup, 2);
  equal(result.verdict, "passed");
});

Deno.test("compareInterleaved() fails a steady speedup below the threshold", async () => {
  const log: string[] = [];
  const result = await compareInterleaved(replay([1], log, "A"), replay([0.9], log, "B"), {
    threshold: 1.4,
  });
  equal(result.verdict, "failed");
  equal(result.pairs, 5);
});

Deno.test("compareInterleaved() measures again on a wide spread, then says inconclusive", async () => {
  const log: string[] = [];
  const result = await compareInterleaved(
    replay([1], log, "A"),
    replay([0.3, 1.2, 0.5, 1.5, 0.7], log, "B"),
    { threshold: 1.4, warmup: 0, pairs: 5, retries: 2 },
  );
  equal(result.verdict, "inconclusive");
  equal(result.pairs, 15);
  equal(log.length, 30);
});

Deno.test("compareInterleaved() stops re-measuring as soon as a round decides", async () => {
  const log: string[] = [];
  let call = 0;
  const noisyThenSteady = () => {
    log.push("B");
    call++;
    return Promise.resolve(call <= 5 ? [0.2, 2, 0.3, 3, 0.5][call - 1]! : 0.5);
  };
  const result = await compareInterleaved(replay([1], log, "A"), noisyThenSteady, {
    threshold: 1.4,
    warmup: 0,
    pairs: 5,
    retries: 3,
  });
  equal(result.verdict, "passed");
  equal(result.pairs, 10);
});

Deno.test("compareInterleaved() rejects a bad threshold or pair count", async () => {
  const one = () => Promise.resolve(1);
  await rejects(compareInterleaved(one, one, { threshold: 0 }), RangeError);
  await rejects(compareInterleaved(one, one, { threshold: 1.4, pairs: 0 }), RangeError);
});

Deno.test("summarizePairs() takes the median of the pair speedups and the middle half's spread", () => {
  const summary = summarizePairs([[1, 1], [1, 0.5], [1, 0.25], [1, 0.5], [1, 0.5]]);
  equal(summary.speedup, 2);
  deepEqual(summary.quartiles, [2, 2]);
  equal(summary.spread, 0);
  equal(summary.referenceSeconds, 1);
  equal(summary.seconds, 0.5);
});

Deno.test("decide() decides a wide spread only when the middle half is on one side", () => {
  const rule = { threshold: 1.4, maxSpread: 0.35 };
  equal(decide({ speedup: 2, spread: 0.5, quartiles: [1.6, 2.6] }, rule), "passed");
  equal(decide({ speedup: 1, spread: 0.5, quartiles: [0.8, 1.3] }, rule), "failed");
  equal(decide({ speedup: 1.4, spread: 0.5, quartiles: [1.1, 1.8] }, rule), "inconclusive");
});

Deno.test("speedupThreshold() scales with the cores and skips one core", () => {
  equal(speedupThreshold(1), undefined);
  equal(speedupThreshold(2), 1.4);
  equal(speedupThreshold(8), 3.8);
});

Deno.test("usableCores() is a positive integer no larger than the OS's count", async () => {
  const cores = await usableCores();
  equal(Number.isInteger(cores) && cores >= 1, true);
  equal(cores <= navigator.hardwareConcurrency, true);
});

Deno.test("referenceDisturbed() voids a reference during which the process used more CPU than wall time", () => {
  // The honest reference: one thread, CPU about its wall time (ticks of 10 ms, GC helpers).
  equal(referenceDisturbed({ cpuSeconds: 0.25, wallSeconds: 0.25 }), false);
  equal(referenceDisturbed({ cpuSeconds: 0.33, wallSeconds: 0.25 }), false);
  // mallory's three spinners beside a reference slowed to 0.51 s on two cores.
  equal(referenceDisturbed({ cpuSeconds: 1.02, wallSeconds: 0.51 }), true);
  // One spinner on a machine with a free core: twice the wall time.
  equal(referenceDisturbed({ cpuSeconds: 0.5, wallSeconds: 0.25 }), true);
});

Deno.test("timeReference() retries a disturbed reference, then fails with a message for the student", async () => {
  const calm = { cpuSeconds: 0.25, wallSeconds: 0.25 };
  const busy = { cpuSeconds: 1.0, wallSeconds: 0.5 };
  const runs = [
    { seconds: 0.5, usage: busy },
    { seconds: 0.25, usage: calm },
  ];
  let i = 0;
  equal(await timeReference(() => Promise.resolve(runs[i++]!)), 0.25);
  equal(i, 2);
  let tries = 0;
  await rejects(
    timeReference(() => {
      tries++;
      return Promise.resolve({ seconds: 0.5, usage: busy });
    }),
    (error: unknown) =>
      error instanceof ReferenceDisturbedError &&
      /kept running while the grader timed its serial reference/.test(error.message),
  );
  equal(tries, 3);
  // Where the OS reports no CPU time, the reference counts as it is.
  equal(await timeReference(() => Promise.resolve({ seconds: 0.3 })), 0.3);
});
