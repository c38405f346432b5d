/**
 * What a check is: a name, its points, and a function that turns sandbox observations into an
 * outcome. The runner runs an exercise's checks in declaration order and makes the result data.
 *
 * @module
 */
import type { CheckStatus, Measurements } from "../result.ts";
import {
  describeFault,
  type Fault,
  formatSeconds,
  type ReferenceOp,
  type Reply,
  type Sandbox,
  type StudentOp,
} from "../sandbox/sandbox.ts";
import {
  compareInterleaved,
  type Comparison,
  ReferenceDisturbedError,
  speedupThreshold,
  timeReference,
} from "../timing.ts";

/** How one check ended, before the runner scores it. */
export interface Outcome {
  /** The status. */
  status: CheckStatus;
  /** Why, in one or two sentences; a hint where it failed. */
  message: string;
  /** What it timed, where it timed something. */
  measurements?: Measurements;
}

/** What a check can use. */
export interface CheckContext {
  /** The running sandbox with the student's code; reopened when an earlier check ended it. */
  sandbox(): Promise<Sandbox>;
  /** The kit's root folder. */
  kitRoot: string;
  /** Whether this run takes measurements (off for batch correctness runs and tests). */
  timed: boolean;
  /** The cores the grader can use. */
  cores: number;
  /** The wall-time limit of one sandbox call, in milliseconds. */
  timeoutMs: number;
  /** The per-run seed for random inputs (printed in messages so a failure can be replayed). */
  seed: number;
  /** Reports what the check is doing now, for a progress line. */
  progress(message: string): void;
  /** Whether an earlier check of this exercise passed. */
  passed(name: string): boolean;
  /**
   * Computes a value once per exercise run and shares it between checks (the student's guesses,
   * the lesson program's times).
   */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
}

/** One check of an exercise. */
export interface CheckSpec {
  /** The check's name, stable across runs. */
  name: string;
  /** Points available. */
  points: number;
  /** Whether it times something (skipped when timed checks are off, never run in parallel). */
  timed?: boolean;
  /** Earlier checks that must pass before this one runs (nothing is timed until it is right). */
  requires?: readonly string[];
  /** Runs the check. */
  run(context: CheckContext): Promise<Outcome>;
}

/**
 * The outcome of a student operation that did not return: `error` for a throw, a load failure or a
 * missing export, `crashed` when the code ended its worker.
 *
 * @param fault The fault.
 * @returns The outcome.
 *
 * @example Usage
 * ```ts
 * import { faultOutcome } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(faultOutcome({ kind: "exit", name: "Exit", message: "Deno.exit(1)" }).status, "crashed");
 * ```
 */
export function faultOutcome(fault: Fault): Outcome {
  return {
    status: fault.kind === "exit" || fault.kind === "crashed" ? "crashed" : "error",
    message: describeFault(fault),
  };
}

/** A reply's value, or the outcome that explains why there is none. */
export type Answer = { ok: true; value: unknown; reply: Reply } | { ok: false; outcome: Outcome };

/**
 * Splits a reply into its value or the outcome of its fault.
 *
 * @param reply The sandbox's reply.
 * @returns The value, or the outcome to report.
 *
 * @example Usage
 * ```ts
 * import { answerOf } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * const answer = answerOf({ id: 1, value: 3n, seconds: 0.1 });
 * equal(answer.ok && answer.value, 3n);
 * ```
 */
export function answerOf(reply: Reply): Answer {
  if (reply.fault) return { ok: false, outcome: faultOutcome(reply.fault) };
  return { ok: true, value: reply.value, reply };
}

/**
 * Shows a value in a message: bigints with `n`, strings quoted, long text cut.
 *
 * @param value The value.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { show } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(show(5n), "5n");
 * equal(show(5), "5 (a number)");
 * ```
 */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === "bigint") text = `${value}n`;
  else if (typeof value === "number") text = `${value} (a number)`;
  else if (typeof value === "string") text = JSON.stringify(value);
  else if (value === undefined) text = "undefined";
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** What {@linkcode timedOutcome} needs besides the comparison. */
export interface TimedFacts {
  /** The cores the grader could use. */
  cores: number;
  /** The workers the student's code was given. */
  workers: number;
  /** The cores busy just before timing began ({@linkcode currentLoad}), where the OS reports it. */
  load?: number;
  /** Said when the speedup is above what the cores can give (the work was skipped). */
  tooFast: string;
  /** Said when the speedup is below the threshold: what to change. */
  advice: string;
  /** More measurements to record (tasks, task time). */
  extra?: Measurements;
}

