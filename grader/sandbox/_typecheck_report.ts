/**
 * What the type check reports and how it is shown: `deno check`'s output read into diagnostics
 * ({@linkcode parseDiagnostics}), a report turned into check results ({@linkcode typeCheckResults})
 * and one diagnostic as one line. Running `deno check` is `typecheck.ts`'s, which re-exports these.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { CheckResult } from "../result.ts";
import type { RefusedImport } from "./_typecheck_imports.ts";

/** The name every type-check result carries. */
export const TYPE_CHECK_NAME = "type check";

/** One error that `deno check` reported. */
export interface TypeDiagnostic {
  /** The file, relative to the exercise folder (`sum_range.ts`), or to the kit (`lib/pool.ts`). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** The TypeScript code (`TS2345`), when it is a type error rather than a load error. */
  code?: string;
  /** The message's last meaningful line: the one that says what to change. */
  message: string;
  /** Whether the file could not be parsed or an import could not be found (nothing was typed). */
  load: boolean;
}

/** What the type check found: its errors, or why it could not say. */
export type TypeCheckReport =
  | { kind: "checked"; diagnostics: TypeDiagnostic[]; seconds: number }
  | { kind: "unchecked"; reason: string; seconds: number }
  | { kind: "refused"; imports: RefusedImport[]; seconds: number };

/** Errors shown at most; the rest are counted in the last one. */
const MAX_SHOWN = 8;

const IMPORT_ONLY = "import only the exercise's files and ../../lib/mod.ts";
const OUTSIDE = `this file is outside the exercise folder and lib/: ${IMPORT_ONLY}`;
const HEADER = /^(?:(TS\d+) \[ERROR\]|error): (.*)$/;
const AT = /^\s+at (file:\/\/\S+):(\d+):(\d+)\s*$/;

function isSnippet(line: string, next: string | undefined): boolean {
  return /^\s*~+\s*$/.test(line) || /^\s*\d*\s*\|/.test(line) ||
    (next !== undefined && /^\s*~+\s*$/.test(next));
}

/**
 * Reads `deno check`'s output (without colours) into diagnostics: each `TSnnnn [ERROR]: …` or
 * `error: …` block up to its `at file:…:line:column`, keeping the last line of the message that
 * is not a code snippet.
 *
 * @param text What `deno check` printed.
 * @param root The folder the checked copy lives in (file URLs are made relative to it).
 * @param slug The exercise folder's name.
 * @returns The diagnostics, in the order printed.
 *
 * @example Usage
 * ```ts
 * import { parseDiagnostics } from "./_typecheck_report.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const text = [
 *   "TS2345 [ERROR]: Argument of type 'number' is not assignable to parameter of type 'string'.",
 *   "  f(1);",
 *   "    ~",
 *   "    at file:///w/exercises/01_x/a.ts:3:5",
 *   "",
 *   "error: Type checking failed.",
 * ].join("\n");
 * deepEqual(parseDiagnostics(text, "/w", "01_x"), [{
 *   file: "a.ts",
 *   line: 3,
 *   column: 5,
 *   code: "TS2345",
 *   message: "Argument of type 'number' is not assignable to parameter of type 'string'.",
 *   load: false,
 * }]);
 * ```
 */
export function parseDiagnostics(text: string, root: string, slug: string): TypeDiagnostic[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const diagnostics: TypeDiagnostic[] = [];
  let open: { code?: string; lines: string[] } | undefined;
  for (const [index, line] of lines.entries()) {
    const header = HEADER.exec(line);
    if (header && header[2] !== "Type checking failed.") {
      open = { ...(header[1] ? { code: header[1] } : {}), lines: [header[2]!] };
      continue;
    }
    if (!open) continue;
    const at = AT.exec(line);
    if (!at) {
      if (!isSnippet(line, lines[index + 1])) open.lines.push(line);
      continue;
    }
    const meaningful = open.lines.map((part) => part.trim()).filter((part) => part !== "");
    const path = fileURLToPath(at[1]!);
    const exerciseDir = `${root}/exercises/${slug}/`;
    const inside = path.startsWith(`${root}/`);
    // A file outside the copy was reached by an absolute import: its text is not the student's to
    // see (a parse error quotes it), so only where it is gets reported.
    const message = inside ? meaningful.at(-1) ?? "" : OUTSIDE;
    const file = path.startsWith(exerciseDir)
      ? path.slice(exerciseDir.length)
      : inside
      ? path.slice(root.length + 1)
      : path;
    diagnostics.push({
      file,
      line: Number(at[2]),
      column: Number(at[3]),
      ...(open.code ? { code: open.code } : {}),
      message,
      load: open.code === undefined,
    });
    open = undefined;
  }
  return diagnostics;
}

