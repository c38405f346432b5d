/**
 * Exercise 3's checks, one part per structure: the shared counter is exact under every worker count
 * tried, again and again (a missing lock loses updates); the pipeline returns the squares in order
 * and joins its processes; the word count through a Manager dict is right; `countPrimes` is right
 * and faster than the grader's serial count by the speedup threshold. A part that deadlocks ends in
 * a `timeout` that names it; processes left running are reported.
 *
 * A right answer is not enough: each part must show that its structure carried the work, and the
 * counter's evidence is the harness's own. The harness makes the counter in memory it reads itself
 * and a trusted watcher thread must see the count rise in small steps (`Reply.trusted.counter`);
 * the pipeline's shared Queue must carry the items between two lib Processes, started and joined
 * (the OS must see two Worker threads end during the call; the Queue's bytes are the student
 * isolate's count: see ARCHITECTURE.md); the word count must run pool tasks and leave the counts in
 * a dict on the Manager the harness made, whose server saw the writes come from pool worker threads
 * the OS saw doing the work, not from the calling thread. The histogram's lock must be seen held
 * by several such threads. `countPrimes` is timed on a limit drawn per pair.
 *
 * @module
 */
import { referenceCountPrimes } from "../reference/prime_count.ts";
import { describeBalance, RecordingWitness, workerBalance } from "./_balance.ts";
import { COUNTER_WORKERS, counterCheck } from "./_counter.ts";
import { histogramCheck } from "./_histogram.ts";
import { pipelineCheck, pipelineFullCheck } from "./_pipeline.ts";
import { poolWork, random, SIZE_LADDER } from "./_shared.ts";
import { workersOf } from "./_structures.ts";
import { wordCountCheck } from "./_word_count.ts";
import {
  answerOf,
  type CheckSpec,
  measureSpeedup,
  show,
  type SpeedupObservation,
} from "./check.ts";

/** The limit timed by the speedup check: about 0.17 s serially here (the sizes 0.75–1.25× of it). */
export const PRIME_LIMIT = 2_000_000;

const PRIMES = "countPrimes: correct";
const PIPELINE = "pipeline: squares in order, processes joined";

