/**
 * What exercise 3's structure checks share: a process left running fails a part, counts read from
 * the student's isolate are validated, and the pool's size follows the grader's cores.
 *
 * @module
 */
import type { Reply } from "../sandbox/sandbox.ts";
import type { CheckContext, Outcome } from "./check.ts";

/**
 * Fails a part whose call left processes or pool workers running after it returned.
 *
 * @param reply The call's reply.
 * @returns A failed outcome, or `undefined` when nothing it started was left running.
 *
 * @example Usage
 * ```ts
 * import { leftRunning } from "./_structures.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(leftRunning({ id: 1, seconds: 0, activeChildren: 2 })?.status, "failed");
 * equal(leftRunning({ id: 1, seconds: 0, activeChildren: 0 }), undefined);
 * ```
 */
export function leftRunning(reply: Reply): Outcome | undefined {
  if (reply.activeChildren !== undefined && reply.activeChildren > 0) {
    return {
      status: "failed",
      message:
        `${reply.activeChildren} process(es) or pool worker(s) it started were still running after it returned: join every Process (and close and join every Pool it made) before returning`,
    };
  }
  return undefined;
}

/**
 * Whether a value read from the student's isolate is a count: a safe, non-negative integer.
 *
 * @param value The value.
 * @returns Whether it is a count.
 *
 * @example Usage
 * ```ts
 * import { isCount } from "./_structures.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(isCount(3), true);
 * equal(isCount(-1), false);
 * equal(isCount("3"), false);
 * ```
 */
export function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The workers of the pool a part is given: the grader's cores, at least two.
 *
 * @param context The check's context.
 * @returns The pool's size.
 *
 * @example Usage
 * ```ts
 * import { workersOf } from "./_structures.ts";
 * import type { CheckContext } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(workersOf({ cores: 1 } as CheckContext), 2);
 * equal(workersOf({ cores: 8 } as CheckContext), 8);
 * ```
 */
export function workersOf(context: CheckContext): number {
  return Math.max(2, context.cores);
}
