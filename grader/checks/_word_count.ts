/**
 * Exercise 3's word count part: the counts are right, made in pool tasks and merged into a dict
 * made on the grader's Manager, written by the tasks, not by the calling thread.
 *
 * @module
 */
import { poolWork } from "./_shared.ts";
import type { Reply } from "../sandbox/sandbox.ts";
import { answerOf, type CheckContext, type Outcome, show } from "./check.ts";
import { isCount, leftRunning, workersOf } from "./_structures.ts";

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
 * import { wordTexts } from "./_word_count.ts";
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
 * import { countWords } from "./_word_count.ts";
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
 * import { wordCountUse } from "./_word_count.ts";
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

/**
 * Runs the word count check on texts drawn from the seed, with a pool and the grader's Manager.
 *
 * @param context The check's context.
 * @returns The outcome.
 *
 * @example Usage
 * ```ts
 * import { wordCountCheck } from "./_word_count.ts";
 * import type { CheckContext } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * const reply = { id: 1, seconds: 0, value: { the: 1 } };
 * const sandbox = { student: () => Promise.resolve(reply) };
 * const context = {
 *   seed: 1,
 *   cores: 2,
 *   timeoutMs: 1000,
 *   progress() {},
 *   sandbox: () => Promise.resolve(sandbox),
 * } as unknown as CheckContext;
 * equal((await wordCountCheck(context)).status, "failed");
 * ```
 */
export async function wordCountCheck(context: CheckContext): Promise<Outcome> {
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
}
