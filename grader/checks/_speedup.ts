/**
 * The speedup check of a parallel exercise (`measureSpeedup`): warm-up, then timed pairs of the
 * grader's reference and the student's call, each answer verified and each call witnessed from
 * outside, until `_speedup_verdict.ts` finds the verdict clear. Imported through `check.ts`.
 *
 * @module
 */
import type { ReferenceOp, Sandbox } from "../sandbox/sandbox.ts";
import {
  REFERENCE_TRIES,
  referenceDisturbed,
  ReferenceDisturbedError,
  type ReferenceUsage,
} from "../measure/reference_guard.ts";
import { speedupThreshold } from "../measure/timing.ts";
import { type CallUsage, Witness } from "../sandbox/witness.ts";
import { MAX_PAIRS, MIN_PAIRS, type TimedPair } from "../measure/speedup_interval.ts";
import { DISTURBED_CORES, type PairEvidence } from "./_evidence.ts";
import { answerOf, type CheckContext, type Outcome } from "./_spec.ts";
import { cpuOf, decideSpeedup, type SpeedupPlan, type Witnessed } from "./_speedup_verdict.ts";

/** The most warm-up pairs while the student's speed still improves. */
const WARMUP = { most: 5 } as const;
/** A pair whose speed is at least this share of the previous one's is warm. */
const STILL_WARMING = 0.9;

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
      recordPair(got, plan.student.pool, timed, evidence);
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

/** Adds a timed pair, and its CPU evidence when the student's CPU time could be read. */
function recordPair(
  got: { ref: Witnessed; student: Witnessed },
  workers: number,
  timed: TimedPair[],
  evidence: PairEvidence[],
): void {
  timed.push({
    reference: got.ref.reply.seconds,
    student: got.student.reply.seconds,
    referenceDisturbed: disturbed(got.ref.usage, 1),
    studentDisturbed: disturbed(got.student.usage, workers),
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
}
