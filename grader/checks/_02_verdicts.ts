/**
 * Exercise 2's verdicts from what was witnessed, apart from the checks that run the code: whether a
 * call's work ran on several of the pool's threads ({@linkcode threadsOutcome}, from /proc or the
 * harness's CPU time) and why a speedup is missing ({@linkcode granularityAdvice}, from the pool's
 * counts). Pure functions of their facts, so they are tested without a sandbox.
 *
 * @module
 */
import { formatSeconds } from "../_format.ts";
import { DISTURBED_CORES, MIN_PARALLELISM, MIN_WORK_SHARE } from "./_evidence.ts";
import type { PoolWork } from "./_shared.ts";
import type { Outcome, SpeedupObservation } from "./check.ts";

/** The round trip of one task on the lib Pool here, in seconds (measured: ≈ 60 µs). */
const DISPATCH_SECONDS = 60e-6;

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
 * import { granularityAdvice } from "./_02_verdicts.ts";
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

/** The most of the reference's CPU time the calling thread may use during a call. */
export const CALLER_SHARE = 0.2;
/** Slack over {@linkcode CALLER_SHARE}: /proc counts in 10 ms ticks, and making a pool costs some. */
export const CALLER_SLACK_SECONDS = 0.02;

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
  /**
   * The CPU time of the busiest Worker thread that ran before the call (the calling thread; the
   * pool's workers are made for the call), in seconds (Linux).
   */
  callerSeconds?: number;
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
 * import { threadsOutcome } from "./_02_verdicts.ts";
 * import { equal } from "node:assert/strict";
 *
 * const facts = { workers: 2, cores: 2, referenceCpu: 0.25, referenceSeconds: 0.25, seconds: 0.14 };
 * equal(threadsOutcome({ ...facts, cpu: 0.26, threadSeconds: [0.13, 0.12, 0.01] }).status, "passed");
 * equal(threadsOutcome({ ...facts, cpu: 0.26, threadSeconds: [0.25, 0.01] }).status, "failed");
 * equal(threadsOutcome({ ...facts, cpu: 0.26 }).status, "passed");
 * // The caller added while two workers spun:
 * const spun = { ...facts, cpu: 0.75, threadSeconds: [0.25, 0.25, 0.25], callerSeconds: 0.25 };
 * equal(threadsOutcome(spun).status, "failed");
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
  // The calling thread splits the range and adds a few partial sums; the adding is the pool's.
  // Workers left spinning while it adds make the pool's threads look busy, not the caller idle.
  if (
    facts.callerSeconds !== undefined &&
    facts.callerSeconds > CALLER_SHARE * referenceCpu + CALLER_SLACK_SECONDS
  ) {
    return {
      status: "failed",
      message: `The calling thread used ${
        formatSeconds(facts.callerSeconds)
      } of CPU time during the call, while summing the range takes ${
        formatSeconds(referenceCpu)
      }: the adding ran in parallelSum itself, not in the pool's tasks; cut [lo, hi) into spans and sum them in pool tasks`,
      measurements,
    };
  }
  if (facts.threadSeconds) {
    // A Worker thread is busy with at least 30% of an even share of what the Worker threads used
    // (a late worker takes fewer spans, and /proc counts in 10 ms ticks).
    const used = facts.threadSeconds.reduce((sum, seconds) => sum + seconds, 0);
    const fair = (0.3 * used) / count;
    const shares = facts.threadSeconds.slice(0, count + 1);
    const busy = facts.threadSeconds.filter((seconds) => seconds >= fair).length;
    if (used < MIN_WORK_SHARE * referenceCpu) {
      return {
        status: "failed",
        message: `The call used ${
          formatSeconds(cpu)
        } of CPU time, but the Worker threads alive when it returned used only ${
          formatSeconds(used)
        } of it: the adding ran on threads that ended before parallelSum returned (Workers it made itself?); use the pool it is given`,
        measurements,
      };
    }
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
