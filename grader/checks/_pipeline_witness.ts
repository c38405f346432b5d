/**
 * What the operating system witnesses of exercise 3's pipeline calls (Linux): the Worker threads
 * that ended during the call (its Processes), and the CPU time they used. The student's isolate
 * cannot forge either; where there is no /proc they judge nothing.
 *
 * @module
 */
import type { Outcome } from "./check.ts";
import type { CallUsage } from "../sandbox/witness.ts";

/**
 * The least CPU time the threads that ended during the full pipeline call (its joined Processes)
 * must have used, in seconds: the producer putting the full call's 100,000 items on a Queue
 * and the consumer taking them off and putting their squares used 0.35–0.38 s here, two idle
 * Processes 0.03–0.06 s (the process's figure counts whole 10 ms ticks): a margin of 2 or more
 * either way.
 */
export const PIPELINE_ENDED_MIN_SECONDS = 0.12;

/**
 * Judges from the OS's accounting whether the pipeline's Processes did the moving: the threads
 * that ended during the call (Linux) must have used at least
 * {@linkcode PIPELINE_ENDED_MIN_SECONDS}.
 * Where the OS does not say, it judges nothing.
 *
 * @param usage What the witness saw over the call.
 * @param items How many items the call moved.
 * @returns A failed outcome, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { processesMoved } from "./_pipeline_witness.ts";
 * import { equal } from "node:assert/strict";
 *
 * const usage = { wallSeconds: 1, processWitness: "proc", machineWitness: "none" } as const;
 * equal(processesMoved({ ...usage, endedThreadSeconds: 0.34 }, 100_000), undefined);
 * equal(processesMoved({ ...usage, endedThreadSeconds: 0.02 }, 100_000)?.status, "failed");
 * equal(processesMoved(usage, 100_000), undefined);
 * ```
 */
export function processesMoved(usage: CallUsage | undefined, items: number): Outcome | undefined {
  const ended = usage?.endedThreadSeconds;
  if (ended === undefined || ended >= PIPELINE_ENDED_MIN_SECONDS) return undefined;
  return {
    status: "failed",
    message: `the Processes that ended during the call used ${
      Math.round(ended * 1000)
    } ms of CPU time in all (the operating system's accounting), too little to move ${items} items: the producer Process puts every item on the Queue and the consumer Process takes each off and puts its square`,
  };
}

/**
 * The fewest Worker threads the operating system must see end during a pipeline call: the producer
 * Process's and the consumer Process's (each takes one of the sandbox's spare workers, started
 * before the call, and ends when it is joined).
 */
export const PIPELINE_MIN_ENDED_WORKERS = 2;

/**
 * Judges from the OS's thread list whether the pipeline's Processes ran: at least
 * {@linkcode PIPELINE_MIN_ENDED_WORKERS} Worker threads seen before or during the call must be gone
 * after it (Linux), whatever the driver's counts in the student's isolate claim. Where the OS does
 * not say (`endedWorkers` undefined: no /proc), it judges nothing.
 *
 * @param usage What the witness saw over the call.
 * @returns A failed outcome, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { processesEnded } from "./_pipeline_witness.ts";
 * import { equal } from "node:assert/strict";
 *
 * const usage = { wallSeconds: 1, processWitness: "proc", machineWitness: "none" } as const;
 * equal(processesEnded({ ...usage, endedWorkers: 2 }), undefined);
 * equal(processesEnded({ ...usage, endedWorkers: 0 })?.status, "failed");
 * equal(processesEnded(usage), undefined);
 * ```
 */
export function processesEnded(usage: CallUsage | undefined): Outcome | undefined {
  const ended = usage?.endedWorkers;
  if (ended === undefined || ended >= PIPELINE_MIN_ENDED_WORKERS) return undefined;
  return {
    status: "failed",
    message:
      `the operating system saw ${ended} Worker thread(s) end during the call: run the producer and the consumer each in its own Process and join both`,
  };
}
