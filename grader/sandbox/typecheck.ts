/**
 * The type check that runs before an exercise's checks: `deno check` of the student's files, with
 * the kit's compiler options, on a private copy laid out like the kit (the student files and
 * `lib/`), loading nothing from outside (no remote, no npm, its own empty `DENO_DIR`). Each error
 * becomes a check result with status `error` that names file, line and column; an exercise with one
 * is not `passed` (`exerciseStatus`).
 *
 * `deno check` has no permission system: it reads any file a module names. So before it runs,
 * every import of the copied files is read with TypeScript's parser and one that leaves the copy
 * (or hides itself behind an escape) is refused, and `deno check` is not run at all. Its memory is
 * capped too (Linux), and its time.
 *
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CheckResult } from "../result.ts";
import { type RefusedImport, refusedImports } from "./_typecheck_imports.ts";
import { residentMb } from "./sandbox.ts";

export type { RefusedImport } from "./_typecheck_imports.ts";

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

/** Options of {@linkcode typeCheck}. */
export interface TypeCheckOptions {
  /** The kit's root: its `lib/` is copied beside the files and its `compilerOptions` are used. */
  kitRoot: string;
  /** The exercise folder's name (`01_guess_run_times`). */
  slug: string;
  /** The folder that holds the student files. */
  sourceDir: string;
  /** The student files (the catalog's `files`); missing ones are left to the checks to report. */
  files: readonly string[];
  /** How long `deno check` may take, in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Ends `deno check` when aborted. */
  signal?: AbortSignal;
  /** The resident memory `deno check` may use, in MB (Linux only). Default 1536. */
  memoryMb?: number;
}

/** What the type check found: its errors, or why it could not say. */
export type TypeCheckReport =
  | { kind: "checked"; diagnostics: TypeDiagnostic[]; seconds: number }
  | { kind: "unchecked"; reason: string; seconds: number }
  | { kind: "refused"; imports: RefusedImport[]; seconds: number };

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MEMORY_MB = 1536;
const MEMORY_POLL_MS = 50;
/** Errors shown at most; the rest are counted in the last one. */
const MAX_SHOWN = 8;

const IMPORT_ONLY = "import only the exercise's files and ../../lib/mod.ts";
const OUTSIDE = `this file is outside the exercise folder and lib/: ${IMPORT_ONLY}`;
const HEADER = /^(?:(TS\d+) \[ERROR\]|error): (.*)$/;
const AT = /^\s+at (file:\/\/\S+):(\d+):(\d+)\s*$/;