/** The busy cores (per core) past which a failed speedup is reported `inconclusive`. */
export const BUSY_LOAD_PER_CORE = 0.75;

/**
 * Turns a timed comparison into a check outcome. A speedup above 1.5× the cores is impossible, so
 * the work was skipped: `failed`. Otherwise the comparison's verdict stands, except that a failure
 * on a machine that was busy before timing began (load ≥ 0.75 per core) is `inconclusive`: the
 * student's workers competed with other work, so the missing speedup proves nothing.
 *
 * @param comparison The interleaved comparison.
 * @param facts Cores, workers, load and the messages.
 * @returns The outcome, its measurements recorded.
 *
 * @example Usage
 * ```ts
 * import { timedOutcome } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * const comparison = {
 *   verdict: "failed" as const, speedup: 1.1, spread: 0.1, quartiles: [1, 1.2] as [number, number],
 *   threshold: 1.4, pairs: 5, referenceSeconds: 0.3, seconds: 0.27, samples: [],
 * };
 * const facts = { cores: 2, workers: 2, tooFast: "", advice: "use bigger tasks" };
 * equal(timedOutcome(comparison, facts).status, "failed");
 * equal(timedOutcome(comparison, { ...facts, load: 3 }).status, "inconclusive");
 * ```
 */
export function timedOutcome(comparison: Comparison, facts: TimedFacts): Outcome {
  const measurements: Measurements = finiteOnly({
    seconds: comparison.seconds,
    referenceSeconds: comparison.referenceSeconds,
    speedup: comparison.speedup,
    spread: comparison.spread,
    threshold: comparison.threshold,
    workers: facts.workers,
    cores: facts.cores,
    pairs: comparison.pairs,
    ...facts.extra,
  });
  const speed = `${comparison.speedup.toFixed(2)}× (median of ${comparison.pairs} pairs: ${
    formatSeconds(comparison.referenceSeconds)
  } serial against ${formatSeconds(comparison.seconds)} on ${facts.workers} workers)`;
  const needs = `threshold ${comparison.threshold}× on ${facts.cores} cores`;
  if (comparison.speedup > facts.cores * 1.5) {
    return {
      status: "failed",
      message: `${speed} is more than ${facts.cores} cores can give: ${facts.tooFast}`,
      measurements,
    };
  }
  if (comparison.verdict === "passed") {
    return { status: "passed", message: `${speed}, ${needs}`, measurements };
  }
  if (comparison.verdict === "inconclusive") {
    return {
      status: "inconclusive",
      message: `${speed}: the times varied too much to decide (spread ${
        (comparison.spread * 100).toFixed(0)
      }%): the machine was busy, run again`,
      measurements,
    };
  }
  if (facts.load !== undefined && facts.load >= BUSY_LOAD_PER_CORE * facts.cores) {
    return {
      status: "inconclusive",
      message: `${speed}, below the ${needs}, but the machine was busy before timing began (${
        facts.load.toFixed(1)
      } of ${facts.cores} cores in use): run again when it is quieter. If it stays low: ${facts.advice}`,
      measurements,
    };
  }
  return {
    status: "failed",
    message: `${speed}, below the ${needs}. ${facts.advice}`,
    measurements,
  };
}

/** Leaves out every measurement that is not a finite number (the result schema takes no NaN). */
function finiteOnly(measurements: Measurements): Measurements {
  return Object.fromEntries(
    Object.entries(measurements).filter(([, value]) => Number.isFinite(value)),
  ) as Measurements;
}

/** How long {@linkcode currentLoad} watches the cores, in milliseconds. */
export const LOAD_WINDOW_MS = 250;

/**
 * How many cores are busy right now, measured over {@linkcode LOAD_WINDOW_MS} from the kernel's CPU
 * counters (`/proc/stat`) while the grader waits; elsewhere, the 1-minute load average. A load
 * average would count the grader's own previous run (a `check` right before a `sweep`) as a busy
 * machine; the counters see only what runs during the window.
 *
 * @param windowMs How long to watch.
 * @returns The busy cores, or `undefined` where the OS reports nothing.
 *
 * @example Usage
 * ```ts
 * import { currentLoad } from "./check.ts";
 * import { ok } from "node:assert/strict";
 *
 * const load = await currentLoad(50);
 * ok(load === undefined || load >= 0);
 * ```
 */
