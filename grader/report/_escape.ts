/**
 * The one escape of control characters for every renderer: text that came from a student (a
 * folder name used as the id, printed output, messages) may hold ESC, BEL, backspace or a
 * carriage return, which a terminal obeys and a spreadsheet or browser shows as nothing. Each is
 * shown as a visible escape (`\x1b`, `\u009b`) instead.
 *
 * @module
 */

/**
 * C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates
 * (which reorder what a reader sees).
 */
// deno-lint-ignore no-control-regex -- matching control characters is this file's purpose
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The same set, plus tab and newline: for one-line fields (an id, a CSV cell's name). */
// deno-lint-ignore no-control-regex -- matching control characters is this file's purpose
const CONTROL_LINE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Shows the control characters of a text as visible escapes, keeping tabs and newlines
 * (`{ line: true }` escapes those too, for a one-line field such as a student id).
 *
 * @param text The text.
 * @param options `line`: escape tab and newline as well.
 * @returns The text, safe to print to a terminal or put in a file.
 *
 * @example Usage
 * ```ts
 * import { escapeControl } from "./_escape.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(escapeControl("al\u001b[2Jice\u0007"), "al\\x1b[2Jice\\x07");
 * equal(escapeControl("two\nlines"), "two\nlines");
 * equal(escapeControl("two\nlines", { line: true }), "two\\x0alines");
 * ```
 */
export function escapeControl(text: string, options: { line?: boolean } = {}): string {
  return text.replace(options.line ? CONTROL_LINE : CONTROL, visible);
}

/**
 * Shows a one-line field (a student id: a folder name) with every control character escaped.
 *
 * @param id The id.
 * @returns The id, safe on one line.
 *
 * @example Usage
 * ```ts
 * import { escapeId } from "./_escape.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(escapeId("bell\u0007\nline"), "bell\\x07\\x0aline");
 * ```
 */
export function escapeId(id: string): string {
  return escapeControl(id, { line: true });
}

/**
 * The characters `JSON.stringify` leaves raw that a terminal or a reader still acts on: DEL, the
 * C1 controls (U+009B is a one-character ESC [), the bidirectional overrides, the line separators.
 */
const JSON_RAW = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * Escapes, in JSON text, what `JSON.stringify` leaves raw (it already escapes ESC, BEL and the
 * other C0 controls): the result is the same JSON value, and `cat gradebook.json` is safe.
 *
 * @param json JSON text (the characters above can only occur inside its strings).
 * @returns The same JSON with those characters as `\uXXXX` escapes.
 *
 * @example Usage
 * ```ts
 * import { escapeJson } from "./_escape.ts";
 * import { equal } from "node:assert/strict";
 *
 * const json = escapeJson(JSON.stringify({ id: "a\u009b2Jb\u001b" }));
 * equal(json, '{"id":"a\\u009b2Jb\\u001b"}');
 * equal(JSON.parse(json).id, "a\u009b2Jb\u001b");
 * ```
 */
export function escapeJson(json: string): string {
  return json.replace(JSON_RAW, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