/** Exercise 3's checks, in order. */
export const CHECKS: readonly CheckSpec[] = [
  {
    name: "counter: no update is lost",
    points: 1,
    pools: () => COUNTER_WORKERS,
    run: counterCheck,
  },
  {
    name: PIPELINE,
    points: 1,
    // A producer and a consumer: the student's Processes start on spares warmed at open.
    spares: 2,
    run: pipelineCheck,
  },
  {
    name: "pipeline: reads before it joins (more items than a Queue holds)",
    points: 1,
    requires: [PIPELINE],
    spares: 2,
    run: pipelineFullCheck,
  },
  {
    name: "wordCount: counts merged in a Manager dict",
    points: 1,
    pools: (cores) => [Math.max(2, cores)],
    run: wordCountCheck,
  },
  {
    name: "histogram: every value counted in a SharedArray, by several workers",
    points: 1,
    run: (context) => histogramCheck(context, workersOf(context)),
  },
  {
    name: PRIMES,
    points: 1,
    pools: (cores) => [Math.max(2, cores)],
    async run(context) {
      const sandbox = await context.sandbox();
      for (const limit of [0, 2, 3, 100, 10_007, 200_000]) {
        context.progress(`countPrimes(${limit}, pool)`);
        const answer = answerOf(
          await sandbox.student(
            {
              op: "call",
              file: "prime_count.ts",
              name: "countPrimes",
              args: [limit],
              pool: workersOf(context),
            },
            { timeoutMs: context.timeoutMs },
          ),
        );
        if (!answer.ok) return answer.outcome;
        const expected = referenceCountPrimes(limit);
        if (answer.value !== expected) {
          return {
            status: "failed",
            message: `countPrimes(${limit}) returned ${
              show(answer.value)
            }, expected ${expected} (the primes below ${limit}); did every block's callback run before you returned?`,
          };
        }
      }
      return { status: "passed", message: "Right for limits 0, 2, 3, 100, 10007 and 200000" };
    },
  },
  {
    name: "countPrimes: faster than the serial count",
    points: 1,
    timed: true,
    requires: [PRIMES],
    pools: (cores) => [Math.max(2, cores)],
    async run(context) {
      // Each pair counts below its own limit (the same on both sides), drawn from the seed and of a
      // size that changes from pair to pair: a count remembered from an earlier call is wrong.
      const next = random(context.seed ^ 0x9e3779b9);
      // The witness keeps what the OS saw of each worker thread, to show how evenly they worked.
      const witness = new RecordingWitness();
      const outcome = await measureSpeedup({ ...context, witness }, {
        args: (index) => [
          Math.round(
            PRIME_LIMIT * SIZE_LADDER[index % SIZE_LADDER.length]! * (0.95 + 0.1 * next()),
          ),
        ],
        reference: { name: "countPrimes", args: [PRIME_LIMIT] },
        student: {
          op: "call",
          file: "prime_count.ts",
          name: "countPrimes",
          args: [PRIME_LIMIT],
          pool: workersOf(context),
        },
        verify: (reply, args, expected) =>
          reply.value === expected ? undefined : {
            status: "failed",
            message: `countPrimes(${args[0]}) returned ${show(reply.value)}, expected ${
              show(expected)
            }`,
          },
        tooFast: "the primes were not all tested; test every number in the pool's tasks",
        advice: primesAdvice,
      });
      if (outcome.status === "skipped") return outcome;
      // The advice of a slow run may have said it already, from the last call alone.
      if (/did \d+% of the CPU work/.test(outcome.message)) return outcome;
      const balance = describeBalance(workerBalance(witness.usages, workersOf(context)));
      if (balance === "") return outcome;
      const end = /[.!?]$/.test(outcome.message) ? "" : ".";
      return { ...outcome, message: `${outcome.message}${end}${balance}` };
    },
  },
];

/**
 * Explains a missing speedup of `countPrimes` from what was observed: how evenly the operating
 * system saw the CPU time spread over the threads, and how many tasks the pool reports.
 *
 * @param observed What the grader observed of the timed calls.
 * @returns One or two sentences.
 *
 * @example Usage
 * ```ts
 * import { primesAdvice } from "./03_explore_structures.ts";
 * import { match } from "node:assert/strict";
 *
 * const observed = { reply: undefined, workers: 2, parallelism: 1.2, threadShares: [0.8, 0.2] };
 * match(primesAdvice(observed), /80%/);
 * const unknown = { ...observed, parallelism: Number.NaN, threadShares: [0.5, 0.5] };
 * match(primesAdvice(unknown), /^The work was spread over the threads: look/);
 * ```
 */
export function primesAdvice(observed: SpeedupObservation): string {
  const work = observed.reply
    ? poolWork(observed.reply.statsBefore, observed.reply.statsAfter)
    : undefined;
  const tasks = work && work !== "unreadable" ? ` The pool reports ${work.tasks} task(s).` : "";
  const shares = observed.threadShares?.slice(0, observed.workers) ?? [];
  const top = shares[0];
  if (top !== undefined && top > 1.5 / observed.workers) {
    return `One thread did ${
      Math.round(top * 100)
    }% of the CPU work while ${observed.workers} workers were given: large numbers cost more to test than small ones, so equal blocks are unequal work; send several smaller blocks per worker so that a worker that finishes early takes the next.${tasks}`;
  }
  if (Number.isFinite(observed.parallelism) && observed.parallelism < 1.25) {
    return `Only ${
      observed.parallelism.toFixed(1)
    } threads were busy at once on average: start every block's applyAsync before awaiting any.${tasks}`;
  }
  // Parallelism is judged on quiet pairs only: with none, say nothing of it rather than "?".
  const busy = Number.isFinite(observed.parallelism)
    ? ` (${observed.parallelism.toFixed(1)} busy at once)`
    : "";
  return `The work was spread over the threads${busy}: look for work done outside the tasks, or blocks too small to pay for their messages.${tasks}`;
}
