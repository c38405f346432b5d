/**
 * The speedup check's verdict (`decideSpeedup`): from the pairs timed so far and the CPU evidence,
 * the outcome once it is clear, its measurements and the words that explain it; and the plan types
 * the check reads. The measuring side is `_speedup.ts`; both are imported through `check.ts`.
 *
 * @module
 */
import type { Measurements } from "../result.ts";
import { formatSeconds } from "../_format.ts";
import type { ReferenceOp, Reply, StudentOp } from "../sandbox/sandbox.ts";
import type { CallUsage } from "../sandbox/witness.ts";
import {
  judgePairs,
  MIN_PAIRS,
  type SpeedupInterval,
  type TimedPair,
} from "../measure/speedup_interval.ts";
import { judgeWork, type PairEvidence, parallelism, workShare } from "./_evidence.ts";
import type { CheckContext, Outcome } from "./_spec.ts";

/** What {@linkcode measureSpeedup} times and how it explains the result. */
export interface SpeedupPlan {
  /** The grader's own serial reference (run in the sandbox's trusted Worker). */
  reference: ReferenceOp;
  /** The student's parallel call, with `pool` set to the workers it gets. */
  student: StudentOp & { op: "call"; pool: number };
  /**
   * The arguments of each timed pair, given to both sides (`index` counts the pairs from 0, warm-up
   * included): they should differ from pair to pair in value and in size, so that an answer
   * cached from an earlier call cannot be replayed and the CPU time can be seen to follow the work;
   * default: `student.args`.
   */
  args?(index: number): unknown[];
  /**
   * An outcome when a timed call's reply is wrong (nothing wrong is timed); `undefined` if right.
   * `args` are the arguments of that call, `expected` what the trusted reference returned for them.
   */
  verify(reply: Reply, args: readonly unknown[], expected: unknown): Outcome | undefined;
  /** Said when the speedup is above what the cores can give. */
  tooFast: string;
  /** What to change when the speedup is too low, from what was observed. */
  advice(observed: SpeedupObservation): string;
  /** More measurements from the last timed reply. */
  extra?(reply: Reply | undefined): Measurements;
}

/** What the grader observed of the student's timed calls, for advice. */
export interface SpeedupObservation {
  /** The last timed reply (its pool statistics are the student's isolate's: advice only). */
  reply: Reply | undefined;
  /** The workers given. */
  workers: number;
  /** CPU ÷ wall of the student's calls (median). */
  parallelism: number;
  /**
   * Each busy thread's share of the last call's CPU time, largest first, from /proc (Linux only):
   * one thread far above the others is a worker left with most of the work.
   */
  threadShares?: number[];
}

/** One side's call as timed and witnessed. */
export interface Witnessed {
  /** The sandbox's reply. */
  reply: Reply;
  /** What the witness saw around the call. */
  usage: CallUsage;
}

/**
 * The CPU time of a call: the harness's figure, else the witness's.
 *
 * @param witnessed The call.
 * @returns The CPU seconds, or `undefined` when neither could read them.
 *
 * @example Usage
 * ```ts
 * import { cpuOf } from "./_speedup_verdict.ts";
 * import { equal } from "node:assert/strict";
 *
 * const reply = { id: 1, value: 1, seconds: 1, trusted: { cpuSeconds: 2 } };
 * equal(cpuOf({ reply, usage: { cpuSeconds: 3 } } as Parameters<typeof cpuOf>[0]), 2);
 * ```
 */
export function cpuOf(witnessed: Witnessed): number | undefined {
  return witnessed.reply.trusted?.cpuSeconds ?? witnessed.usage.cpuSeconds;
}

/** What {@linkcode decideSpeedup} decides on. */
export interface SpeedupState {
  /** The speedup to reach on these cores. */
  threshold: number;
  /** The timed pairs so far. */
  timed: TimedPair[];
  /** The CPU evidence of the pairs the witness could read. */
  evidence: PairEvidence[];
  /** The last pair timed. */
  last: { ref: Witnessed; student: Witnessed } | undefined;
  /** No more pairs will be measured: decide, `inconclusive` if nothing is clear. */
  final: boolean;
}

/**
 * The speedup check's verdict from the pairs so far: `failed` when impossibly fast, when the work
 * was not done or not parallel, or when the interval lies below the threshold; `passed` when it
 * lies above and the work was shown; else, once `final`, `inconclusive`.
 *
 * @param context The check's context (its cores).
 * @param plan The plan: the workers, what to say.
 * @param state The pairs and evidence so far.
 * @returns The outcome once it is clear (or `final`), else `undefined` (measure another pair).
 *
 * @example Usage
 * ```ts
 * import { decideSpeedup } from "./_speedup_verdict.ts";
 * import type { CheckContext } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * const context = { cores: 2 } as CheckContext;
 * const plan = {
 *   reference: { op: "sum", args: [] },
 *   student: { op: "call", fn: "sum", args: [], pool: 2 },
 *   verify: () => undefined,
 *   tooFast: "too fast",
 *   advice: () => "use the workers",
 * } as unknown as Parameters<typeof decideSpeedup>[1];
 * const state = { threshold: 1.3, timed: [], evidence: [], last: undefined };
 * equal(decideSpeedup(context, plan, { ...state, final: false }), undefined);
 * equal(decideSpeedup(context, plan, { ...state, final: true })?.status, "inconclusive");
 * ```
 */
