/**
 * What a check is: a name, its points, and a function that turns sandbox observations into an
 * outcome. The runner runs an exercise's checks in declaration order and makes the result data.
 *
 * @module
 */
import type { CheckStatus, Measurements } from "../result.ts";
import { formatSeconds } from "../_format.ts";
import {
  describeFault,
  type Fault,
  type ReferenceOp,
  type Reply,
  type Sandbox,
  type StudentOp,
} from "../sandbox/sandbox.ts";
import {
  REFERENCE_TRIES,
  referenceDisturbed,
  ReferenceDisturbedError,
  type ReferenceUsage,
} from "../measure/reference_guard.ts";
import { speedupThreshold } from "../measure/timing.ts";
import { type CallUsage, Witness } from "../sandbox/witness.ts";
import {
  judgePairs,
  MAX_PAIRS,
  MIN_PAIRS,
  type SpeedupInterval,
  type TimedPair,
} from "../measure/speedup_interval.ts";
import {
  DISTURBED_CORES,
  judgeWork,
  type PairEvidence,
  parallelism,
  workShare,
} from "./_evidence.ts";

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
  /** How the machine is read around timed calls (default: this machine's readers). */
  witness?: Witness;
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
  /**
   * The pool sizes its calls ask for on `cores` cores: the sandbox starts and warms them up when
   * it opens (`SandboxOptions.pools`), all at once. Default: none.
   */
  pools?(cores: number): readonly number[];
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

/** The busy cores (per core) past which a sweep reports its steps as measured on a busy machine. */
export const BUSY_LOAD_PER_CORE = 0.75;

/** The most warm-up pairs while the student's speed still improves. */
const WARMUP = { most: 5 } as const;
/** A pair whose speed is at least this share of the previous one's is warm. */
const STILL_WARMING = 0.9;

/** One side's call as timed and witnessed. */
interface Witnessed {
  reply: Reply;
  usage: CallUsage;
}

/**
 * Whether the rest of the machine used more cores during a call than the call left free, by more
 * than {@linkcode DISTURBED_CORES}: a single-threaded reference on two cores is not slowed by one
 * other busy core, a call that needs every core is.
 *
 * @param usage What the witness saw.
 * @param needed The cores the call needs (1 for the reference, the workers for the student).
 */
function disturbed(usage: CallUsage, needed: number): boolean {
  if (usage.otherCores === undefined) return false;
  const spare = Math.max(0, (usage.machineCores ?? needed) - needed);
  return usage.otherCores > spare + DISTURBED_CORES;
}

/** The CPU time of a call: the harness's figure, else the witness's. */
function cpuOf(witnessed: Witnessed): number | undefined {
  return witnessed.reply.trusted?.cpuSeconds ?? witnessed.usage.cpuSeconds;
}

/**
 * Times the grader's reference once, voiding and retrying a try during which other code ran in the
 * sandbox process (the student's threads, left running to slow it), at most
 * {@linkcode REFERENCE_TRIES} times. The CPU time is the harness's `cpuUsage()` (every platform).
 */
async function timedReference(
  sandbox: Sandbox,
  witness: Witness,
  op: ReferenceOp,
  options: { timeoutMs: number },
): Promise<Witnessed> {
  let last: ReferenceUsage | undefined;
  for (let i = 0; i < REFERENCE_TRIES; i++) {
    const { result, usage } = await witness.around(
      sandbox.pid,
      () => sandbox.reference(op, options),
    );
    const cpu = result.trusted?.cpuSeconds ?? result.usage?.cpuSeconds;
    const wall = result.usage?.wallSeconds ?? result.seconds;
    if (cpu === undefined) return { reply: result, usage };
    last = { cpuSeconds: cpu, wallSeconds: wall };
    if (!referenceDisturbed(last)) return { reply: result, usage };
  }
  throw new ReferenceDisturbedError(last!);
}

