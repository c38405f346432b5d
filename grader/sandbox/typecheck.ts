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
 * capped too (Linux), and its time. Reading its output and turning a report into results is
 * `_typecheck_report.ts`'s, re-exported here.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { refusedImports } from "./_typecheck_imports.ts";
import { parseDiagnostics, type TypeCheckReport } from "./_typecheck_report.ts";
import { residentMb } from "./_proc_usage.ts";

export type { RefusedImport } from "./_typecheck_imports.ts";
export {
  formatDiagnostic,
  parseDiagnostics,
  repeatedError,
  TYPE_CHECK_NAME,
  type TypeCheckReport,
  typeCheckResults,
  type TypeDiagnostic,
} from "./_typecheck_report.ts";

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

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MEMORY_MB = 1536;
const MEMORY_POLL_MS = 50;

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
