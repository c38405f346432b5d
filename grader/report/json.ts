/**
 * The JSON report of `check N --json`: the result data and nothing else, validated against the
 * schema before it is printed. Always one object, `{ version, exercises: [...] }`, whether one
 * exercise was checked or all of them, so scripts read one shape.
 *
 * @module
 */
import { z } from "zod";
import { ExerciseResultSchema, RESULT_VERSION } from "../result.ts";
import { escapeJson } from "./_escape.ts";

/** What `check --json` prints. */
export const CheckReportSchema = z.object({
  /** The result data's version. */
  version: z.literal(RESULT_VERSION),
  /** One result per exercise checked, in catalog order. */
  exercises: z.array(ExerciseResultSchema),
});
/** What `check --json` prints. */
export type CheckReport = z.infer<typeof CheckReportSchema>;

/**
 * Renders results as the JSON report, after validating them.
 *
 * @param exercises The results, in catalog order.
 * @returns Pretty-printed JSON, without a final newline.
 * @throws {TypeError} If a result does not match the schema (a grader bug).
 *
 * @example Usage
 * ```ts
 * import { renderJson } from "./json.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(JSON.parse(renderJson([])).version, 1);
 * ```
 */
export function renderJson(exercises: readonly unknown[]): string {
  const parsed = CheckReportSchema.safeParse({ version: RESULT_VERSION, exercises });
  if (!parsed.success) {
    throw new TypeError(`Cannot render the JSON report: ${parsed.error.issues[0]?.message}`);
  }
  return escapeJson(JSON.stringify(parsed.data, null, 2));
}
