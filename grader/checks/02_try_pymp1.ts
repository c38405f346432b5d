/**
 * Exercise 2's checks: `parallelSum(lo, hi, pool)` is exact on edge cases and on random ranges
 * drawn per run (the seed is printed so a failure can be replayed), its work really runs on the
 * pool's workers (pool stats), and it is faster than the grader's own exact serial sum by the
 * speedup threshold, timed interleaved in the sandbox harness's isolate. A speedup above what the
 * cores allow means the work was not done (a closed form): it fails with a message that says why.
 *
 * @module
 */
import type { Reply } from "../sandbox/sandbox.ts";
import { Witness } from "../sandbox/witness.ts";
import { diagnoseSum, poolWork, random, SIZE_LADDER } from "./_shared.ts";
import { granularityAdvice, threadsOutcome } from "./_02_verdicts.ts";
import {
  answerOf,
  type CheckContext,
  type CheckSpec,
  measureSpeedup,
  type Outcome,
} from "./check.ts";

/** The range timed by the speedup check: about 0.1 s serially here (sizes 0.7–1.3× of it). */
export const TIMED_RANGE = [1, 200_000_001] as const;
/**
 * The range whose threads are watched: long, so that each worker's share of the CPU time spans
 * several of the kernel's 10 ms ticks, and with a total below 2^53, so that this check is about
 * where the work ran, not about exactness (the random ranges check that).
 */
export const STATS_RANGE = [1, 130_000_001] as const;
/** How often the pool check runs the call before it says the work ran on too few threads. */
export const POOL_TRIES = 3;

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
  freshPool = false,
): Promise<{ reply: Reply; outcome?: Outcome }> {
  const sandbox = await context.sandbox();
  const reply = await sandbox.student(
    {
      op: "call",
      file: "parallel_sum.ts",
      name: "parallelSum",
      args: [lo, hi],
      pool: workers(context),
      ...(freshPool ? { freshPool } : {}),
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
        // A new pool, warmed by a first call and left to finish loading: its workers are threads
        // newer than `older`, the calling thread is older (the OS witness tells them apart), and
        // their start-up is not counted as work.
        const older = await witness.snapshot(sandbox.pid);
        const warm = await callSum(context, lo, hi, 2, true);
        if (warm.outcome) return warm.outcome;
        await witness.settle(sandbox.pid);
        const { result: reply, usage } = await witness.around(sandbox.pid, async () => {
          const { reply } = await callSum(context, lo, hi, 2);
          return reply;
        }, older);
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
          ...(usage.olderWorkerThreadSeconds
            ? { callerSeconds: usage.olderWorkerThreadSeconds[0] ?? 0 }
            : {}),
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

export { granularityAdvice, type ThreadFacts, threadsOutcome } from "./_02_verdicts.ts";
