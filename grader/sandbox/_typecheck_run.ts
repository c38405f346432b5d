/**
 * The type check's private copy and its `deno check` subprocess: the student files and the kit's
 * `lib/` copied into a folder laid out like the kit, its `deno.json` (the kit's compiler options,
 * every `file:` URL outside the copy mapped to a folder that does not exist), and `deno check` run
 * on it with nothing loaded from outside, its memory and time capped. `typecheck.ts` uses these for
 * one exercise and for a student's exercises at once.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { residentMb } from "./_proc_usage.ts";
import { pinned } from "./cpu_sets.ts";

/** How `deno check` runs: its limits and the cores it is pinned to. */
export interface DenoCheckLimits {
  /** How long `deno check` may take, in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Ends `deno check` when aborted. */
  signal?: AbortSignal | undefined;
  /** The resident memory `deno check` may use, in MB (Linux only). Default 1536. */
  memoryMb?: number;
  /** The cores `deno check` is pinned to (the batch's lane). Default: not pinned. */
  cpus?: readonly number[] | undefined;
}

/** What `deno check` left: its output, or why it was ended (time, memory, a cancel). */
export interface DenoCheckRun {
  /** Its exit status and output. */
  output: Deno.CommandOutput;
  /** Why it was ended, when it was. */
  failure?: string;
  /** Whether the run's signal ended it. */
  cancelled?: boolean;
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

/**
 * Lays out the copy's kit: its `lib/` (without tests) and a `deno.json` with the kit's compiler
 * options and, as a backstop behind the import refusal, every `file:` URL outside the copy mapped
 * into a folder of the copy that does not exist (a form the scan missed is "not found", never read).
 *
 * @param kitRoot The kit's root.
 * @param root The copy's root (a real path).
 *
 * @example Usage
 * ```ts
 * import { prepareCopy } from "./_typecheck_run.ts";
 * import { ok } from "node:assert/strict";
 *
 * const root = await Deno.realPath(await Deno.makeTempDir());
 * await prepareCopy(".", root);
 * ok((await Deno.stat(`${root}/lib/mod.ts`)).isFile);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function prepareCopy(kitRoot: string, root: string): Promise<void> {
  await Deno.mkdir(`${root}/lib`);
  for await (const entry of Deno.readDir(`${kitRoot}/lib`)) {
    if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    await Deno.copyFile(`${kitRoot}/lib/${entry.name}`, `${root}/lib/${entry.name}`);
  }
  const rootUrl = `${pathToFileURL(root).href}/`;
  await Deno.writeTextFile(
    `${root}/deno.json`,
    JSON.stringify({
      compilerOptions: await readCompilerOptions(kitRoot),
      imports: { "file:///": `${rootUrl}.outside/`, [rootUrl]: rootUrl },
    }),
  );
}

/**
 * Copies an exercise's student files into the copy, plain files only, as the sandbox takes them (a
 * link, a missing or unreadable file is left out: the checks that load it say so).
 *
 * @param sourceDir The folder that holds the student files.
 * @param files The student files (the catalog's `files`).
 * @param exerciseDir The exercise's folder in the copy (made here).
 * @returns The copied files' paths.
 *
 * @example Usage
 * ```ts
 * import { copyExercise } from "./_typecheck_run.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/a.ts`, "export {};");
 * deepEqual(await copyExercise(root, ["a.ts", "b.ts"], `${root}/copy`), [`${root}/copy/a.ts`]);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function copyExercise(
  sourceDir: string,
  files: readonly string[],
  exerciseDir: string,
): Promise<string[]> {
  await Deno.mkdir(exerciseDir, { recursive: true });
  const folder = await Deno.lstat(sourceDir).catch(() => undefined);
  const copied: string[] = [];
  for (const file of folder?.isDirectory ? files : []) {
    try {
      if (!(await Deno.lstat(`${sourceDir}/${file}`)).isFile) continue;
      await Deno.copyFile(`${sourceDir}/${file}`, `${exerciseDir}/${file}`);
      copied.push(`${exerciseDir}/${file}`);
    } catch {
      // Missing or unreadable: the checks that load it say so.
    }
  }
  return copied;
}

/**
 * Runs `deno check` on files of the copy, with nothing from outside (no remote, no npm, no lock,
 * its own `DENO_DIR`, no environment), its resident memory polled and capped, its time limited.
 *
 * @param root The copy's root.
 * @param roots The files to check.
 * @param limits Time, memory, cancellation, cores.
 * @returns Its output, or why it was ended.
 *
 * @example Usage
 * ```ts ignore
 * import { runDenoCheck } from "./_typecheck_run.ts";
 * const run = await runDenoCheck(root, [`${root}/exercises/01_x/a.ts`], { timeoutMs: 30_000 });
 * ```
 */
export async function runDenoCheck(
  root: string,
  roots: readonly string[],
  limits: DenoCheckLimits,
): Promise<DenoCheckRun> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryMb = limits.memoryMb ?? DEFAULT_MEMORY_MB;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  const args = ["check", `--config=${root}/deno.json`, "--no-lock", "--no-remote", "--no-npm"];
  const command = await pinned(Deno.execPath(), [...args, "--quiet", ...roots], limits.cpus);
  const child = new Deno.Command(command.program, {
    args: command.args,
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
    if (signal.aborted) return { output, failure: "the check was cancelled", cancelled: true };
    return { output };
  } finally {
    clearInterval(poll);
  }
}

/**
 * What `deno check` printed, stdout then stderr.
 *
 * @param output Its output.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { outputText } from "./_typecheck_run.ts";
 * import { equal } from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("x");
 * equal(outputText({ stdout: bytes, stderr: bytes } as Deno.CommandOutput), "x\nx");
 * ```
 */
export function outputText(output: Deno.CommandOutput): string {
  const decoder = new TextDecoder();
  return `${decoder.decode(output.stdout)}\n${decoder.decode(output.stderr)}`;
}
