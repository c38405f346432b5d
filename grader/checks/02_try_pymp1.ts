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
import { diagnoseSum } from "./01_guess_run_times.ts";
import {
  answerOf,
  type CheckContext,
  type CheckSpec,
  measureSpeedup,
  type Outcome,
} from "./check.ts";

/** The range timed by the speedup check: about a quarter of a second serially here. */
export const TIMED_RANGE = [1, 300_000_001] as const;
/** The range whose pool statistics are checked. */
export const STATS_RANGE = [1, 100_000_001] as const;
/** The round trip of one task on the lib Pool here, in seconds (measured: ≈ 60 µs). */
const DISPATCH_SECONDS = 60e-6;

/** A small seeded generator (mulberry32), so a run's random ranges can be replayed. */
function random(seed: number): () => number {
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
    async run(context) {
      const [lo, hi] = STATS_RANGE;
      context.progress(`parallelSum(${lo}, ${hi}, pool) with pool statistics`);
      const { reply, outcome } = await callSum(context, lo, hi, 2);
      if (outcome) return outcome;
      const work = poolWork(reply.statsBefore, reply.statsAfter);
      if (!work) {
        return {
          status: "skipped",
          message: "The lib Pool gives no per-worker statistics, so this cannot be checked",
        };
      }
      if (work === "unreadable") {
        return {
          status: "failed",
          message:
            "The pool's statistics could not be read (they were not finite counts): leave the Pool the grader passes in as it is",
        };
      }
      const sandbox = await context.sandbox();
      const reference = await sandbox.reference({ name: "sumRange", args: [lo, hi] }, {
        timeoutMs: context.timeoutMs,
      });
      const count = workers(context);
      const idle = work.perWorker.filter((n) => n === 0).length;
      const measurements = {
        tasks: work.tasks,
        workers: count,
        cores: context.cores,
        seconds: reply.seconds,
        referenceSeconds: reference.seconds,
        ...(work.tasks > 0 ? { taskSeconds: work.busySeconds / work.tasks } : {}),
      };
      if (work.tasks < count || idle > 0) {
        return {
          status: "failed",
          message:
            `The pool ran ${work.tasks} task(s) and ${idle} of its ${count} workers did nothing: cut [lo, hi) into at least one span per worker (pool.map or pool.starmap over the spans)`,
          measurements,
        };
      }
      if (work.busySeconds < 0.3 * reference.seconds) {
        return {
          status: "failed",
          message: `The pool's workers were busy for ${
            formatSeconds(work.busySeconds)
          } in all, but summing the range takes ${
            formatSeconds(reference.seconds)
          }: the work is done somewhere else (in the calling thread, or by a formula); do the adding in the tasks`,
          measurements,
        };
      }
      return {
        status: "passed",
        message: `${work.tasks} tasks over ${count} workers (${work.perWorker.join(" + ")}), busy ${
          formatSeconds(work.busySeconds)
        } in all`,
        measurements,
      };
    },
  },
  {
    name: "parallelSum: faster than the serial sum",
    points: 2,
    timed: true,
    requires: [EDGE, RANDOM],
    run(context) {
      const [lo, hi] = TIMED_RANGE;
      const count = workers(context);
      const workOf = (reply: Reply | undefined) => {
        const work = reply ? poolWork(reply.statsBefore, reply.statsAfter) : undefined;
        return work === "unreadable" ? undefined : work;
      };
      // Each pair sums a range shifted by a random amount (the same on both sides), so that a sum
      // remembered from an earlier call cannot be replayed.
      const shift = random(context.seed ^ 0x5eed);
      return measureSpeedup(context, {
        args: () => {
          const by = Math.floor(shift() * 1_000_000);
          return [lo + by, hi + by];
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
        advice: (reply) => granularityAdvice(workOf(reply), { numbers: hi - lo, workers: count }),
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
): string {
  const { numbers, workers: workerCount } = size;
  const suggested = Math.ceil(numbers / (workerCount * 4));
  const chunk = `try about ${workerCount * 4} spans of ${suggested} numbers (4 per worker)`;
  if (!work || work.tasks === 0) return `Send a few large spans: ${chunk}.`;
  const perTask = work.busySeconds / work.tasks;
  if (perTask < 20 * DISPATCH_SECONDS) {
    return `The pool ran ${work.tasks} tasks of ${
      formatSeconds(perTask)
    } each on average, while sending one costs about ${
      formatSeconds(DISPATCH_SECONDS)
    }: the messages cost more than the work; ${chunk}.`;
  }
  if (work.tasks < workerCount) {
    return `The pool ran only ${work.tasks} task(s) for ${workerCount} workers: ${chunk}.`;
  }
  return `The pool ran ${work.tasks} tasks of ${
    formatSeconds(perTask)
  } on average, so the tasks are big enough: send them all at once (one map or starmap, or every applyAsync started before you await any; awaiting each task before sending the next runs them one at a time), add the partial sums as bigint once per task, not per number, and ${chunk}.`;
}
