/**
 * Exercise 3's word count part: the counts are right, made in pool tasks and merged into a dict
 * made on the grader's Manager, written by the tasks, not by the calling thread.
 *
 * @module
 */
import { poolWork } from "./_shared.ts";
import type { Reply } from "../sandbox/sandbox.ts";
import { Witness } from "../sandbox/witness.ts";
import { answerOf, type CheckContext, type Outcome, show } from "./check.ts";
import { leftRunning, workersOf } from "./_structures.ts";
import { type ThreadSnapshots, verifiedOwners } from "./_thread_owners.ts";
import { entriesDigest } from "../sandbox/manager_run.ts";

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
 * Fails a call during which no task ran on the pool, by the pool's own statistics (the student
 * isolate's data: it can only make the check fail, never pass).
 */
function poolRan(reply: Reply): Outcome | undefined {
  const work = poolWork(reply.statsBefore, reply.statsAfter);
  if (work === "unreadable" || work === undefined) {
    return { status: "failed", message: "the pool's statistics could not be read" };
  }
  if (work.tasks > 0) return undefined;
  return {
    status: "failed",
    message:
      "no task ran on the pool: count the texts in pool tasks (pool.map or pool.starmap over the texts)",
  };
}

/** What the harness read from its Manager's server after the call (`Reply.trusted.manager`). */
export type ManagerSeen = NonNullable<NonNullable<Reply["trusted"]>["manager"]>;

/**
 * Judges from the Manager's own record whether the pool's workers merged the counts: the harness
 * made the Manager, its server counted every write on the connection it came on, with the
 * `threadId` the writing thread reported; those ids must be the sandbox's worker threads (the OS's
 * names) that, together, ran longer during the call than any other worker thread (the calling
 * thread among them; the server, busy answering them, left out). The calling thread (a web Worker:
 * `threadId` 0) must write nothing, no connection may write that names no worker thread of the
 * sandbox, and a dict written from the workers must hold the counts (its contents' digest, read by
 * the harness, is that of the right counts).
 *
 * @param seen What the harness read from its Manager.
 * @param expected The right counts.
 * @param digest Their digest (`entriesDigest(Object.entries(expected))`).
 * @param around The sandbox's threads before and after the call (Linux), if read.
 * @returns A failed outcome, or `undefined` when the pool's workers wrote the counts.
 *
 * @example Usage
 * ```ts
 * import { managerUse } from "./_word_count.ts";
 * import { entriesDigest } from "../sandbox/manager_run.ts";
 * import { equal } from "node:assert/strict";
 *
 * const digest = await entriesDigest([["a", 1]]);
 * const owner = { threadId: 0, owner: true, calls: 1, writes: 0 };
 * const worker = { threadId: 7, owner: false, calls: 9, writes: 3 };
 * const caller = { threadId: 0, owner: false, calls: 4, writes: 2 };
 * const dicts = [{ size: 1, writes: 3, digest }];
 * equal(managerUse({ connections: [owner, worker], dicts }, { a: 1 }, digest), undefined);
 * const both = { connections: [owner, worker, caller], dicts };
 * equal(managerUse(both, { a: 1 }, digest)?.status, "failed");
 * equal(managerUse({ connections: [owner], dicts: [] }, { a: 1 }, digest)?.status, "failed");
 * ```
 */
export function managerUse(
  seen: ManagerSeen | undefined,
  expected: Record<string, number>,
  digest: string | undefined,
  around?: ThreadSnapshots,
): Outcome | undefined {
  if (seen === undefined || seen.readError !== undefined) {
    return {
      status: "failed",
      message: `the grader could not read its Manager's record after the call${
        seen?.readError ? ` (${seen.readError})` : ""
      }: wordCount leaves the manager it is given running`,
    };
  }
  if (seen.dicts.length === 0) {
    return {
      status: "failed",
      message:
        "no dict was made on the Manager it was given: merge the counts into manager.dict(), which every task can reach",
    };
  }
  const writers = seen.connections.filter((c) => !c.owner && c.writes > 0);
  const fromCaller = writers.filter((c) => c.threadId <= 0).reduce((n, c) => n + c.writes, 0);
  if (fromCaller > 0) {
    return {
      status: "failed",
      message:
        `wordCount wrote into the Manager dict ${fromCaller} time(s) from the calling thread (the manager's own count): the pool's tasks merge their own counts into it (pass the dict to them), and wordCount only reads it at the end`,
    };
  }
  const ownerIds = writers.map((c) => c.threadId + 1);
  const verified = around
    ? verifiedOwners({ owners: new Set(ownerIds).size, ownerIds }, around, {
      ignore: seen.threadId === undefined ? [] : [seen.threadId],
    })
    : { owners: new Set(ownerIds).size, witness: "lock-word" as const, unknown: 0 };
  if (verified.owners === 0) {
    const why = verified.outworked
      ? "by the operating system's accounting, the threads it names ran for a shorter time during the call than another thread, the calling one among them"
      : verified.unknown > 0
      ? `its writes came from ${verified.unknown} thread(s) that were no worker of the sandbox`
      : "nothing was written into it";
    return {
      status: "failed",
      message:
        `the Manager's own count shows no pool worker merging counts into a dict: ${why}; each task merges its text's counts into the shared dict itself`,
    };
  }
  if (verified.unknown > 0) {
    return {
      status: "failed",
      message:
        `the Manager's own count shows writes into it from ${verified.unknown} connection(s) that named no worker thread of the sandbox: only the pool's tasks write the counts, each from its worker's own connection`,
    };
  }
  const size = Object.keys(expected).length;
  if (!seen.dicts.some((dict) => dict.writes > 0 && dict.digest === digest)) {
    return {
      status: "failed",
      message:
        `no dict of the Manager held the counts of the ${size} words at the end (read by the grader from the manager): the tasks merge their counts into the Manager dict, and wordCount returns what it holds`,
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
export async function wordCountCheck(
  context: CheckContext,
  witness: Witness = new Witness(),
): Promise<Outcome> {
  const texts = wordTexts(context.seed);
  const sandbox = await context.sandbox();
  context.progress(`wordCount(${texts.length} texts, pool, manager)`);
  const before = await witness.snapshot(sandbox.pid, { schedstat: true });
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
  const after = await witness.snapshot(sandbox.pid, { schedstat: true });
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
  const digest = await entriesDigest(Object.entries(expected));
  return poolRan(reply) ??
    managerUse(reply.trusted?.manager, expected, digest, [before, after]) ??
    leftRunning(reply) ?? {
    status: "passed",
    message: `${
      Object.keys(expected).length
    } words counted right over ${texts.length} texts, in pool tasks, into a Manager dict`,
  };
}
