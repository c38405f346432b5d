/**
 * Exercise 3's histogram part: `fillHistogram(values, histogram, pool)` counts values into a
 * `SharedArray` that the harness made and reads itself (`Reply.trusted.histogram`), while a
 * trusted watcher thread of the harness records which threads held the array's lock. The bins must
 * be exact (a fill without the lock loses counts), and at least two threads must have been seen
 * holding the lock (a fill by the calling thread shows one; one without the lock shows none).
 *
 * The lock's owner word is written by whoever holds the lock, so the student's code could write
 * made-up ids into it. Where the OS names the sandbox's threads (Linux: `/proc/PID/task/TID/comm`,
 * read by the grader around the call), an owner counts only when it is a lib worker's id
 * (`threadId + 1`, `lib/_wait.ts` `selfId`) whose thread `worker-<threadId>` lived in the sandbox
 * during the call (`_thread_owners.ts` `verifiedOwners`).
 *
 * @module
 */
import { answerOf, type CheckContext, type Outcome } from "./check.ts";
import type { Reply } from "../sandbox/sandbox.ts";
import { Witness } from "../sandbox/witness.ts";
import { verifiedOwners } from "./_thread_owners.ts";

/** The histogram's bins. */
export const HISTOGRAM_BINS = 16;
/** How many values a run counts. */
export const HISTOGRAM_VALUES = 60_000;
/** The most runs when the watcher saw fewer than two lock holders (it may have slept through). */
export const HISTOGRAM_RUNS = 3;

/** What the harness's watcher saw of one histogram call (`Reply.trusted.histogram`). */
export type HistogramSeen = NonNullable<NonNullable<Reply["trusted"]>["histogram"]>;

/**
 * The values a run counts, drawn from the seed: skewed towards the low bins, so that a count lost
 * or misplaced shows in a bin.
 *
 * @param seed The run's seed.
 * @param count How many values.
 * @returns The values, each in [0, {@linkcode HISTOGRAM_BINS}).
 *
 * @example Usage
 * ```ts
 * import { histogramValues } from "./_histogram.ts";
 * import { deepEqual, ok } from "node:assert/strict";
 *
 * deepEqual(histogramValues(3, 50), histogramValues(3, 50));
 * ok(histogramValues(4, 50).every((v) => v >= 0 && v < 16));
 * ```
 */
export function histogramValues(seed: number, count = HISTOGRAM_VALUES): number[] {
  let state = (seed ^ 0x5bd1e995) >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) / 0x1000000;
  };
  return Array.from({ length: count }, () => Math.floor(HISTOGRAM_BINS * next() * next()));
}

/**
 * Judges one histogram call from what the harness read and saw: the bins against the expected
 * ones, then the threads that held the lock.
 *
 * @param seen What the harness read and its watcher saw.
 * @param expected The right bins.
 * @returns A failed outcome, `"few-owners"` when the bins are right but fewer than two threads were
 * seen holding the lock, or `undefined` when the call passed.
 *
 * @example Usage
 * ```ts
 * import { judgeHistogram } from "./_histogram.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(judgeHistogram({ bins: [2, 1], owners: 2, changes: 3 }, [2, 1]), undefined);
 * equal(judgeHistogram({ bins: [2, 1], owners: 1, changes: 3 }, [2, 1]), "few-owners");
 * const lost = judgeHistogram({ bins: [1, 1], owners: 2, changes: 2 }, [2, 1]);
 * equal(typeof lost === "object" && lost.status, "failed");
 * ```
 */
export function judgeHistogram(
  seen: HistogramSeen,
  expected: readonly number[],
): Outcome | "few-owners" | undefined {
  const total = (bins: readonly number[]) => bins.reduce((sum, n) => sum + n, 0);
  const wrong = expected.findIndex((n, i) => seen.bins[i] !== n);
  if (wrong >= 0 || seen.bins.length !== expected.length) {
    const lost = total(expected) - total(seen.bins);
    return {
      status: "failed",
      message: lost > 0
        ? `the histogram holds ${total(seen.bins)} counts, expected ${
          total(expected)
        }: ${lost} were lost (two workers read the same old bin and both wrote it back plus one); hold histogram.getLock() around each increment`
        : `bin ${wrong} holds ${seen.bins[wrong]}, expected ${
          expected[wrong]
        }: each value v adds 1 to histogram.array[v], once`,
    };
  }
  return seen.owners >= 2 ? undefined : "few-owners";
}

/**
 * Runs the histogram check: up to {@linkcode HISTOGRAM_RUNS} calls on a fresh harness-made
 * histogram each, until one shows the lock held by at least two threads.
 *
 * @param context The check's context.
 * @param workers The pool's workers.
 * @returns The outcome.
 */
export async function histogramCheck(
  context: CheckContext,
  workers: number,
  witness: Witness = new Witness(),
): Promise<Outcome> {
  const values = histogramValues(context.seed);
  const expected = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const value of values) expected[value]!++;
  const sandbox = await context.sandbox();
  let owners = 0;
  let unknown = 0;
  let outworked = false;
  for (let run = 1; run <= HISTOGRAM_RUNS; run++) {
    context.progress(`fillHistogram(${values.length} values, ${workers} workers; run ${run})`);
    const before = await witness.snapshot(sandbox.pid, { schedstat: true });
    const reply = await sandbox.student(
      {
        op: "histogram",
        file: "histogram.ts",
        name: "fillHistogram",
        values,
        bins: HISTOGRAM_BINS,
        pool: workers,
      },
      { timeoutMs: context.timeoutMs },
    );
    const after = await witness.snapshot(sandbox.pid, { schedstat: true });
    const answer = answerOf(reply);
    if (!answer.ok) return answer.outcome;
    const watched = reply.trusted?.histogram;
    if (!watched) {
      return { status: "error", message: "the grader could not read its own histogram" };
    }
    const verified = verifiedOwners(watched, [before, after]);
    unknown = Math.max(unknown, verified.unknown);
    outworked ||= verified.outworked === true;
    const seen = { ...watched, owners: verified.owners };
    const verdict = judgeHistogram(seen, expected);
    if (verdict !== "few-owners" && verdict !== undefined) return verdict;
    if (reply.activeChildren !== undefined && reply.activeChildren > 0) {
      return {
        status: "failed",
        message:
          `${reply.activeChildren} process(es) or pool worker(s) it started were still running after it returned: use the pool it is given`,
      };
    }
    if (verdict === undefined) {
      return {
        status: "passed",
        message:
          `${values.length} values counted exactly into ${HISTOGRAM_BINS} shared bins; the grader saw ${seen.owners} threads hold the array's lock${
            verified.witness === "lock-word" ? "" : " (each one of the sandbox's worker threads)"
          }`,
      };
    }
    owners = Math.max(owners, seen.owners);
  }
  const madeUp = [
    unknown > 0
      ? `its owner word named ${unknown} thread(s) that were no worker of the sandbox`
      : "",
    outworked
      ? "the threads named as its holders ran for a shorter time than another thread (the operating system's accounting)"
      : "",
  ].filter(Boolean).join("; ");
  return {
    status: "failed",
    message: `the bins were right, but in ${HISTOGRAM_RUNS} runs the grader saw ${
      owners === 0 ? "no thread" : "only one thread"
    } hold the histogram's lock${madeUp ? ` (${madeUp})` : ""}: ${
      owners === 0
        ? "each increment runs while holding histogram.getLock() (without it, two workers that count into the same bin at once lose a count)"
        : "the increments must run in pool tasks on several workers (one chunk per worker, each sent with pool.apply), not in fillHistogram itself"
    }`,
  };
}