/**
 * The speedup check of a parallel exercise. On one core `skipped`. Otherwise warm-up pairs, then
 * timed pairs (the grader's reference, then the student's call, each with new arguments), each
 * answer verified and each call witnessed from outside (`grader/sandbox/witness.ts`): the student's CPU
 * time and CPU ÷ wall, and the CPU the rest of the machine used. After {@linkcode MIN_PAIRS} pairs
 * and after each pair from then on, the verdict is decided when it is clear
 * (`grader/measure/speedup_interval.ts`): `passed` when the speedup's interval lies above the threshold and
 * the work was done on several threads (`_evidence.ts`); `failed` when the interval of the
 * undisturbed pairs lies below it, when the work was not done, or when it ran on one thread on a
 * quiet machine; `inconclusive` after {@linkcode MAX_PAIRS} pairs without a clear verdict.
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
  const witness = context.witness ?? new Witness();
  const options = { timeoutMs: context.timeoutMs };
  let index = 0;
  const pair = async (): Promise<{ ref: Witnessed; student: Witnessed } | Outcome> => {
    const args = plan.args?.(index++) ?? plan.student.args;
    const ref = await timedReference(sandbox, witness, { ...plan.reference, args }, options);
    const { result, usage } = await witness.around(
      sandbox.pid,
      () => sandbox.student({ ...plan.student, args }, options),
    );
    const answer = answerOf(result);
    const wrong = answer.ok ? plan.verify(result, args, ref.reply.value) : answer.outcome;
    return wrong ?? { ref, student: { reply: result, usage } };
  };
  const total = WARMUP.most + MAX_PAIRS;
  const timed: TimedPair[] = [];
  const evidence: PairEvidence[] = [];
  let last: { ref: Witnessed; student: Witnessed } | undefined;
  try {
    // Warm-up: the first pair is never timed; after it, the first pair whose speed (student ÷
    // reference: the sizes differ) no longer improves by 10% is warm, and counts as the first timed.
    let before = Infinity;
    let warm: { ref: Witnessed; student: Witnessed } | undefined;
    for (let i = 0; i < WARMUP.most && !warm; i++) {
      context.progress(`warm-up pair ${i + 1}`);
      const got = await pair();
      if ("status" in got) return got;
      const ratio = got.student.reply.seconds / Math.max(got.ref.reply.seconds, 1e-9);
      if (ratio >= STILL_WARMING * before) warm = got;
      before = ratio;
    }
    while (timed.length < MAX_PAIRS) {
      let got: { ref: Witnessed; student: Witnessed } | Outcome;
      if (warm) {
        got = warm;
        warm = undefined;
      } else {
        context.progress(`timing pair ${timed.length + 1} (at most ${MAX_PAIRS}; ${total} in all)`);
        got = await pair();
      }
      if ("status" in got) return got;
      last = got;
      timed.push({
        reference: got.ref.reply.seconds,
        student: got.student.reply.seconds,
        referenceDisturbed: disturbed(got.ref.usage, 1),
        studentDisturbed: disturbed(got.student.usage, plan.student.pool),
      });
      const referenceCpu = cpuOf(got.ref) ?? got.ref.reply.seconds;
      const studentCpu = cpuOf(got.student);
      if (studentCpu !== undefined) {
        evidence.push({
          referenceCpu,
          studentCpu,
          studentWall: got.student.reply.seconds,
          studentDisturbed: timed.at(-1)!.studentDisturbed,
        });
      }
      if (timed.length < MIN_PAIRS) continue;
      const outcome = decideSpeedup(context, plan, {
        threshold,
        timed,
        evidence,
        last,
        final: false,
      });
      if (outcome) return outcome;
    }
  } catch (error) {
    if (!(error instanceof ReferenceDisturbedError)) throw error;
    return { status: "failed", message: error.message };
  }
  return decideSpeedup(context, plan, { threshold, timed, evidence, last, final: true })!;
}

/** What {@linkcode decideSpeedup} decides on. */
interface SpeedupState {
  threshold: number;
  timed: TimedPair[];
  evidence: PairEvidence[];
  last: { ref: Witnessed; student: Witnessed } | undefined;
  /** No more pairs will be measured: decide, `inconclusive` if nothing is clear. */
  final: boolean;
}

/** The outcome once it is clear (or `final`), else `undefined` (measure another pair). */
function decideSpeedup(
  context: CheckContext,
  plan: SpeedupPlan,
  state: SpeedupState,
): Outcome | undefined {
  const { threshold, timed, evidence, last } = state;
  const workers = plan.student.pool;
  const judgement = judgePairs(timed, threshold);
  // An interval of fewer than MIN_PAIRS pairs is too wide to say anything: it is not reported.
  const interval = [judgement.passInterval, judgement.failInterval]
    .find((candidate) => candidate !== undefined && candidate.pairs >= MIN_PAIRS);
  const finding = evidence.length >= MIN_PAIRS ? judgeWork(evidence, workers) : undefined;
  const sorted = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const threads = last?.student.usage.workerThreadSeconds;
  const cpuLast = last ? cpuOf(last.student) : undefined;
  const measurements: Measurements = finiteOnly({
    seconds: sorted(timed.map((p) => p.student)),
    referenceSeconds: sorted(timed.map((p) => p.reference)),
    speedup: interval?.center,
    speedupLow: interval?.low,
    speedupHigh: interval?.high,
    threshold,
    workers,
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
  const speed = describeSpeed(interval, timed, workers);
  const observation: SpeedupObservation = {
    reply: last?.student.reply,
    workers,
    // On a busy machine the threads wait for cores: only quiet pairs say how parallel the code is.
    parallelism: evidence.length > 0 ? parallelism(evidence, true) : NaN,
    ...(threads && cpuLast
      ? { threadShares: threads.filter((t) => t > 0).map((t) => t / cpuLast) }
      : {}),
  };
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
