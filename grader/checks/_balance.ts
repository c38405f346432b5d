/**
 * How evenly the pool's workers shared a timed call's work, as the operating system saw it: each
 * JavaScript Worker thread's CPU time over the student's timed calls (`/proc/PID/task/TID/stat`,
 * read by the grader's witness from outside the sandbox). Exercise 3's `countPrimes` reports it:
 * one block per worker passes the speedup check, but testing large numbers costs more than small
 * ones, and the busiest worker's share shows what that costs.
 *
 * @module
 */
import { type CallUsage, Witness } from "../sandbox/witness.ts";

/**
 * A busiest worker above this many times an even share is reported as an imbalance. Measured here
 * on 2 workers (a loaded machine): the kit's solution (16 blocks a worker) 57%, one block per
 * worker 62% (the upper half of the numbers is about 1.7 times the work of the lower half).
 */
export const IMBALANCE = 1.2;

/**
 * A witness that keeps what it saw of the student's pool calls made through it (the replies that
 * carry pool statistics; the grader's reference calls carry none), so that a check can look at
 * them after `measureSpeedup` has judged them.
 */
export class RecordingWitness extends Witness {
  /** What each student pool call made through this witness used, in order. */
  readonly usages: CallUsage[] = [];

  override async around<T extends { trusted?: { cpuSeconds?: number } }>(
    pid: number,
    call: () => Promise<T>,
  ): Promise<{ result: T; usage: CallUsage }> {
    const seen = await super.around(pid, call);
    if ((seen.result as { statsAfter?: unknown }).statsAfter !== undefined) {
      this.usages.push(seen.usage);
    }
    return seen;
  }
}

/** The workers' shares of the work, busiest first. */
export interface Balance {
  /** Each worker's share of the workers' CPU time, largest first (they add up to 1). */
  shares: number[];
  /** The CPU seconds the shares were taken from. */
  seconds: number;
}

/**
 * Sums, rank by rank, the CPU time of the `workers` busiest Worker threads of each call, and gives
 * each rank's share: a steady imbalance shows in every call, whichever thread it falls on.
 *
 * @param usages What the witness saw of the student's calls.
 * @param workers The pool's workers.
 * @returns The shares, or `undefined` where no per-thread times were read (not Linux) or too few
 * (under 0.1 s: a clock tick is 10 ms).
 *
 * @example Usage
 * ```ts
 * import { workerBalance } from "./_balance.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const usage = (a: number, b: number) =>
 *   ({ wallSeconds: 1, processWitness: "proc" as const, machineWitness: "none" as const, workerThreadSeconds: [a, b, 0.01] });
 * deepEqual(workerBalance([usage(0.3, 0.1), usage(0.3, 0.1)], 2), { shares: [0.75, 0.25], seconds: 0.8 });
 * ```
 */
export function workerBalance(
  usages: readonly CallUsage[],
  workers: number,
): Balance | undefined {
  const ranks = new Array<number>(workers).fill(0);
  for (const usage of usages) {
    const threads = usage.workerThreadSeconds;
    if (!threads) continue;
    for (let i = 0; i < workers; i++) ranks[i]! += threads[i] ?? 0;
  }
  const seconds = ranks.reduce((sum, n) => sum + n, 0);
  if (seconds < 0.1) return undefined;
  return { shares: ranks.map((n) => Math.round((n / seconds) * 1000) / 1000), seconds };
}

/**
 * Says how the work was shared, decided from what was measured: the busiest worker's share against
 * an even one, with the lesson when it is past {@linkcode IMBALANCE} times even.
 *
 * @param balance The measured shares, if any.
 * @returns A sentence, or `""` when nothing was measured.
 *
 * @example Usage
 * ```ts
 * import { describeBalance } from "./_balance.ts";
 * import { equal, match } from "node:assert/strict";
 *
 * match(describeBalance({ shares: [0.64, 0.36], seconds: 1 }), /64%.*even share is 50%.*large numbers/);
 * match(describeBalance({ shares: [0.51, 0.49], seconds: 1 }), /balanced/);
 * equal(describeBalance(undefined), "");
 * ```
 */
export function describeBalance(balance: Balance | undefined): string {
  if (!balance) return "";
  const even = 1 / balance.shares.length;
  const busiest = balance.shares[0]!;
  const split = balance.shares.map((share) => `${Math.round(share * 100)}%`).join(" / ");
  if (busiest <= even * IMBALANCE) {
    return ` The workers' threads did ${split} of the work (the operating system's accounting): balanced.`;
  }
  return ` The workers' threads did ${split} of the work (the operating system's accounting): the busiest did ${
    Math.round(busiest * 100)
  }% where an even share is ${
    Math.round(even * 100)
  }%, and the others waited for it at the end. Testing large numbers costs more than small ones, so equal-width blocks are unequal work: send several blocks per worker (largest numbers first) so that a worker that finishes early takes the next.`;
}
