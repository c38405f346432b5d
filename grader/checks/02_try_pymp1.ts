/**
 * Exercise 2's checks: `parallelSum(lo, hi, pool)` is exact on edge cases and on random ranges
 * drawn per run (the seed is printed so a failure can be replayed), its work really runs on the
 * pool's workers (pool stats), and it is faster than the grader's own exact serial sum by the
 * speedup threshold, timed interleaved in the sandbox harness's isolate. A speedup above what the
 * cores allow means the work was not done (a closed form): it fails with a message that says why.
 *
 * @module
 */
import { formatSeconds, type Reply } from "../sandbox/sandbox.ts";
import { Witness } from "../witness.ts";
import { DISTURBED_CORES, MIN_PARALLELISM, MIN_WORK_SHARE } from "./_evidence.ts";
import { diagnoseSum } from "./01_guess_run_times.ts";
import {
  answerOf,
  type CheckContext,
  type CheckSpec,
  measureSpeedup,
  type Outcome,
  type SpeedupObservation,
} from "./check.ts";

/** The range timed by the speedup check: about a quarter of a second serially here. */
export const TIMED_RANGE = [1, 300_000_001] as const;
/**
 * The range whose threads are watched: long, so that each worker's share of the CPU time spans
 * several of the kernel's 10 ms ticks, and with a total below 2^53, so that this check is about
 * where the work ran, not about exactness (the random ranges check that).
 */
export const STATS_RANGE = [1, 130_000_001] as const;
/** How often the pool check runs the call before it says the work ran on too few threads. */
export const POOL_TRIES = 3;
/** A timed pair's size, as a share of the timed range's: pairs cycle through these (±5%). */
export const SIZE_LADDER = [0.75, 1, 1.25] as const;
/** The round trip of one task on the lib Pool here, in seconds (measured: ≈ 60 µs). */
const DISPATCH_SECONDS = 60e-6;

/**
 * A small seeded generator (mulberry32), so a run's random inputs can be replayed.
 *
 * @param seed The seed.
 * @returns A function giving numbers in [0, 1).
 *
 * @example Usage
 * ```ts
 * import { random } from "./02_try_pymp1.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(random(3)(), random(3)());
 * ```
 */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The random ranges of a run: four of up to 2e7 numbers anywhere around zero, one of 1.5e8
 * numbers whose total passes 2^53, and one of 2e6 numbers near 1e12 (where even a block of a
 * million numbers sums past 2^53).
 *
 * @param seed The run's seed.
 * @returns The ranges, as [lo, hi) pairs.
 *
 * @example Usage
 * ```ts
 * import { randomRanges } from "./02_try_pymp1.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * deepEqual(randomRanges(7), randomRanges(7));
 * equal(randomRanges(7).length, 6);
 * ```
 */
export function randomRanges(seed: number): [number, number][] {
  const next = random(seed);
  const ranges: [number, number][] = [];
  for (let i = 0; i < 4; i++) {
    const lo = Math.floor(next() * 10_000_000) - 5_000_000;
    ranges.push([lo, lo + Math.floor(next() * 20_000_000)]);
  }
  const lo = 1 + Math.floor(next() * 1_000_000);
  ranges.push([lo, lo + 150_000_000]);
  const far = 1_000_000_000_000 + Math.floor(next() * 1_000_000_000_000);
  ranges.push([far, far + 2_000_000]);
  return ranges;
}

/** What the pool did during one call, read from the lib Pool's `stats()` before and after. */
export interface PoolWork {
  /** Tasks run. */
  tasks: number;
  /** Tasks run by each worker. */
  perWorker: number[];
  /** Busy time summed over the workers, in seconds. */
  busySeconds: number;
}

/** One worker's counters in a `stats()` snapshot, validated. */
interface WorkerCounters {
  tasks: number;
  busyMs: number;
}

