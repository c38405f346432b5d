/**
 * The caps on text that comes from student code, applied where it enters a result. Re-exported
 * by `result.ts`, whose `capResult` keeps one exercise's result under them.
 *
 * @module
 */

/**
 * The caps on text that comes from student code (error names and messages, stacks, printed output,
 * values shown in messages, the student id), in UTF-16 code units, applied where that text enters
 * a result ({@linkcode capText}); and the cap on one exercise's whole result as JSON
 * ({@linkcode capResult}), so that a student's row stays small whatever the code sent.
 *
 * @example Usage
 * ```ts
 * import { TEXT_CAPS } from "./_caps.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(TEXT_CAPS.message < TEXT_CAPS.output && TEXT_CAPS.output < TEXT_CAPS.result);
 * ```
 */
export const TEXT_CAPS = {
  /** A check's message. */
  message: 2_000,
  /** The student's output kept with an exercise's result. */
  output: 8 * 1024,
  /** A student id. */
  id: 256,
  /** One exercise's result, serialised. */
  result: 64 * 1024,
} as const;

/**
 * Cuts text to a cap, saying how much was cut; text under the cap is returned as it is. A
 * surrogate pair is never split.
 *
 * @param text The text.
 * @param cap The most UTF-16 code units kept (the note on what was cut comes on top).
 * @returns The text, cut.
 *
 * @example Usage
 * ```ts
 * import { capText } from "./_caps.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(capText("short", 10), "short");
 * equal(capText("x".repeat(30), 10), "xxxxxxxxxx[... 20 more characters cut]");
 * ```
 */
export function capText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  let end = cap;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}[... ${text.length - end} more characters cut]`;
}