export async function currentLoad(windowMs = LOAD_WINDOW_MS): Promise<number | undefined> {
  const before = await cpuTimes();
  if (before === undefined) return loadAverage();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await cpuTimes();
  if (after === undefined || after.total <= before.total) return loadAverage();
  const busy = (after.total - after.idle) - (before.total - before.idle);
  return (busy / (after.total - before.total)) * after.cores;
}

/**
 * The 1-minute load average, where the OS reports it.
 *
 * @returns The load, or `undefined`.
 */
export function loadAverage(): number | undefined {
  try {
    return Deno.loadavg()[0];
  } catch {
    return undefined;
  }
}

/** The kernel's CPU time counters summed over every core (Linux only). */
async function cpuTimes(): Promise<{ total: number; idle: number; cores: number } | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile("/proc/stat");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const fields = lines[0]?.split(/\s+/).slice(1).map(Number) ?? [];
  if (fields.length < 5 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const cores = lines.filter((line) => /^cpu\d+ /.test(line)).length;
  // user nice system idle iowait irq softirq steal: idle and iowait are the idle time.
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  return { total, idle: fields[3]! + (fields[4] ?? 0), cores: Math.max(1, cores) };
}

/** What {@linkcode measureSpeedup} times and how it explains the result. */
export interface SpeedupPlan {
  /** The grader's own serial reference (run in the sandbox's trusted Worker). */
  reference: ReferenceOp;
  /** The student's parallel call, with `pool` set to the workers it gets. */
  student: StudentOp & { op: "call"; pool: number };
  /**
   * The arguments of each timed pair, given to both sides (`index` counts the pairs from 0), so
   * that an answer cached from an earlier call cannot be replayed; default: `student.args`.
   */
  args?(index: number): unknown[];
  /**
   * An outcome when a timed call's reply is wrong (nothing wrong is timed); `undefined` if right.
   * `args` are the arguments of that call.
   */
  verify(reply: Reply, args: readonly unknown[]): Outcome | undefined;
  /** Said when the speedup is above what the cores can give. */
  tooFast: string;
  /** What to change when the speedup is too low, from the last timed reply. */
  advice(reply: Reply | undefined): string;
  /** More measurements from the last timed reply. */
  extra?(reply: Reply | undefined): Measurements;
}

/**
 * The speedup check of a parallel exercise: on one core `skipped`; otherwise the reference and the
 * student's call timed interleaved (a reference during which the student's code kept running is
 * voided and retried, and `failed` if that keeps happening: {@linkcode timeReference}) (two to six warm-up pairs, until the student's time stops
 * dropping), every timed answer verified, and the verdict of {@linkcode timedOutcome}.
 *
 * @param context The check's context.
 * @param plan What to time, how to verify it, what to say.
 * @returns The outcome.
 * @throws {SandboxFailure} If the sandbox times out, runs out of memory or dies.
 */
export async function measureSpeedup(context: CheckContext, plan: SpeedupPlan): Promise<Outcome> {
  const threshold = speedupThreshold(context.cores);
  if (threshold === undefined) {
    return {
      status: "skipped",
      message:
        "This machine gives the grader only one core: no speedup is possible, so none is checked",
    };
  }
  const sandbox = await context.sandbox();
  const options = { timeoutMs: context.timeoutMs };
  let wrong: Outcome | undefined;
  let last: Reply | undefined;
  const load = await currentLoad();
  let pair = 0;
  let args: unknown[] = plan.student.args;
  let comparison: Comparison;
  try {
    comparison = await compareInterleaved(
      () => {
        // Each pair's arguments, the same on both sides; a disturbed reference is retried as is.
        args = plan.args?.(pair++) ?? plan.student.args;
        return timeReference(() => sandbox.reference({ ...plan.reference, args }, options));
      },
      async () => {
        const called = args;
        last = await sandbox.student({ ...plan.student, args: called }, options);
        const answer = answerOf(last);
        wrong ??= answer.ok ? plan.verify(last, called) : answer.outcome;
        return last.seconds;
      },
      {
        threshold,
        warmup: 2,
        maxWarmup: 6,
        onPair: (index, total) => context.progress(`timing pair ${index + 1} (at most ${total})`),
      },
    );
  } catch (error) {
    if (!(error instanceof ReferenceDisturbedError)) throw error;
    return { status: "failed", message: error.message };
  }
  if (wrong) return wrong;
  return timedOutcome(comparison, {
    cores: context.cores,
    workers: plan.student.pool,
    load,
    tooFast: plan.tooFast,
    advice: plan.advice(last),
    extra: plan.extra?.(last),
  });
}