/** A count or a duration the grader can trust: a finite number, not below zero. */
function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** The counters of a `stats()` snapshot, or `undefined` when any of them is not a finite count. */
function countersOf(snapshot: unknown): WorkerCounters[] | undefined {
  const perWorker = (snapshot as { perWorker?: unknown } | null | undefined)?.perWorker;
  if (!Array.isArray(perWorker)) return undefined;
  const counters: WorkerCounters[] = [];
  for (const worker of perWorker) {
    if (typeof worker !== "object" || worker === null) return undefined;
    const { tasks = 0, busyMs = 0 } = worker as { tasks?: unknown; busyMs?: unknown };
    if (!isCount(tasks) || !isCount(busyMs)) return undefined;
    counters.push({ tasks, busyMs });
  }
  return counters;
}

/**
 * Reads what the pool did between two `stats()` snapshots of the lib Pool (`perWorker` lists every
 * worker the pool started, oldest first, so the snapshots line up by index). Every counter must be
 * a finite number not below zero, and none may go down.
 *
 * @param before The snapshot before the call.
 * @param after The snapshot after it.
 * @returns The work; `undefined` when the pool gives no statistics (no `perWorker` after the call);
 * `"unreadable"` when the snapshots hold anything but finite, non-decreasing counts.
 *
 * @example Usage
 * ```ts
 * import { poolWork } from "./02_try_pymp1.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const before = { perWorker: [{ tasks: 1, busyMs: 10 }, { tasks: 0, busyMs: 0 }] };
 * const after = { perWorker: [{ tasks: 3, busyMs: 110 }, { tasks: 2, busyMs: 120 }] };
 * deepEqual(poolWork(before, after), { tasks: 4, perWorker: [2, 2], busySeconds: 0.22 });
 * equal(poolWork(before, { perWorker: [null] }), "unreadable");
 * ```
 */
export function poolWork(before: unknown, after: unknown): PoolWork | "unreadable" | undefined {
  if (!Array.isArray((after as { perWorker?: unknown } | null | undefined)?.perWorker)) {
    return undefined;
  }
  const now = countersOf(after);
  const prior = before === undefined ? [] : countersOf(before);
  if (!now || !prior || prior.length > now.length) return "unreadable";
  const perWorker = now.map((worker, i) => worker.tasks - (prior[i]?.tasks ?? 0));
  const busy = now.map((worker, i) => worker.busyMs - (prior[i]?.busyMs ?? 0));
  if (perWorker.some((n) => n < 0) || busy.some((ms) => ms < 0)) return "unreadable";
  const tasks = perWorker.reduce((sum, n) => sum + n, 0);
  const busyMs = busy.reduce((sum, ms) => sum + ms, 0);
  return { tasks, perWorker, busySeconds: Math.round(busyMs) / 1000 };
}

function workers(context: CheckContext): number {
  return Math.max(2, context.cores);
}

/** The one pool every check of exercise 2 uses. */
function poolSizes(cores: number): number[] {
  return [Math.max(2, cores)];
}

async function callSum(
  context: CheckContext,
  lo: number,
  hi: number,
  timeoutFactor = 1,
): Promise<{ reply: Reply; outcome?: Outcome }> {
  const sandbox = await context.sandbox();
  const reply = await sandbox.student(
    {
      op: "call",
      file: "parallel_sum.ts",
      name: "parallelSum",
      args: [lo, hi],
      pool: workers(context),
    },
    { timeoutMs: context.timeoutMs * timeoutFactor },
  );
  const answer = answerOf(reply);
  if (!answer.ok) return { reply, outcome: answer.outcome };
  const problem = diagnoseSum([lo, hi], answer.value)?.replace("sumRange(", "parallelSum(");
  return problem ? { reply, outcome: { status: "failed", message: problem } } : { reply };
}

