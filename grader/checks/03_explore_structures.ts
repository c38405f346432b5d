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
 * the pipeline's shared Queue must carry the items between two lib Processes, started and joined;
 * the word count must run pool tasks and leave the counts in a dict made on the grader's Manager,
 * written by the tasks, not by the calling thread (these two are counted in the student's isolate:
 * see ARCHITECTURE.md). `countPrimes` is timed on a limit drawn per pair.
 *
 * @module
 */
import { referenceCountPrimes } from "../reference/prime_count.ts";
import { describeBalance, RecordingWitness, workerBalance } from "./_balance.ts";
import { histogramCheck } from "./_histogram.ts";
import { poolWork, random, SIZE_LADDER } from "./_shared.ts";
import type { Reply } from "../sandbox/sandbox.ts";
import {
  answerOf,
  type CheckContext,
  type CheckSpec,
  measureSpeedup,
  type Outcome,
  show,
  type SpeedupObservation,
} from "./check.ts";

/** The worker counts the counter is tried with, each twice. */
export const COUNTER_WORKERS = [2, 3, 4] as const;
/** Increments per worker. */
export const COUNTER_TIMES = 20_000;
/** The limit timed by the speedup check: about 0.3 s serially here. */
export const PRIME_LIMIT = 3_000_000;
/**
 * The items of the pipeline's second call: their squares take more than a Queue's 1 MiB buffer
 * (13 bytes a number), so a pipeline that joins its processes before it reads the squares waits
 * for ever: the consumer cannot put the rest, and the caller waits in its join().
 */
export const PIPELINE_FULL_ITEMS = 100_000;

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
 * The coarsest grain the count may show and still count as rising by ones: the greatest common
 * divisor of the values the watcher saw mid-run.
 */
export const SMALL_GRAIN = 16;
/** Extra counter runs when no run showed the watcher a fine grain (it may have slept through one). */
export const EXTRA_COUNTER_RUNS = 6;

/** What the harness's watcher saw of one counter run (`Reply.trusted.counter`). */
export type CounterSeen = NonNullable<NonNullable<Reply["trusted"]>["counter"]>;

/**
 * Judges, from what the harness's trusted watcher saw of the count in every run, whether the
 * increments were small: some run must show values mid-run whose greatest common divisor is at
 * most {@linkcode SMALL_GRAIN}. One `counter.value += times` per worker (padded with `add(0)` calls
 * or not) only ever shows multiples of `times`; an honest `addMany` passes through every value. The
 * watcher reads memory the harness made, so nothing in the student's isolate changes what it saw.
 *
 * @param runs What the watcher saw, one entry per run.
 * @returns `"fine"` when some run rose in small steps, `"coarse"` when the runs it saw mid-way only
 * showed a coarse grain, `"unseen"` when it saw no run mid-way; with the finest grain seen.
 *
 * @example Usage
 * ```ts
 * import { counterGrain } from "./03_explore_structures.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const honest = { value: 40000, changes: 900, grain: 1, intermediate: true };
 * const lazy = { value: 40000, changes: 2, grain: 20000, intermediate: true };
 * const quick = { value: 40000, changes: 1, intermediate: false };
 * deepEqual(counterGrain([lazy, honest]), { kind: "fine", grain: 1 });
 * deepEqual(counterGrain([lazy, quick]), { kind: "coarse", grain: 20000 });
 * deepEqual(counterGrain([quick]), { kind: "unseen" });
 * ```
 */
export function counterGrain(
  runs: readonly CounterSeen[],
): { kind: "fine" | "coarse" | "unseen"; grain?: number } {
  const grains = runs.map((run) => run.grain).filter((grain) => grain !== undefined);
  if (grains.length === 0) return { kind: "unseen" };
  const grain = Math.min(...grains);
  return { kind: grain <= SMALL_GRAIN ? "fine" : "coarse", grain };
}

/**
 * Judges whether the pipeline's structure carried the items: at least two lib Processes started
 * and joined, and one Queue, shared by two of them, through which at least the items' bytes flowed
 * (read from the Queue's shared memory after the call). Two idle Processes handed an unused Queue
 * move nothing through it.
 *
 * @param observed The reply's `observed` data.
 * @param items How many items the pipeline was given.
 * @returns A failed outcome, or `undefined` when the items went through Processes and a Queue.
 *
 * @example Usage
 * ```ts
 * import { pipelineUse } from "./03_explore_structures.ts";
 * import { equal } from "node:assert/strict";
 *
 * const idle = { started: 2, joined: 2, queueSharers: 2, queueBytes: 0 };
 * equal(pipelineUse({ processes: idle }, 40)?.status, "failed");
 * equal(pipelineUse({ processes: { ...idle, queueBytes: 600 } }, 40), undefined);
 * ```
 */
