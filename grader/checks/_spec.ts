/**
 * What a check is: a name, its points, and a function that turns sandbox observations into an
 * outcome (`CheckSpec`, `CheckContext`, `Outcome`), and the helpers every check uses on a reply
 * (`answerOf`, `faultOutcome`, `show`). Imported through `check.ts`.
 *
 * @module
 */
import type { CheckStatus, Measurements } from "../result.ts";
import { describeFault, type Fault, type Reply, type Sandbox } from "../sandbox/sandbox.ts";
import type { Witness } from "../sandbox/witness.ts";

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
  /**
   * How many of the student's own lib Processes its calls start: the sandbox starts as many spare
   * workers when it opens (`SandboxOptions.spares`). Default: none.
   */
  spares?: number;
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
