/**
 * Exercise 3's checks, one part per structure: the shared counter is exact under every worker count
 * tried, again and again (a missing lock loses updates); the pipeline returns the squares in order
 * and joins its processes; the word count through a Manager dict is right; `countPrimes` is right
 * and faster than the grader's serial count by the speedup threshold. A part that deadlocks ends in
 * a `timeout` that names it; processes left running are reported.
 *
 * A right answer is not enough: each part must have used its structure, as the sandbox's driver
 * observed it (`Reply.observed`), never by timing or luck. The counter must be written `times`
 * times per worker, each write under its lock (or by the atomic `add`); the pipeline must start at
 * least two lib Processes, join them, and send one Queue to two of them; the word count must run
 * pool tasks and leave the counts in a dict made on the grader's Manager.
 *
 * @module
 */
import { referenceCountPrimes } from "../reference/prime_count.ts";
import { poolWork } from "./02_try_pymp1.ts";
import type { Reply } from "../sandbox/sandbox.ts";
import {
  answerOf,
  type CheckContext,
  type CheckSpec,
  measureSpeedup,
  type Outcome,
  show,
} from "./check.ts";

/** The worker counts the counter is tried with, each twice. */
export const COUNTER_WORKERS = [2, 3, 4] as const;
/** Increments per worker. */
export const COUNTER_TIMES = 20_000;
/** The limit timed by the speedup check: about 0.3 s serially here. */
export const PRIME_LIMIT = 3_000_000;

const WORDS = ["the", "The", "pool", "POOL", "worker", "lock", "queue", "Queue", "value", "sum"];

/**
 * The texts a run's word count is checked on, drawn from the seed; words of mixed case and
 * whitespace of several kinds.
 *
 * @param seed The run's seed.
 * @returns The texts.
 *
 * @example Usage
 * ```ts
 * import { wordTexts } from "./03_explore_structures.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(wordTexts(3), wordTexts(3));
 * ```
 */
export function wordTexts(seed: number): string[] {
  let state = seed >>> 0 || 1;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const spaces = [" ", "  ", "\t", "\n"];
  return Array.from({ length: 24 }, () => {
    const count = 1 + next(30);
    return Array.from({ length: count }, () => WORDS[next(WORDS.length)]!)
      .map((word, i) => (i === 0 ? word : spaces[next(spaces.length)] + word)).join("");
  });
}

/**
 * The expected word count: words split on /\s+/, lower-cased, empty strings left out.
 *
 * @param texts The texts.
 * @returns The count of each word.
 *
 * @example Usage
 * ```ts
 * import { countWords } from "./03_explore_structures.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(countWords(["The pool", " the\tlock "]), { the: 2, pool: 1, lock: 1 });
 * ```
 */