export function pipelineUse(observed: unknown, items: number): Outcome | undefined {
  const { started, joined, queueSharers, queueBytes } =
    ((observed as { processes?: unknown } | undefined)?.processes ?? {}) as Record<string, unknown>;
  if (!isCount(started) || !isCount(joined) || !isCount(queueSharers) || !isCount(queueBytes)) {
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
  // Each item takes at least 5 bytes on the ring (a 4-byte length and a 1-byte tag).
  if (queueBytes < 5 * items) {
    return {
      status: "failed",
      message:
        `the Queue shared by its Processes carried ${queueBytes} bytes, too few for the ${items} items: the producer Process puts every item on it and the consumer Process takes them off`,
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
  const callerWrites = (reply.observed as { callerWrites?: unknown } | undefined)?.callerWrites;
  const written = Array.isArray(callerWrites)
    ? callerWrites.reduce((sum: number, n) => sum + (isCount(n) ? n : 0), 0)
    : 0;
  if (written > 0) {
    return {
      status: "failed",
      message:
        `wordCount wrote into the Manager dict ${written} time(s) from the calling thread: the pool's tasks merge their own counts into it (pass the dict to them), and wordCount only reads it at the end`,
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
const PIPELINE = "pipeline: squares in order, processes joined";

/** Exercise 3's checks, in order. */
export const CHECKS: readonly CheckSpec[] = [
  {
    name: "counter: no update is lost",
    points: 1,
    pools: () => COUNTER_WORKERS,
    async run(context) {
      const sandbox = await context.sandbox();
      const seen: CounterSeen[] = [];
      const runs = [...COUNTER_WORKERS, ...COUNTER_WORKERS];
      for (let i = 0; i < runs.length; i++) {
        const workers = runs[i]!;
        context.progress(`${workers} workers × ${COUNTER_TIMES} increments (run ${i + 1})`);
        const reply = await sandbox.student(
          { op: "counter", file: "counter.ts", name: "addMany", workers, times: COUNTER_TIMES },
          { timeoutMs: context.timeoutMs },
        );
        const answer = answerOf(reply);
        if (!answer.ok) return answer.outcome;
        const counter = reply.trusted?.counter;
        if (!counter) {
          return { status: "error", message: "the grader could not read its own counter" };
        }
        const expected = workers * COUNTER_TIMES;
        if (counter.value !== expected) {
          return {
            status: "failed",
            message:
              `${workers} workers each added ${COUNTER_TIMES}: the counter reads ${counter.value}, expected ${expected}. ${
                counter.value < expected
                  ? `${
                    expected - counter.value
                  } updates were lost: two workers read the same old value; hold counter.getLock() around each read-modify-write`
                  : ""
              }`.trim(),
          };
        }
        seen.push(counter);
        // The watcher may have been descheduled through a whole run: run again, a few times.
        if (i === runs.length - 1 && counterGrain(seen).kind !== "fine") {
          if (runs.length < COUNTER_WORKERS.length * 2 + EXTRA_COUNTER_RUNS) runs.push(2);
        }
      }
      const grain = counterGrain(seen);
      if (grain.kind !== "fine") {
        return {
          status: "failed",
          message: `the count was right, but in ${seen.length} runs the grader ${
            grain.kind === "coarse"
              ? `only saw it move in steps of ${grain.grain} or multiples`
              : "never saw it between its start and its end (each run was over at once)"
          }: addMany(counter, times) adds 1, times times, each increment while holding counter.getLock() (one counter.value += times is not what the exercise asks)`,
        };
      }
      return {
        status: "passed",
        message: `Exact for ${
          COUNTER_WORKERS.join(", ")
        } workers × ${COUNTER_TIMES}, twice each; the count rose by ones`,
      };
    },
  },
  {
    name: PIPELINE,
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
      return pipelineUse(reply.observed, items.length) ?? leftRunning(reply) ?? {
        status: "passed",
        message:
          `${items.length} squares in order through Processes and a Queue; no process left running`,
      };
    },
  },
  {
    name: "pipeline: reads before it joins (more items than a Queue holds)",
    points: 1,
    requires: [PIPELINE],
    async run(context) {
      const items = Array.from(
        { length: PIPELINE_FULL_ITEMS },
        (_, i) => (i * 13 + context.seed) % 2001 - 1000,
      );
      const sandbox = await context.sandbox();
      context.progress(`pipeline(${items.length} items)`);
      // A join before the read ends in the sandbox's timeout, which names what was still running.
      const reply = await sandbox.student(
        { op: "call", file: "pipeline.ts", name: "pipeline", args: [items] },
        { timeoutMs: context.timeoutMs },
      );
      const answer = answerOf(reply);
      if (!answer.ok) return answer.outcome;
      const value = answer.value;
      const wrong = !Array.isArray(value) || value.length !== items.length
        ? -1
        : items.findIndex((x, i) => value[i] !== x * x);
      if (wrong !== -1 || !Array.isArray(value)) {
        return {
          status: "failed",
          message: `pipeline(${items.length} items) returned ${
            Array.isArray(value)
              ? `${value.length} values${
                wrong >= 0 ? `, ${show(value[wrong])} at index ${wrong}` : ""
              }`
              : show(value)
          }, expected the ${items.length} squares in order`,
        };
      }
      // The rings wrap at this size: their byte counters no longer say what went through (the
      // 40-item check read them); the Processes and the Queue they shared still count.
      return pipelineUse(reply.observed, 0) ?? leftRunning(reply) ?? {
        status: "passed",
        message:
          `${items.length} squares in order, more than a Queue's buffer holds: read while the processes ran, joined after`,
      };
    },
  },
  {
    name: "wordCount: counts merged in a Manager dict",
    points: 1,
    pools: (cores) => [Math.max(2, cores)],
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
  return `The work was spread over the threads (${
    Number.isFinite(observed.parallelism) ? observed.parallelism.toFixed(1) : "?"
  } busy at once): look for work done outside the tasks, or blocks too small to pay for their messages.${tasks}`;
}