function exactCheck(
  name: string,
  ranges: (context: CheckContext) => [number, number][],
): CheckSpec {
  return {
    name,
    points: 1,
    pools: poolSizes,
    async run(context) {
      const cases = ranges(context);
      for (const [lo, hi] of cases) {
        context.progress(`parallelSum(${lo}, ${hi}, pool)`);
        const { outcome } = await callSum(context, lo, hi, 2);
        if (outcome) {
          return name.includes("random")
            ? {
              ...outcome,
              message:
                `${outcome.message} (seed ${context.seed}: check --seed ${context.seed} replays these ranges)`,
            }
            : outcome;
        }
      }
      return {
        status: "passed",
        message: `Exact on ${cases.length} ranges with ${workers(context)} workers${
          name.includes("random") ? ` (seed ${context.seed})` : ""
        }`,
      };
    },
  };
}

const EDGE = "parallelSum: exact on edge cases";
const RANDOM = "parallelSum: exact on random ranges";
const ON_POOL = "parallelSum: the work runs on the pool's workers";

/** Exercise 2's checks, in order. */
export const CHECKS: readonly CheckSpec[] = [
  exactCheck(EDGE, () => [[5, 5], [5, 3], [7, 8], [1, 3], [-10, 10], [-1000, 5], [1, 1001], [
    0,
    100_000,
  ]]),
  exactCheck(RANDOM, (context) => randomRanges(context.seed)),
  {
    name: ON_POOL,
    points: 1,
    requires: [EDGE],
    pools: poolSizes,
    async run(context) {
      const [lo, hi] = STATS_RANGE;
      context.progress(`parallelSum(${lo}, ${hi}, pool), its threads watched`);
      const sandbox = await context.sandbox();
      const witness = context.witness ?? new Witness();
      const reference = await witness.around(
        sandbox.pid,
        () =>
          sandbox.reference({ name: "sumRange", args: [lo, hi] }, {
            timeoutMs: context.timeoutMs * 2,
          }),
      );
      // A pool whose second worker started late (a busy machine) leaves one worker most of the
      // spans: a few tries, and a pass on any of them. Serial code shows one busy thread every time.
      let outcome: Outcome | undefined;
      for (let attempt = 0; attempt < POOL_TRIES; attempt++) {
        const { result: reply, usage } = await witness.around(sandbox.pid, async () => {
          const { reply } = await callSum(context, lo, hi, 2);
          return reply;
        });
        const answer = answerOf(reply);
        if (!answer.ok) return answer.outcome;
        const problem = diagnoseSum([lo, hi], answer.value);
        if (problem) {
          return { status: "failed", message: problem.replace("sumRange(", "parallelSum(") };
        }
        outcome = threadsOutcome({
          workers: workers(context),
          cores: context.cores,
          referenceCpu: reference.result.trusted?.cpuSeconds ?? reference.result.seconds,
          referenceSeconds: reference.result.seconds,
          seconds: reply.seconds,
          cpu: reply.trusted?.cpuSeconds ?? usage.cpuSeconds,
          threadSeconds: usage.workerThreadSeconds,
          otherCores: usage.otherCores,
        });
        // Too little CPU is not a matter of scheduling: no retry.
        if (outcome.status === "passed" || /^The call used/.test(outcome.message)) return outcome;
      }
      return outcome!;
    },
  },
  {
    name: "parallelSum: faster than the serial sum",
    points: 2,
    timed: true,
    requires: [EDGE, RANDOM],
    pools: poolSizes,
    run(context) {
      const [lo, hi] = TIMED_RANGE;
      const count = workers(context);
      const workOf = (reply: Reply | undefined) => {
        const work = reply ? poolWork(reply.statsBefore, reply.statsAfter) : undefined;
        return work === "unreadable" ? undefined : work;
      };
      // Each pair sums a range shifted by a random amount and of a size that changes from pair to
      // pair (the same on both sides), so that a sum remembered from an earlier call cannot be
      // replayed and the CPU time can be seen to follow the work.
      const next = random(context.seed ^ 0x5eed);
      return measureSpeedup(context, {
        args: (index) => {
          const by = Math.floor(next() * 1_000_000);
          const scale = SIZE_LADDER[index % SIZE_LADDER.length]! * (0.95 + 0.1 * next());
          return [lo + by, lo + by + Math.round((hi - lo) * scale)];
        },
        reference: { name: "sumRange", args: [lo, hi] },
        student: {
          op: "call",
          file: "parallel_sum.ts",
          name: "parallelSum",
          args: [lo, hi],
          pool: count,
        },
        verify: (reply, args) => {
          const problem = diagnoseSum(args as [number, number], reply.value);
          return problem
            ? { status: "failed", message: problem.replace("sumRange(", "parallelSum(") }
            : undefined;
        },
        tooFast:
          "the numbers were not added (a closed form such as n(n+1)/2 skips the work this exercise is about); add them in the pool's tasks",
        advice: (observed) =>
          granularityAdvice(workOf(observed.reply), { numbers: hi - lo, workers: count }, observed),
        extra: (reply) => {
          const work = workOf(reply);
          if (!work) return {};
          return {
            tasks: work.tasks,
            ...(work.tasks > 0 ? { taskSeconds: work.busySeconds / work.tasks } : {}),
          };
        },
      });
    },
  },
];