async function readCompilerOptions(kitRoot: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${kitRoot}/deno.json`);
  } catch (error) {
    // A kit without deno.json (a test's throwaway kit): Deno's own defaults, strict included.
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  const config = JSON.parse(text) as { compilerOptions?: Record<string, unknown> };
  return config.compilerOptions ?? {};
}

async function copyFiles(options: TypeCheckOptions, root: string): Promise<string[]> {
  const exerciseDir = `${root}/exercises/${options.slug}`;
  await Deno.mkdir(exerciseDir, { recursive: true });
  const folder = await Deno.lstat(options.sourceDir).catch(() => undefined);
  const copied: string[] = [];
  for (const file of folder?.isDirectory ? options.files : []) {
    try {
      // Plain files only, as the sandbox takes them: a link counts as missing.
      if (!(await Deno.lstat(`${options.sourceDir}/${file}`)).isFile) continue;
      await Deno.copyFile(`${options.sourceDir}/${file}`, `${exerciseDir}/${file}`);
      copied.push(`${exerciseDir}/${file}`);
    } catch {
      // Missing or unreadable: the checks that load it say so.
    }
  }
  await Deno.mkdir(`${root}/lib`);
  for await (const entry of Deno.readDir(`${options.kitRoot}/lib`)) {
    if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    await Deno.copyFile(`${options.kitRoot}/lib/${entry.name}`, `${root}/lib/${entry.name}`);
  }
  return copied;
}

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
 * import { parseDiagnostics } from "./typecheck.ts";
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

/** Runs `deno check` on the copy: its output, or why it was ended (time, memory, a cancel). */
async function runDenoCheck(
  root: string,
  roots: readonly string[],
  options: TypeCheckOptions,
): Promise<{ output: Deno.CommandOutput; failure?: string }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "check",
      `--config=${root}/deno.json`,
      "--no-lock",
      "--no-remote",
      "--no-npm",
      "--quiet",
      ...roots,
    ],
    cwd: root,
    clearEnv: true,
    env: { DENO_DIR: `${root}/.deno`, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal,
  }).spawn();
  let overMb: number | undefined;
  let polling = false;
  const poll = setInterval(async () => {
    if (polling || overMb !== undefined) return;
    polling = true;
    const mb = await residentMb(child.pid);
    polling = false;
    if (mb <= memoryMb || overMb !== undefined) return;
    overMb = mb;
    try {
      child.kill("SIGKILL");
    } catch {
      // It ended on its own meanwhile.
    }
  }, MEMORY_POLL_MS);
  try {
    const output = await child.output();
    if (overMb !== undefined) {
      return { output, failure: `deno check used more than ${memoryMb} MB of memory` };
    }
    if (timeout.aborted) {
      return { output, failure: `deno check did not finish within ${timeoutMs / 1000} s` };
    }
    if (signal.aborted) return { output, failure: "the check was cancelled" };
    return { output };
  } finally {
    clearInterval(poll);
  }
}

/**
 * Type-checks an exercise's student files as `deno check` would in the kit, on a private copy.
 *
 * @param options The files, the kit, a time limit.
 * @returns The errors found, the imports refused before `deno check` ran (a file outside the
 * copy, an escaped specifier), or why nothing could be said (no student file, a timeout, too much
 * memory, `deno check` failing without a diagnostic).
 *
 * @example Usage
 * ```ts ignore
 * import { typeCheck } from "./typecheck.ts";
 * const report = await typeCheck({ kitRoot, slug: "01_guess_run_times", sourceDir, files });
 * ```
 */
export async function typeCheck(options: TypeCheckOptions): Promise<TypeCheckReport> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "parakit-typecheck-" }));
  try {
    const roots = await copyFiles(options, root);
    if (roots.length === 0) {
      return { kind: "unchecked", reason: "no student file to check", seconds: seconds() };
    }
    const rootUrl = `${pathToFileURL(root).href}/`;
    await Deno.writeTextFile(
      `${root}/deno.json`,
      JSON.stringify({
        compilerOptions: await readCompilerOptions(options.kitRoot),
        // A backstop behind the refusal: any file: URL outside the copy maps into a folder of
        // the copy that does not exist, so a form the scan missed is "not found", never read.
        imports: { "file:///": `${rootUrl}.outside/`, [rootUrl]: rootUrl },
      }),
    );
    const refused = await refusedImports(root, roots, `${root}/exercises/${options.slug}`);
    if (refused.length > 0) return { kind: "refused", imports: refused, seconds: seconds() };
    const run = await runDenoCheck(root, roots, options);
    if (run.failure) return { kind: "unchecked", reason: run.failure, seconds: seconds() };
    const decoder = new TextDecoder();
    const text = `${decoder.decode(run.output.stdout)}\n${decoder.decode(run.output.stderr)}`;
    const diagnostics = parseDiagnostics(text, root, options.slug);
    if (run.output.success || diagnostics.length > 0) {
      return { kind: "checked", diagnostics, seconds: seconds() };
    }
    const last = text.trim().split("\n").at(-1) ?? `exit code ${run.output.code}`;
    return { kind: "unchecked", reason: `deno check failed: ${last}`, seconds: seconds() };
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
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
 * import { typeCheckResults } from "./typecheck.ts";
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
 * import { formatDiagnostic } from "./typecheck.ts";
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
 * import { repeatedError } from "./typecheck.ts";
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
