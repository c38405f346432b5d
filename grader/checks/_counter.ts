/**
 * Exercise 3's counter part: the shared counter is exact under every worker count tried, again and
 * again (a missing lock loses updates), and the harness's own watcher saw it rise in small steps.
 *
 * @module
 */
import type { Reply } from "../sandbox/sandbox.ts";
import { answerOf, type CheckContext, type Outcome } from "./check.ts";

/** The worker counts the counter is tried with, each twice. */
export const COUNTER_WORKERS = [2, 3, 4] as const;
/** Increments per worker. */
export const COUNTER_TIMES = 20_000;

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
 * import { counterGrain } from "./_counter.ts";
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
 * Runs the counter check: `addMany` on a harness-made counter for each worker count twice (and a
 * few runs more while the watcher saw no fine grain), each count exact and some run rising by ones.
 *
 * @param context The check's context.
 * @returns The outcome.
 *
 * @example Usage
 * ```ts
 * import { counterCheck } from "./_counter.ts";
 * import type { CheckContext } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * const reply = { id: 1, seconds: 0, value: undefined };
 * const sandbox = { student: () => Promise.resolve(reply) };
 * const context = {
 *   seed: 1,
 *   cores: 2,
 *   timeoutMs: 1000,
 *   progress() {},
 *   sandbox: () => Promise.resolve(sandbox),
 * } as unknown as CheckContext;
 * equal((await counterCheck(context)).status, "error");
 * ```
 */
export async function counterCheck(context: CheckContext): Promise<Outcome> {
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
}