export function countWords(texts: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const text of texts) {
    for (const word of text.split(/\s+/)) {
      if (word === "") continue;
      const key = word.toLowerCase();
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

function leftRunning(reply: Reply): Outcome | undefined {
  if (reply.activeChildren !== undefined && reply.activeChildren > 0) {
    return {
      status: "failed",
      message:
        `${reply.activeChildren} process(es) or pool worker(s) it started were still running after it returned: join every Process (and close and join every Pool it made) before returning`,
    };
  }
  return undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Judges how one run of the counter was incremented, from what the driver observed of each
 * worker's call: `times` increments each (writes of `value` or atomic `add`s), no write without
 * the counter's lock held.
 *
 * @param observed The reply's `observed` data.
 * @param workers The workers that ran `addMany`.
 * @param times The increments each worker was asked for.
 * @returns A failed outcome, or `undefined` when the counter was used as the lesson asks.
 *
 * @example Usage
 * ```ts
 * import { counterUse } from "./03_explore_structures.ts";
 * import { equal } from "node:assert/strict";
 *
 * const once = { writes: 1, unlockedWrites: 0, adds: 0 };
 * equal(counterUse({ counter: [once, once] }, 2, 5)?.status, "failed");
 * const each = { writes: 5, unlockedWrites: 0, adds: 0 };
 * equal(counterUse({ counter: [each, each] }, 2, 5), undefined);
 * ```
 */
export function counterUse(observed: unknown, workers: number, times: number): Outcome | undefined {
  const uses = (observed as { counter?: unknown } | undefined)?.counter;
  if (!Array.isArray(uses) || uses.length !== workers) {
    return {
      status: "failed",
      message:
        `the grader could not observe the counter's increments: addMany(counter, times) must change counter.value itself (not a copy of the counter)`,
    };
  }
  for (const use of uses) {
    const { writes, unlockedWrites, adds } = (use ?? {}) as Record<string, unknown>;
    if (!isCount(writes) || !isCount(unlockedWrites) || !isCount(adds)) {
      return { status: "failed", message: "the counter's increments could not be read" };
    }
    if (unlockedWrites > 0) {
      return {
        status: "failed",
        message:
          `${unlockedWrites} of ${writes} writes of counter.value were made without holding the counter's lock: another worker can write between your read and your write; hold counter.getLock() around each read-modify-write`,
      };
    }
    if (writes + adds < times) {
      return {
        status: "failed",
        message: `addMany(counter, ${times}) changed the counter ${
          writes + adds
        } time(s), not ${times}: add 1 at a time, ${times} times, each increment while holding counter.getLock()`,
      };
    }
  }
  return undefined;
}

/**
 * Judges whether the pipeline used its structure: at least two lib Processes started and joined,
 * and one Queue sent to two of them.
 *
 * @param observed The reply's `observed` data.
 * @returns A failed outcome, or `undefined` when the pipeline ran on Processes and a Queue.
 *
 * @example Usage
 * ```ts
 * import { pipelineUse } from "./03_explore_structures.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(pipelineUse({ processes: { started: 0, joined: 0, queueSharers: 0 } })?.status, "failed");
 * equal(pipelineUse({ processes: { started: 2, joined: 2, queueSharers: 2 } }), undefined);
 * ```
 */
export function pipelineUse(observed: unknown): Outcome | undefined {
  const { started, joined, queueSharers } =
    ((observed as { processes?: unknown } | undefined)?.processes ?? {}) as Record<string, unknown>;
  if (!isCount(started) || !isCount(joined) || !isCount(queueSharers)) {
    return { status: "failed", message: "the grader could not observe the pipeline's processes" };
  }
  if (started < 2) {
    return {
      status: "failed",
      message:
        `pipeline started ${started} lib Process(es): run the producer and the consumer each in its own Process (new Process(task, args).start())`,
    };
  }
  if (joined < started) {
    return {
      status: "failed",
      message: `${
        started - joined
      } of the ${started} Processes it started were not joined: await each process.join() before returning`,
    };
  }
  if (queueSharers < 2) {
    return {
      status: "failed",
      message:
        `no Queue was passed to two of its Processes: the producer puts the items on a Queue that the consumer takes them from`,
    };
  }
  return undefined;
}

/**
 * Judges whether the word count used its structures: pool tasks ran during the call, and a dict
 * made on the grader's Manager holds the counts at the end.
 *
 * @param reply The reply of the `wordCount` call.
 * @param expected The right counts.
 * @returns A failed outcome, or `undefined` when the pool and the Manager dict did the work.
 *
 * @example Usage
 * ```ts
 * import { wordCountUse } from "./03_explore_structures.ts";
 * import { equal } from "node:assert/strict";
 *
 * const stats = (tasks: number) => ({ perWorker: [{ tasks, busyMs: 0 }] });
 * const reply = { id: 1, seconds: 0, statsBefore: stats(0), statsAfter: stats(2) };
 * equal(wordCountUse({ ...reply, observed: { managerDicts: [{ a: 1 }] } }, { a: 1 }), undefined);
 * equal(wordCountUse({ ...reply, observed: { managerDicts: [] } }, { a: 1 })?.status, "failed");
 * ```
 */
export function wordCountUse(
  reply: Reply,
  expected: Record<string, number>,
): Outcome | undefined {
  const work = poolWork(reply.statsBefore, reply.statsAfter);
  if (work === "unreadable" || work === undefined) {
    return { status: "failed", message: "the pool's statistics could not be read" };
  }
  if (work.tasks === 0) {
    return {
      status: "failed",
      message:
        "no task ran on the pool: count the texts in pool tasks (pool.map or pool.starmap over the texts)",
    };
  }
  const dicts = (reply.observed as { managerDicts?: unknown } | undefined)?.managerDicts;
  if (!Array.isArray(dicts) || dicts.length === 0) {
    return {
      status: "failed",
      message:
        "no dict was made on the Manager it was given: merge the counts into manager.dict(), which every task can reach",
    };
  }
  const holds = dicts.some((dict) =>
    typeof dict === "object" && dict !== null && !Array.isArray(dict) &&
    sameCounts(dict as Record<string, number>, expected)
  );
  if (!holds) {
    return {
      status: "failed",
      message:
        "no dict of the Manager held the word counts at the end: the tasks merge their counts into the Manager dict, and wordCount returns what it holds",
    };
  }
  return undefined;
}

function workersOf(context: CheckContext): number {
  return Math.max(2, context.cores);
}

const PRIMES = "countPrimes: correct";

/** Exercise 3's checks, in order. */
export const CHECKS: readonly CheckSpec[] = [
  {
    name: "counter: no update is lost",
    points: 1,
    async run(context) {
      const sandbox = await context.sandbox();
      for (let round = 0; round < 2; round++) {
        for (const workers of COUNTER_WORKERS) {
          context.progress(`${workers} workers × ${COUNTER_TIMES} increments (round ${round + 1})`);
          const reply = await sandbox.student(
            {
              op: "counter",
              file: "counter.ts",
              name: "addMany",
              workers,
              times: COUNTER_TIMES,
            },
            { timeoutMs: context.timeoutMs },
          );
          const answer = answerOf(reply);
          if (!answer.ok) return answer.outcome;
          const expected = workers * COUNTER_TIMES;
          if (answer.value !== expected) {
            return {
              status: "failed",
              message: `${workers} workers each added ${COUNTER_TIMES}: the counter reads ${
                typeof answer.value === "number" ? answer.value : show(answer.value)
              }, expected ${expected}. ${
                typeof answer.value === "number" && answer.value < expected
                  ? `${
                    expected - answer.value
                  } updates were lost: two workers read the same old value; hold counter.getLock() around each read-modify-write`
                  : ""
              }`.trim(),
            };
          }
          const misuse = counterUse(reply.observed, workers, COUNTER_TIMES);
          if (misuse) return misuse;
        }
      }
      return {
        status: "passed",
        message: `Exact for ${COUNTER_WORKERS.join(", ")} workers × ${COUNTER_TIMES}, twice each`,
      };
    },
  },
  {
    name: "pipeline: squares in order, processes joined",
    points: 1,
    async run(context) {
      const items = Array.from({ length: 40 }, (_, i) => (i * 7 + context.seed) % 101 - 50);
      const sandbox = await context.sandbox();
      context.progress(`pipeline(${items.length} items)`);
      const reply = await sandbox.student(
        { op: "call", file: "pipeline.ts", name: "pipeline", args: [items] },
        { timeoutMs: context.timeoutMs },
      );
      const answer = answerOf(reply);
      if (!answer.ok) return answer.outcome;
      const expected = items.map((x) => x * x);
      if (
        !Array.isArray(answer.value) || answer.value.length !== expected.length ||
        answer.value.some((x, i) => x !== expected[i])
      ) {
        return {
          status: "failed",
          message: `pipeline([${items.slice(0, 4).join(", ")}, ...]) returned ${
            show(answer.value)
          }, expected [${
            expected.slice(0, 4).join(", ")
          }, ...] (${expected.length} squares, in order)`,
        };
      }
      return pipelineUse(reply.observed) ?? leftRunning(reply) ?? {
        status: "passed",
        message:
          `${items.length} squares in order through Processes and a Queue; no process left running`,
      };
    },
  },
  {
    name: "wordCount: counts merged in a Manager dict",
    points: 1,
    async run(context) {
      const texts = wordTexts(context.seed);
      const sandbox = await context.sandbox();
      context.progress(`wordCount(${texts.length} texts, pool, manager)`);
      const reply = await sandbox.student(
        {
          op: "call",
          file: "word_count.ts",
          name: "wordCount",
          args: [texts],
          pool: workersOf(context),
          manager: true,
        },
        { timeoutMs: context.timeoutMs },
      );
      const answer = answerOf(reply);
      if (!answer.ok) return answer.outcome;
      const expected = countWords(texts);
      const value = answer.value;
      if (typeof value !== "object" || value === null || !sameCounts(value as never, expected)) {
        return {
          status: "failed",
          message: `wordCount returned ${show(value)}, expected ${
            show(expected)
          } (seed ${context.seed}: check --seed ${context.seed} replays these texts); a read-then-write on a manager dict is not atomic: count locally, merge under a lock`,
        };
      }
      return wordCountUse(reply, expected) ?? leftRunning(reply) ?? {
        status: "passed",
        message: `${
          Object.keys(expected).length
        } words counted right over ${texts.length} texts, in pool tasks, into a Manager dict`,
      };
    },
  },
  {
    name: PRIMES,
    points: 1,
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
    run(context) {
      const expected = referenceCountPrimes(PRIME_LIMIT);
      return measureSpeedup(context, {
        reference: { name: "countPrimes", args: [PRIME_LIMIT] },
        student: {
          op: "call",
          file: "prime_count.ts",
          name: "countPrimes",
          args: [PRIME_LIMIT],
          pool: workersOf(context),
        },
        verify: (reply) =>
          reply.value === expected ? undefined : {
            status: "failed",
            message: `countPrimes(${PRIME_LIMIT}) returned ${
              show(reply.value)
            }, expected ${expected}`,
          },
        tooFast: "the primes were not all tested; test every number in the pool's tasks",
        advice: () =>
          "Send several blocks per worker: large numbers cost more to test than small ones, so equal blocks are unequal work, and one block per worker leaves a worker idle at the end",
      });
    },
  },
];