/**
 * Explains a missing speedup from the pool's work: how many tasks, their average time against the
 * dispatch overhead, and a chunk size that keeps each task long.
 *
 * @param work What the pool did in one call, if known.
 * @param size How many numbers the range holds and how many workers the pool has.
 * @returns One or two sentences.
 *
 * @example Usage
 * ```ts
 * import { granularityAdvice } from "./02_try_pymp1.ts";
 * import { match } from "node:assert/strict";
 *
 * const work = { tasks: 300_000, perWorker: [150_000, 150_000], busySeconds: 0.3 };
 * match(granularityAdvice(work, { numbers: 300_000_000, workers: 2 }), /300000 tasks/);
 * ```
 */
export function granularityAdvice(
  work: PoolWork | undefined,
  size: { numbers: number; workers: number },
  observed?: Pick<SpeedupObservation, "parallelism">,
): string {
  const { numbers, workers: workerCount } = size;
  const suggested = Math.ceil(numbers / (workerCount * 4));
  const chunk = `try about ${workerCount * 4} spans of ${suggested} numbers (4 per worker)`;
  const busy = observed && Number.isFinite(observed.parallelism)
    ? ` (the operating system saw ${observed.parallelism.toFixed(1)} threads busy at once)`
    : "";
  if (!work || work.tasks === 0) return `Send a few large spans${busy}: ${chunk}.`;
  const perTask = work.busySeconds / work.tasks;
  if (perTask < 20 * DISPATCH_SECONDS) {
    return `The pool ran ${work.tasks} tasks of ${
      formatSeconds(perTask)
    } each on average, while sending one costs about ${
      formatSeconds(DISPATCH_SECONDS)
    }: the messages cost more than the work; ${chunk}.`;
  }
  if (work.tasks < workerCount) {
    return `The pool ran only ${work.tasks} task(s) for ${workerCount} workers${busy}: ${chunk}.`;
  }
  if (observed && observed.parallelism < MIN_PARALLELISM) {
    return `The pool ran ${work.tasks} tasks of ${
      formatSeconds(perTask)
    } on average, but${busy} they ran one after another: send them all at once (one map or starmap, or every applyAsync started before you await any).`;
  }
  return `The pool ran ${work.tasks} tasks of ${
    formatSeconds(perTask)
  } on average${busy}, so the tasks are big enough: look for work done outside them (add the partial sums as bigint once per task, not per number), and ${chunk}.`;
}

/** What {@linkcode threadsOutcome} judges: one call and the reference, as witnessed. */
export interface ThreadFacts {
  /** The workers given. */
  workers: number;
  /** The cores the grader can use. */
  cores: number;
  /** The reference's CPU time over the same range, in seconds. */
  referenceCpu: number;
  /** The reference's wall time, in seconds. */
  referenceSeconds: number;
  /** The student's call's wall time (the harness's clock), in seconds. */
  seconds: number;
  /** The sandbox's CPU time over the call (the harness's `cpuUsage()`), in seconds. */
  cpu?: number;
  /** Each JavaScript Worker thread's CPU time over the call, largest first (Linux). */
  threadSeconds?: number[];
  /** Cores the rest of the machine used during the call. */
  otherCores?: number;
}

