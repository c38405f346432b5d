/**
 * The guard on the grader's own reference timing: a reference call counts only when the sandbox
 * process spent no more CPU time than a single thread can while it ran (no student thread left
 * running beside it); {@linkcode timeReference} retries a disturbed one a few times, then says so.
 *
 * @module
 */
import type { ReferenceUsage } from "../sandbox/witness.ts";

export type { ReferenceUsage };

/**
 * How much CPU time the sandbox process may spend per second of wall time while the grader's
 * single-threaded reference runs, and the slack added for the kernel's 10 ms CPU ticks, the
 * harness's own work and the garbage collector's helper threads.
 */
export const REFERENCE_CPU_LIMIT = { ratio: 1.2, slackSeconds: 0.05 } as const;

/**
 * Whether other code ran in the sandbox process while the grader's reference ran. The reference
 * is single-threaded, so the process's CPU time above its wall time (beyond
 * {@linkcode REFERENCE_CPU_LIMIT}) was spent by something else: the student's threads, slowing the
 * reference to fake a speedup.
 *
 * @param usage The process's CPU and wall time over the reference call.
 * @returns `true` when the timing of that reference is void.
 *
 * @example Usage
 * ```ts
 * import { referenceDisturbed } from "./reference_guard.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(referenceDisturbed({ cpuSeconds: 0.26, wallSeconds: 0.25 }), false);
 * equal(referenceDisturbed({ cpuSeconds: 1.0, wallSeconds: 0.5 }), true);
 * ```
 */
export function referenceDisturbed(usage: ReferenceUsage): boolean {
  const { ratio, slackSeconds } = REFERENCE_CPU_LIMIT;
  return usage.cpuSeconds > usage.wallSeconds * ratio + slackSeconds;
}

/** Raised by {@linkcode timeReference} when other code ran during every try of the reference. */
export class ReferenceDisturbedError extends Error {
  /**
   * Makes the error.
   *
   * @param usage What the last try saw.
   */
  constructor(usage: ReferenceUsage) {
    super(
      `Your code kept running while the grader timed its serial reference (the sandbox used ${
        usage.cpuSeconds.toFixed(2)
      } s of CPU in ${
        usage.wallSeconds.toFixed(2)
      } s): stop every thread or worker you started before your function returns`,
    );
    this.name = "ReferenceDisturbedError";
  }
}

/** What {@linkcode timeReference} needs from one reference call. */
export interface ReferenceTiming {
  /** The reference's time, as measured beside the student's. */
  seconds: number;
  /** The process's usage over the call; absent where the OS does not report it. */
  usage?: ReferenceUsage;
}

/** How often {@linkcode timeReference} tries a disturbed reference before giving up. */
export const REFERENCE_TRIES = 3;

/**
 * Times the grader's reference, voiding a try during which other code ran in the sandbox process
 * ({@linkcode referenceDisturbed}) and trying again, at most {@linkcode REFERENCE_TRIES} times.
 *
 * @param run One reference call.
 * @param tries How many tries.
 * @returns The seconds of the first undisturbed try.
 * @throws {ReferenceDisturbedError} If every try was disturbed.
 *
 * @example Usage
 * ```ts
 * import { timeReference } from "./reference_guard.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(await timeReference(() => Promise.resolve({ seconds: 0.25 })), 0.25);
 * ```
 */
export async function timeReference(
  run: () => Promise<ReferenceTiming>,
  tries: number = REFERENCE_TRIES,
): Promise<number> {
  let last: ReferenceUsage | undefined;
  for (let i = 0; i < tries; i++) {
    const { seconds, usage } = await run();
    if (!usage || !referenceDisturbed(usage)) return seconds;
    last = usage;
  }
  throw new ReferenceDisturbedError(last!);
}
