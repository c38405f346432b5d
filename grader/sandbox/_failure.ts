/**
 * How a sandbox run ends when it does not answer ({@linkcode SandboxFailure}, the record of the
 * student operations that already ended one, {@linkcode Casualties}, and what an ended process
 * says, {@linkcode exitFailure}), and how a call's fault is told to the student
 * ({@linkcode describeFault}). Re-exported by `sandbox.ts`.
 *
 * @module
 */
import type { Fault, StudentOp } from "./_protocol.ts";

/** How a sandbox run ended when it did not answer. */
export type SandboxFailureStatus = "timeout" | "out-of-memory" | "crashed";

/**
 * Raised by a `Sandbox` call when the subprocess was ended or died.
 *
 * @example Usage
 * ```ts
 * import { SandboxFailure } from "./_failure.ts";
 * import { equal } from "node:assert/strict";
 *
 * const failure = new SandboxFailure("timeout", "sumRange() in a.ts did not finish within 1 s");
 * equal(failure.status, "timeout");
 * equal(failure.name, "SandboxFailure");
 * ```
 */
export class SandboxFailure extends Error {
  /** How it ended. */
  readonly status: SandboxFailureStatus;

  /**
   * Makes a sandbox failure.
   *
   * @param status How the run ended.
   * @param message What happened, for the student.
   */
  constructor(status: SandboxFailureStatus, message: string) {
    super(message);
    this.name = "SandboxFailure";
    this.status = status;
  }
}

/**
 * The student operations that already ended a sandbox, by `file#export`: shared between the
 * sandboxes of one exercise run, so a later check that calls the same export fails at once with
 * the same status instead of waiting out the limit again.
 */
export type Casualties = Map<string, SandboxFailure>;

/**
 * The key of a student operation in {@linkcode Casualties}: `file#export`.
 *
 * @param op The operation.
 * @returns Its key.
 *
 * @example Usage
 * ```ts
 * import { opKey } from "./_failure.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(opKey({ op: "call", file: "a.ts", name: "f", args: [] }), "a.ts#f");
 * ```
 */
export function opKey(op: StudentOp): string {
  return `${op.file}#${op.name}`;
}

/**
 * What a student operation does, for a failure's message.
 *
 * @param op The operation.
 * @returns `f() in a.ts`, or `reading f from a.ts` for a `get`.
 *
 * @example Usage
 * ```ts
 * import { opLabel } from "./_failure.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(opLabel({ op: "call", file: "a.ts", name: "f", args: [] }), "f() in a.ts");
 * ```
 */
export function opLabel(op: StudentOp): string {
  // A `get` only reads the export (a module's top-level code runs as it loads); the rest call it.
  return op.op === "get" ? `reading ${op.name} from ${op.file}` : `${op.name}() in ${op.file}`;
}

/**
 * Why the subprocess ended by itself: out of memory (exit code 133, or V8's heap report on its
 * stderr), or crashed.
 *
 * @param status How the process ended.
 * @param stderr What it printed on stderr (capped).
 * @param doing What it was doing (`f() in a.ts`, or `the code`).
 * @returns The failure.
 *
 * @example Usage
 * ```ts
 * import { exitFailure } from "./_failure.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(exitFailure({ success: false, code: 133, signal: null }, "", "the code").status, "out-of-memory");
 * equal(exitFailure({ success: false, code: 1, signal: null }, "", "the code").status, "crashed");
 * ```
 */
export function exitFailure(
  status: Deno.CommandStatus,
  stderr: string,
  doing: string,
): SandboxFailure {
  if (status.code === 133 || /out of memory|heap limit/i.test(stderr)) {
    return new SandboxFailure(
      "out-of-memory",
      `${doing} ran out of memory (the heap limit) and the process aborted`,
    );
  }
  return new SandboxFailure(
    "crashed",
    `the sandbox process ended unexpectedly during ${doing} (exit code ${status.code}${
      status.signal ? `, signal ${status.signal}` : ""
    })`,
  );
}

/**
 * Describes a fault for the student: what went wrong and where.
 *
 * @param fault The fault.
 * @returns One or two sentences.
 *
 * @example Usage
 * ```ts
 * import { describeFault } from "./_failure.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   describeFault({ kind: "error", name: "Error", message: "TODO: sum", file: "a.ts", line: 3 }),
 *   "a.ts:3 threw Error: TODO: sum",
 * );
 * ```
 */
export function describeFault(fault: Fault): string {
  const where = fault.file ? `${fault.file}${fault.line ? `:${fault.line}` : ""}` : "the code";
  switch (fault.kind) {
    case "missing-export":
      return `${fault.message}: export it as the exercise's README says`;
    case "exit":
      return `${where}: ${fault.message}; return a value instead`;
    case "crashed":
      return `${where} crashed: ${fault.message}`;
    case "error": {
      const missing = /^Module not found "([^"]+)"/.exec(fault.message);
      if (missing) return `${missing[1]} is missing or could not be loaded (Module not found)`;
      return `${where} threw ${fault.name}: ${fault.message}`;
    }
  }
}