export function decideSpeedup(
  context: CheckContext,
  plan: SpeedupPlan,
  state: SpeedupState,
): Outcome | undefined {
  const { threshold, timed, evidence } = state;
  const workers = plan.student.pool;
  const judgement = judgePairs(timed, threshold);
  // An interval of fewer than MIN_PAIRS pairs is too wide to say anything: it is not reported.
  const interval = [judgement.passInterval, judgement.failInterval]
    .find((candidate) => candidate !== undefined && candidate.pairs >= MIN_PAIRS);
  const finding = evidence.length >= MIN_PAIRS ? judgeWork(evidence, workers) : undefined;
  const measurements = speedupMeasurements(context, plan, state, interval);
  const speed = describeSpeed(interval, timed, workers);
  const observation = observationOf(plan, state);
  if (interval && interval.low > context.cores * 1.5) {
    return {
      status: "failed",
      message: `${speed} is more than ${context.cores} cores can give: ${plan.tooFast}`,
      measurements,
    };
  }
  if (finding?.kind === "not-done" || finding?.kind === "not-parallel") {
    return { status: "failed", message: `${speed}, but ${finding.message}`, measurements };
  }
  const needs = `threshold ${threshold}× on ${context.cores} cores`;
  if (judgement.verdict === "passed" && finding?.kind === "ok") {
    return { status: "passed", message: `${speed}, ${needs}`, measurements };
  }
  if (judgement.verdict === "failed") {
    return {
      status: "failed",
      message: `${speed}, below the ${needs}. ${plan.advice(observation)}`,
      measurements,
    };
  }
  if (!state.final) return undefined;
  const busy = timed.filter((p) => p.referenceDisturbed || p.studentDisturbed).length;
  const why = finding?.kind === "unproven"
    ? finding.message
    : finding?.kind === "measuring"
    ? `your calls' CPU time could not be shown to grow with the inputs' sizes in ${timed.length} pairs`
    : busy > 0
    ? `other work on the machine disturbed ${busy} of ${timed.length} pairs`
    : "the times varied too much to decide";
  return {
    status: "inconclusive",
    message: `${speed}: ${why}; run again when the machine is quieter. If it stays low: ${
      plan.advice(observation)
    }`,
    measurements,
  };
}

/** `1.92× (99% bounds 1.81–2.04 over 3 pairs: 250 ms serial against 130 ms on 2 workers)`. */
function describeSpeed(
  interval: SpeedupInterval | undefined,
  timed: readonly TimedPair[],
  workers: number,
): string {
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const times = `${formatSeconds(mid(timed.map((p) => p.reference)))} serial against ${
    formatSeconds(mid(timed.map((p) => p.student)))
  } on ${workers} workers`;
  if (!interval) {
    return `Too few undisturbed pairs to judge (${timed.length} measured: ${times})`;
  }
  return `${interval.center.toFixed(2)}× (bounds ${interval.low.toFixed(2)}–${
    interval.high.toFixed(2)
  } at 99% each, over ${interval.pairs} pairs: ${times})`;
}

/** Leaves out every measurement that is not a finite number (the result schema takes no NaN). */
function finiteOnly(measurements: Measurements): Measurements {
  return Object.fromEntries(
    Object.entries(measurements).filter(([, value]) => Number.isFinite(value)),
  ) as Measurements;
}

/** The check's measurements: medians, the interval, the evidence, the witnesses, the plan's extra. */
function speedupMeasurements(
  context: CheckContext,
  plan: SpeedupPlan,
  state: SpeedupState,
  interval: SpeedupInterval | undefined,
): Measurements {
  const { threshold, timed, evidence, last } = state;
  const sorted = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const measurements: Measurements = finiteOnly({
    seconds: sorted(timed.map((p) => p.student)),
    referenceSeconds: sorted(timed.map((p) => p.reference)),
    speedup: interval?.center,
    speedupLow: interval?.low,
    speedupHigh: interval?.high,
    threshold,
    workers: plan.student.pool,
    cores: context.cores,
    pairs: timed.length,
    disturbedPairs: timed.filter((p) => p.referenceDisturbed || p.studentDisturbed).length,
    ...(evidence.length > 0
      ? { workShare: workShare(evidence), parallelism: parallelism(evidence) }
      : {}),
    ...plan.extra?.(last?.student.reply),
  });
  if (last) {
    measurements.processWitness = last.student.usage.processWitness;
    measurements.machineWitness = last.student.usage.machineWitness;
  }
  return measurements;
}

/** What the plan's advice is given: the last reply, the quiet pairs' parallelism, thread shares. */
function observationOf(plan: SpeedupPlan, state: SpeedupState): SpeedupObservation {
  const { evidence, last } = state;
  const threads = last?.student.usage.workerThreadSeconds;
  const cpuLast = last ? cpuOf(last.student) : undefined;
  return {
    reply: last?.student.reply,
    workers: plan.student.pool,
    // On a busy machine the threads wait for cores: only quiet pairs say how parallel the code is.
    parallelism: evidence.length > 0 ? parallelism(evidence, true) : NaN,
    ...(threads && cpuLast
      ? { threadShares: threads.filter((t) => t > 0).map((t) => t / cpuLast) }
      : {}),
  };
}
