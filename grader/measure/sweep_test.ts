import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { TIMED_RANGE } from "../checks/02_try_pymp1.ts";
import { main } from "../cli.ts";
import { runSweep, sweepSteps, type SweepSubject } from "./sweep.ts";
import {
  canSweep,
  sandboxSubject,
  SWEEP_TARGETS,
  SweepAnswerError,
  sweepExercise,
  withSweep,
} from "./sweep_exercise.ts";
import { sweepSvgPath, writeSweepSvg } from "../student/sweep.ts";
import type { Reply } from "../sandbox/sandbox.ts";

/** A fake clock: Amdahl's law with serial fraction `f` on `cores`, and a log of what ran. */
function amdahlSubject(f: number, cores: number, log: string[] = []): SweepSubject {
  return {
    reference() {
      log.push("ref");
      return Promise.resolve(1);
    },
    candidate(workers) {
      log.push(`w${workers}`);
      return Promise.resolve(f + (1 - f) / Math.min(workers, cores));
    },
  };
}

Deno.test("sweepSteps() counts up to the cores, then oversubscribes at twice the cores", () => {
  deepEqual(sweepSteps(1), [1, 2]);
  deepEqual(sweepSteps(2), [1, 2, 4]);
  deepEqual(sweepSteps(3), [1, 2, 3, 6]);
  deepEqual(sweepSteps(3, false), [1, 2, 3]);
  deepEqual(sweepSteps(8), [1, 2, 3, 4, 5, 6, 7, 8, 16]);
  deepEqual(sweepSteps(9, false), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  deepEqual(sweepSteps(12, false), [1, 2, 3, 4, 5, 6, 7, 8, 12]);
  deepEqual(sweepSteps(13, false), [1, 2, 3, 4, 5, 6, 7, 8, 12, 13]);
  deepEqual(sweepSteps(16, false), [1, 2, 3, 4, 5, 6, 7, 8, 12, 16]);
  deepEqual(sweepSteps(64), [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64, 128]);
  throws(() => sweepSteps(0), /cores must be a positive integer: received 0/);
  throws(() => sweepSteps(2.5), RangeError);
});

Deno.test("runSweep() interleaves reference and student, step by step, after a warm-up", async () => {
  const log: string[] = [];
  const progress: [number, number, number][] = [];
  await runSweep(amdahlSubject(0.1, 2, log), 2, {
    warmup: 1,
    maxWarmup: 1,
    pairs: 2,
    onPair: (index, total, workers) => progress.push([index, total, workers]),
  });
  const round = ["ref", "w1", "ref", "w2", "ref", "w4"];
  deepEqual(log, [...round, ...round, ...round], "one warm-up round, then two measured rounds");
  deepEqual(progress.map(([index]) => index), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  deepEqual(progress.map(([, , workers]) => workers), [1, 2, 4, 1, 2, 4, 1, 2, 4]);
  equal(progress[0]![1], 3 * (1 + 2 * 3), "the total counts every possible retry");
});

Deno.test("runSweep() warms each step up while the student's time still drops", async () => {
  // A fresh pool takes a few calls to optimise: 3 s, 2 s, 1 s, then 0.5 s from the 4th call on.
  const calls = new Map<number, number>();
  const warming = [3, 2, 1, 0.5];
  const subject: SweepSubject = {
    reference: () => Promise.resolve(1),
    candidate(workers) {
      const n = calls.get(workers) ?? 0;
      calls.set(workers, n + 1);
      return Promise.resolve(warming[Math.min(n, warming.length - 1)]!);
    },
  };
  const sweep = await runSweep(subject, 1, { warmup: 2, maxWarmup: 8, pairs: 3 });
  // Warm-up: 3, 2, 1, 0.5 (still dropping), 0.5 (flat: stop) = 5 calls; then 3 measured.
  deepEqual(Object.fromEntries(calls), { 1: 8, 2: 8 });
  deepEqual(sweep.points.map((point) => point.speedup), [2, 2]);
  await rejects(
    runSweep(subject, 1, { warmup: 3, maxWarmup: 2 }),
    /maxWarmup must be an integer of at least 3: received 2/,
  );
  calls.clear();
  await runSweep(subject, 1, { warmup: 1, maxWarmup: 2, pairs: 1 });
  deepEqual(Object.fromEntries(calls), { 1: 3, 2: 3 }, "never more than maxWarmup");
});

Deno.test("runSweep() reports each step's medians and recovers a known serial fraction", async () => {
  const sweep = await runSweep(amdahlSubject(0.25, 4), 4, { pairs: 3 });
  equal(sweep.cores, 4);
  equal(sweep.inconclusive, false);
  deepEqual(sweep.points.map((point) => point.workers), [1, 2, 3, 4, 8]);
  for (const point of sweep.points) {
    const processors = Math.min(point.workers, 4);
    ok(Math.abs(point.speedup - 1 / (0.25 + 0.75 / processors)) < 1e-12);
    equal(point.pairs, 3);
    equal(point.spread, 0);
    equal(point.referenceSeconds, 1);
    ok(Math.abs(point.seconds - (0.25 + 0.75 / processors)) < 1e-12);
    equal(point.inconclusive, false);
  }
  ok(sweep.fit !== undefined);
  ok(Math.abs(sweep.fit.serialFraction - 0.25) < 1e-12);
  equal(sweep.fit.overhead, false);
  equal(sweep.fit.projectCores, 32, "8 × the cores");
  equal(sweep.fit.message, "Your code is ≈ 25% serial; on 32 cores it could reach at most ≈ 3.7×.");
});

Deno.test("runSweep() flags dispatch overhead when oversubscribing slows the code", async () => {
  const subject: SweepSubject = {
    reference: () => Promise.resolve(1),
    candidate: (workers) => Promise.resolve(workers === 4 ? 1 : 0.05 + 0.95 / workers),
  };
  const sweep = await runSweep(subject, 2, { pairs: 1 });
  equal(sweep.fit?.overhead, true);
  ok(sweep.fit?.overheadReason?.includes("at 4"));
});

Deno.test("runSweep() re-measures only a noisy step, then marks it inconclusive", async () => {
  const counts = new Map<number, number>();
  const subject: SweepSubject = {
    reference: () => Promise.resolve(1),
    candidate(workers) {
      const n = (counts.get(workers) ?? 0) + 1;
      counts.set(workers, n);
      // The 2-worker step alternates between 0.3 s and 0.9 s: its spread never settles.
      if (workers === 2) return Promise.resolve(n % 2 === 0 ? 0.3 : 0.9);
      return Promise.resolve(workers === 1 ? 1 : 0.55);
    },
  };
  const sweep = await runSweep(subject, 2, {
    warmup: 0,
    maxWarmup: 0,
    pairs: 4,
    retries: 2,
    maxSpread: 0.35,
  });
  deepEqual(Object.fromEntries(counts), { 1: 4, 2: 12, 4: 4 });
  deepEqual(sweep.points.map((point) => [point.workers, point.pairs, point.inconclusive]), [
    [1, 4, false],
    [2, 12, true],
    [4, 4, false],
  ]);
  equal(sweep.inconclusive, true);
});

Deno.test("runSweep() has no fit on one core but still measures", async () => {
  const sweep = await runSweep(amdahlSubject(0, 1), 1, { pairs: 1 });
  deepEqual(sweep.points.map((point) => point.workers), [1, 2]);
  equal(sweep.fit, undefined);
});

Deno.test("runSweep() rejects bad counts and bad seconds", async () => {
  const subject = amdahlSubject(0.1, 2);
  await rejects(runSweep(subject, 0), /cores must be a positive integer/);
  await rejects(runSweep(subject, 2, { pairs: 0 }), /pairs must be an integer of at least 1/);
  await rejects(runSweep(subject, 2, { maxSpread: -1 }), /maxSpread must be at least 0/);
  await rejects(
    runSweep({ ...subject, candidate: () => Promise.resolve(NaN) }, 2),
    /candidate\(1\) must return a non-negative number of seconds: received NaN/,
  );
});

function fakeSandbox(studentValue: (workers: number) => unknown) {
  const calls: string[] = [];
  let id = 0;
  return {
    calls,
    reference(op: { name: string }): Promise<Reply> {
      calls.push(`reference ${op.name}`);
      return Promise.resolve({ id: ++id, value: 15n, seconds: 1 });
    },
    student(op: { op: string; pool?: number }): Promise<Reply> {
      calls.push(`student ${op.op} pool=${op.pool}`);
      const value = studentValue(op.pool ?? 1);
      if (value instanceof Error) {
        return Promise.resolve({
          id: ++id,
          seconds: 0.1,
          fault: { kind: "error", name: value.name, message: value.message },
        });
      }
      return Promise.resolve({ id: ++id, value, seconds: 1 / (op.pool ?? 1) });
    },
  };
}

const TARGET = {
  reference: { name: "sumRange", args: [1, 6] },
  student: (workers: number) => ({
    op: "call" as const,
    file: "parallel_sum.ts",
    name: "parallelSum",
    args: [1, 6],
    pool: workers,
  }),
};

Deno.test("sandboxSubject() times both sides in the sandbox with the pool size of the step", async () => {
  const sandbox = fakeSandbox(() => 15n);
  const sweep = await runSweep(sandboxSubject(sandbox, TARGET), 2, {
    warmup: 0,
    maxWarmup: 0,
    pairs: 1,
  });
  deepEqual(sandbox.calls, [
    "reference sumRange",
    "student call pool=1",
    "reference sumRange",
    "student call pool=2",
    "reference sumRange",
    "student call pool=4",
  ]);
  deepEqual(sweep.points.map((point) => point.speedup), [1, 2, 4]);
});

Deno.test("sandboxSubject() stops the sweep at a wrong answer or a fault", async () => {
  const wrong = fakeSandbox((workers) => (workers === 2 ? 14n : 15n));
  await rejects(
    runSweep(sandboxSubject(wrong, TARGET), 2, { warmup: 0, maxWarmup: 0, pairs: 1 }),
    (error: unknown) =>
      error instanceof SweepAnswerError &&
      /parallelSum returned 14n with 2 workers, expected 15n: make deno task check pass first/.test(
        error.message,
      ),
  );
  const faulty = fakeSandbox((workers) => (workers === 4 ? new RangeError("boom") : 15n));
  await rejects(
    runSweep(sandboxSubject(faulty, TARGET), 2, { warmup: 0, maxWarmup: 0, pairs: 1 }),
    (error: unknown) =>
      error instanceof SweepAnswerError &&
      error.message ===
        "parallelSum with 4 workers: the code threw RangeError: boom: make deno task check pass first",
  );
});

const ENTRY = { id: 2, slug: "02_try_pymp1", title: "T", files: ["parallel_sum.ts"], hint: "h" };

Deno.test("sweepExercise() refuses an exercise without a timed parallel check", async () => {
  await rejects(
    sweepExercise({ ...ENTRY, id: 1, slug: "01_guess_run_times" }),
    /Cannot sweep exercise 1: it has no timed parallel check: sweepable exercises are 2/,
  );
});

Deno.test("SWEEP_TARGETS times the speedup check's input with the step's pool", () => {
  const target = SWEEP_TARGETS["02_try_pymp1"];
  ok(target !== undefined);
  deepEqual(target.reference, { name: "sumRange", args: [...TIMED_RANGE] });
  deepEqual(target.student(3), {
    op: "call",
    file: "parallel_sum.ts",
    name: "parallelSum",
    args: [...TIMED_RANGE],
    pool: 3,
  });
});

Deno.test("writeSweepSvg() writes .parakit/sweep-NN.svg in the kit", async () => {
  const kit = await Deno.makeTempDir({ prefix: "parakit-sweep-test-" });
  try {
    const step = { spread: 0, pairs: 1, seconds: 1, referenceSeconds: 1, inconclusive: false };
    const path = await writeSweepSvg(
      { cores: 2, inconclusive: false, points: [{ ...step, workers: 1, speedup: 1 }] },
      ENTRY,
      kit,
    );
    equal(path, `${kit}/.parakit/sweep-02.svg`);
    equal(sweepSvgPath(ENTRY, kit), path);
    const svg = await Deno.readTextFile(path);
    ok(svg.startsWith("<svg"));
    ok(svg.includes("02_try_pymp1: speedup against workers"));
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

function resultOf(checks: [string, "passed" | "failed"][], exercise = "02_try_pymp1") {
  return {
    version: 1 as const,
    exercise,
    status: "failed" as const,
    score: 0,
    maxScore: 5,
    checkedAt: "2026-11-25T00:00:00.000Z",
    seconds: 1,
    machine: { cores: 2, deno: "2.9.6", platform: "linux-x86_64" },
    checks: checks.map(([name, status]) => ({ name, status, message: "", score: 0, maxScore: 1 })),
  };
}

Deno.test("canSweep() needs what the timed check needs, not the speedup itself", () => {
  const edge = "parallelSum: exact on edge cases";
  const random = "parallelSum: exact on random ranges";
  const faster = "parallelSum: faster than the serial sum";
  equal(canSweep(resultOf([[edge, "passed"], [random, "passed"], [faster, "failed"]])), true);
  equal(canSweep(resultOf([[edge, "passed"], [random, "failed"], [faster, "failed"]])), false);
  equal(canSweep(resultOf([[edge, "passed"]])), false);
  equal(canSweep(resultOf([[edge, "passed"], [random, "passed"]], "01_guess_run_times")), false);
});

Deno.test("withSweep() leaves a result it cannot sweep as it is", async () => {
  const result = resultOf([["parallelSum: exact on edge cases", "failed"]]);
  equal(await withSweep(ENTRY, result), result);
});

Deno.test("cli sweep refuses an exercise without a timed parallel check, with exit code 2", async () => {
  const said: string[] = [];
  const io = {
    out: (text: string) => void said.push(text),
    err: (text: string) => void said.push(text),
    color: false,
    progress: false,
  };
  equal(await main(["sweep", "1"], { io }), 2);
  deepEqual(said, [
    "error: exercise 1 has no timed parallel check to sweep: sweepable exercises are 2, 3\n",
  ]);
  said.length = 0;
  equal(await main(["sweep"], { io }), 2);
  ok(said[0]?.startsWith("error: sweep needs an exercise: deno task sweep N"));
});

Deno.test("runSweep() is inconclusive when the machine was busy before it began", async () => {
  const quiet = await runSweep(amdahlSubject(0.1, 2), 2, { pairs: 1, load: 1.4 });
  equal(quiet.inconclusive, false);
  equal(quiet.load, 1.4);
  const busy = await runSweep(amdahlSubject(0.1, 2), 2, { pairs: 1, load: 1.5 });
  equal(busy.inconclusive, true);
  ok(busy.points.every((point) => !point.inconclusive), "the steps themselves were steady");
  equal((await runSweep(amdahlSubject(0.1, 2), 2, { pairs: 1 })).load, undefined);
});

Deno.test("runSweep() records the pool's tasks per call and their time, from measured pairs only", async () => {
  let call = 0;
  const subject: SweepSubject = {
    reference: () => Promise.resolve(1),
    candidate(workers) {
      call++;
      // Warm-up calls report absurd statistics: they must not count.
      if (call <= 3) return Promise.resolve({ seconds: 0.6, tasks: 999, taskSeconds: 9 });
      return Promise.resolve({ seconds: 0.6, tasks: 4 * workers, taskSeconds: 0.01 * call });
    },
  };
  const sweep = await runSweep(subject, 2, { warmup: 1, maxWarmup: 1, pairs: 3 });
  deepEqual(sweep.points.map((point) => point.tasks), [4, 8, 16]);
  // Measured calls are 4..12, round-robin: step 1 got calls 4, 7, 10 (median 7).
  deepEqual(sweep.points.map((point) => Math.round(point.taskSeconds! * 100)), [7, 8, 9]);
  const plain = await runSweep(amdahlSubject(0.1, 2), 2, { pairs: 1 });
  ok(plain.points.every((point) => point.tasks === undefined && point.taskSeconds === undefined));
});

Deno.test("sandboxSubject() reads the pool's tasks from its statistics", async () => {
  const stats = (tasks: number, busyMs: number) => ({
    perWorker: [{ tasks, busyMs }, { tasks, busyMs }],
  });
  const sandbox = {
    reference: () => Promise.resolve({ id: 1, value: 15n, seconds: 1 }),
    student: () =>
      Promise.resolve({
        id: 2,
        value: 15n,
        seconds: 0.5,
        statsBefore: stats(4, 100),
        statsAfter: stats(8, 300),
      }),
  };
  const subject = sandboxSubject(sandbox, TARGET);
  await subject.reference();
  deepEqual(await subject.candidate(2), { seconds: 0.5, tasks: 8, taskSeconds: 0.05 });
});

Deno.test("runSweep() flags no timing-based overhead on a busy machine", async () => {
  const subject: SweepSubject = {
    reference: () => Promise.resolve(1),
    candidate: (workers) => Promise.resolve(workers === 4 ? 1 : 0.05 + 0.95 / workers),
  };
  equal((await runSweep(subject, 2, { pairs: 1, load: 0.2 })).fit?.overhead, true);
  equal((await runSweep(subject, 2, { pairs: 1, load: 1.8 })).fit?.overhead, false);
});

Deno.test("sandboxSubject() stops the sweep when the student's code keeps running during the reference", async () => {
  const sandbox = fakeSandbox(() => 15n);
  const disturbed = {
    ...sandbox,
    reference(op: { name: string }): Promise<Reply> {
      return sandbox.reference(op).then((reply) => ({
        ...reply,
        usage: { cpuSeconds: 2, wallSeconds: 1 },
      }));
    },
  };
  await rejects(
    runSweep(sandboxSubject(disturbed, TARGET), 2, { warmup: 0, maxWarmup: 0, pairs: 1 }),
    (error: unknown) =>
      error instanceof SweepAnswerError &&
      /kept running while the grader timed its serial reference/.test(error.message),
  );
  deepEqual(sandbox.calls, ["reference sumRange", "reference sumRange", "reference sumRange"]);
});
