/**
 * The one exit-code table of every `deno task` (CONTRACT.md). Each command uses the codes that mean
 * something for it: `check` 0 passed / 1 some check did not / 2 usage / 3 the grader failed;
 * `sweep` 0 swept / 1 the student's code failed; `grade`, `release`, `gradescope` and
 * `gradescope-run` 0 done / 2 usage / 3 failed, and `grade` 130 when interrupted; `dev:check` 0 no
 * problem / 1 some.
 *
 * @module
 */

/**
 * The exit codes.
 *
 * @example Usage
 * ```ts
 * import { EXIT } from "./_exit.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(EXIT.usage, 2);
 * ```
 */
export const EXIT = { passed: 0, failed: 1, usage: 2, internal: 3, interrupted: 130 } as const;