/**
 * Judges whether the sum's work ran on the pool's workers, from the operating system's accounting
 * (never the pool's own statistics, which live in the student's isolate): the call must use about
 * the reference's CPU time, and (Linux) at least one thread per worker must each carry a fair share
 * of it, or (elsewhere) CPU ÷ wall must show several threads busy at once.
 *
 * @param facts The call as witnessed.
 * @returns The outcome.
 *
 * @example Usage
 * ```ts
 * import { threadsOutcome } from "./02_try_pymp1.ts";
 * import { equal } from "node:assert/strict";
 *
 * const facts = { workers: 2, cores: 2, referenceCpu: 0.25, referenceSeconds: 0.25, seconds: 0.14 };
 * equal(threadsOutcome({ ...facts, cpu: 0.26, threadSeconds: [0.13, 0.12, 0.01] }).status, "passed");
 * equal(threadsOutcome({ ...facts, cpu: 0.26, threadSeconds: [0.25, 0.01] }).status, "failed");
 * equal(threadsOutcome({ ...facts, cpu: 0.26 }).status, "passed");
 * ```
 */
export function threadsOutcome(facts: ThreadFacts): Outcome {
  const { workers: count, referenceCpu, cpu } = facts;
  const measurements = {
    workers: count,
    cores: facts.cores,
    seconds: facts.seconds,
    referenceSeconds: facts.referenceSeconds,
    ...(cpu !== undefined
      ? { workShare: cpu / referenceCpu, parallelism: cpu / facts.seconds }
      : {}),
    processWitness: cpu !== undefined ? "harness-cpu-usage" as const : "none" as const,
  };
  if (cpu === undefined) {
    return { status: "skipped", message: "The sandbox's CPU time could not be read", measurements };
  }
  if (cpu < MIN_WORK_SHARE * referenceCpu) {
    return {
      status: "failed",
      message: `The call used ${formatSeconds(cpu)} of CPU time, but summing the range takes ${
        formatSeconds(referenceCpu)
      }: the numbers were not added (a formula, or a sum remembered); do the adding in the tasks`,
      measurements,
    };
  }
  const busyMachine = facts.otherCores !== undefined && facts.otherCores > DISTURBED_CORES;
  if (facts.threadSeconds) {
    // A Worker thread is busy with at least 30% of an even share of what the Worker threads used
    // (a late worker takes fewer spans, and /proc counts in 10 ms ticks).
    const used = facts.threadSeconds.reduce((sum, seconds) => sum + seconds, 0);
    const fair = (0.3 * used) / count;
    const shares = facts.threadSeconds.slice(0, count + 1);
    const busy = facts.threadSeconds.filter((seconds) => seconds >= fair).length;
    const split = shares.map((seconds) => formatSeconds(seconds)).join(" + ");
    if (busy < count) {
      return {
        status: "failed",
        message:
          `The operating system saw ${busy} thread(s) do the work (the busiest: ${split}), not ${count}: the adding ran outside the pool's workers (in the calling thread?); cut [lo, hi) into spans and sum them in pool tasks`,
        measurements,
      };
    }
    return {
      status: "passed",
      message: `${busy} threads shared the work (the busiest: ${split}; the serial sum takes ${
        formatSeconds(referenceCpu)
      })`,
      measurements,
    };
  }
  const parallel = cpu / facts.seconds;
  if (parallel >= MIN_PARALLELISM) {
    return {
      status: "passed",
      message: `${parallel.toFixed(1)} threads busy at once on average (CPU ÷ wall time)`,
      measurements,
    };
  }
  return {
    status: busyMachine ? "inconclusive" : "failed",
    message: `${parallel.toFixed(1)} threads busy at once on average (CPU ÷ wall time)${
      busyMachine ? ", on a machine busy with other work: run again" : ""
    }: the adding should run on the pool's ${count} workers at once`,
    measurements,
  };
}