/**
 * Turns a type-check report into check results: one `error` result per error or refused import (at most
 * {@linkcode MAX_SHOWN}, the last counting the rest), `inconclusive` when nothing could be said
 * though there were files, none when the files type-check. Each scores 0 of 0 points: a type error
 * costs no points by itself, but an exercise with one is not `passed`.
 *
 * @param report The type check's report.
 * @returns The results, first in the exercise's checks.
 *
 * @example Usage
 * ```ts
 * import { typeCheckResults } from "./_typecheck_report.ts";
 * import { equal } from "node:assert/strict";
 *
 * const [result] = typeCheckResults({
 *   kind: "checked",
 *   seconds: 1,
 *   diagnostics: [{ file: "a.ts", line: 3, column: 5, code: "TS2322", message: "Type 'number' is not assignable to type 'bigint'.", load: false }],
 * });
 * equal(result?.status, "error");
 * equal(result?.message, "a.ts:3:5: Type 'number' is not assignable to type 'bigint' (TS2322)");
 * ```
 */
export function typeCheckResults(report: TypeCheckReport): CheckResult[] {
  if (report.kind === "refused") {
    return report.imports.slice(0, MAX_SHOWN).map((refused) => ({
      name: TYPE_CHECK_NAME,
      status: "error",
      message:
        `${refused.file}:${refused.line}: cannot import "${refused.specifier}": ${refused.reason}; ${IMPORT_ONLY}`,
      score: 0,
      maxScore: 0,
    }));
  }
  if (report.kind === "unchecked") {
    if (report.reason === "no student file to check") return [];
    return [{
      name: TYPE_CHECK_NAME,
      status: "inconclusive",
      message: `Not type-checked: ${report.reason}; run deno check on your files yourself`,
      score: 0,
      maxScore: 0,
    }];
  }
  const shown = report.diagnostics.slice(0, MAX_SHOWN);
  return shown.map((diagnostic, index) => {
    const more = index === shown.length - 1 && report.diagnostics.length > shown.length
      ? ` (and ${report.diagnostics.length - shown.length} more type errors)`
      : "";
    return {
      name: TYPE_CHECK_NAME,
      status: "error",
      message: `${formatDiagnostic(diagnostic)}${more}`,
      score: 0,
      maxScore: 0,
    };
  });
}

/**
 * One diagnostic as one line: `file:line:column: message (TSnnnn)`.
 *
 * @param diagnostic The diagnostic.
 * @returns The line.
 *
 * @example Usage
 * ```ts
 * import { formatDiagnostic } from "./_typecheck_report.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   formatDiagnostic({ file: "a.ts", line: 2, column: 10, message: "Expected ','", load: true }),
 *   "a.ts:2:10: Expected ','",
 * );
 * ```
 */
export function formatDiagnostic(diagnostic: TypeDiagnostic): string {
  const message = diagnostic.message.replace(/\.$/, "");
  const code = diagnostic.code ? ` (${diagnostic.code})` : "";
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${message}${code}`;
}

/**
 * Whether a check's error only repeats one reported above it: the same message as an earlier
 * error, or a syntax error in a file the type check already found unparsable. The runner then
 * points to the first report instead of printing it again.
 *
 * @param message The check's message.
 * @param earlier The results above it.
 * @returns The earlier result it repeats, if any.
 *
 * @example Usage
 * ```ts
 * import { repeatedError } from "./_typecheck_report.ts";
 * import { equal } from "node:assert/strict";
 *
 * const first = { name: "a", status: "error" as const, message: "x.ts:3 threw Error: no", score: 0, maxScore: 1 };
 * equal(repeatedError("x.ts:3 threw Error: no", [first]), first);
 * equal(repeatedError("x.ts:4 threw Error: no", [first]), undefined);
 * ```
 */
export function repeatedError(
  message: string,
  earlier: readonly CheckResult[],
): CheckResult | undefined {
  const syntax = /^([^:\s]+\.ts):\d+ threw SyntaxError/.exec(message);
  return earlier.find((result) =>
    result.status === "error" &&
    (result.message === message ||
      (syntax !== null && result.name === TYPE_CHECK_NAME &&
        result.message.startsWith(`${syntax[1]}:`)))
  );
}
