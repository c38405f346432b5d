/**
 * The harness subprocess as the grader starts it: its flags (the boundary itself), its whole
 * environment, its secret token, and its stdout and stderr kept capped.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { pinned } from "./cpu_sets.ts";

/**
 * V8 flags that keep a hot loop's speed steady from call to call. With V8's Maglev tier on, the
 * same summing loop measured 0.82, 0.82, 1.74 and 2.76 s in four rounds here as it re-tiered (in
 * the main thread and in workers alike), which makes any timed ratio a coin toss; without it, 0.82 s
 * every round. Both sides of every timed pair run in the sandbox, so both get the same JIT; the
 * lesson program that exercise 1 times runs with them too.
 *
 * @example Usage
 * ```ts
 * import { STEADY_JIT_FLAGS } from "./_subprocess.ts";
 * import { match } from "node:assert/strict";
 *
 * match(STEADY_JIT_FLAGS, /--no-maglev/);
 * ```
 */
export const STEADY_JIT_FLAGS = "--no-maglev";

const HARNESS_DIR = new URL(".", import.meta.url);
const REFERENCE_DIR = new URL("../reference/", import.meta.url);

/**
 * Keeps the first bytes of a stream, counts the rest.
 *
 * @example Usage
 * ```ts
 * import { CappedText } from "./_subprocess.ts";
 * import { equal } from "node:assert/strict";
 *
 * const text = new CappedText(3);
 * text.add(new TextEncoder().encode("hello"));
 * equal(text.text(), "hel\n[... 2 more bytes of output cut]");
 * ```
 */
export class CappedText {
  #cap: number;
  #parts: string[] = [];
  #kept = 0;
  #dropped = 0;
  #decoder = new TextDecoder();

  /**
   * Makes an empty text.
   *
   * @param cap How many bytes are kept.
   */
  constructor(cap: number) {
    this.#cap = cap;
  }

  /**
   * Keeps what fits of a chunk and counts the rest.
   *
   * @param chunk The next bytes of the stream.
   */
  add(chunk: Uint8Array): void {
    const room = this.#cap - this.#kept;
    if (room <= 0) {
      this.#dropped += chunk.length;
      return;
    }
    const kept = chunk.subarray(0, room);
    this.#parts.push(this.#decoder.decode(kept, { stream: true }));
    this.#kept += kept.length;
    this.#dropped += chunk.length - kept.length;
  }

  /**
   * The text kept so far, with a line that says how many bytes were cut.
   *
   * @returns The text.
   */
  text(): string {
    const text = this.#parts.join("");
    return this.#dropped > 0 ? `${text}\n[... ${this.#dropped} more bytes of output cut]` : text;
  }
}

/** What {@linkcode harnessArgs} needs to know. */
interface HarnessPaths {
  workspace: string;
  harnessDir: string;
  referenceDir: string;
  port: number;
  heapMb: number;
}

/**
 * The harness subprocess's flags: the boundary itself. A restricted Worker's own permissions do not
 * cover everything its code can reach (Deno's npm loader ignored a Worker's `net: false` and
 * reached the registry), so the process refuses it all: no npm, no remote or uncached module, no
 * config or lock file found by walking up from the workspace, no write, env, run, ffi or sys, read
 * of the workspace and the harness's own files only, and net to the one loopback port.
 */
function harnessArgs(paths: HarnessPaths): string[] {
  return [
    "run",
    "--no-config",
    "--no-lock",
    "--no-prompt",
    "--no-remote",
    "--no-npm",
    "--cached-only",
    "--no-code-cache",
    `--allow-read=${paths.workspace},${paths.harnessDir},${paths.referenceDir}`,
    `--allow-net=127.0.0.1:${paths.port}`,
    "--deny-write",
    "--deny-env",
    "--deny-run",
    "--deny-ffi",
    "--deny-sys",
    "--deny-import",
    "--unstable-worker-options",
    `--v8-flags=--max-old-space-size=${paths.heapMb},${STEADY_JIT_FLAGS}`,
    fileURLToPath(new URL("harness.ts", HARNESS_DIR)),
  ];
}

/** The subprocess's whole environment: its own DENO_DIR, no update check, no colour. */
function harnessEnv(denoDir: string): Record<string, string> {
  const env: Record<string, string> = {
    NO_COLOR: "1",
    DENO_DIR: denoDir,
    DENO_NO_UPDATE_CHECK: "1",
    DENO_NO_PROMPT: "1",
  };
  const path = Deno.env.get("PATH");
  if (path !== undefined) env.PATH = path;
  return env;
}

/**
 * A fresh secret for one sandbox's channel: 24 random bytes, in hex.
 *
 * @returns The token.
 *
 * @example Usage
 * ```ts
 * import { randomToken } from "./_subprocess.ts";
 * import { match, notEqual } from "node:assert/strict";
 *
 * match(randomToken(), /^[0-9a-f]{48}$/);
 * notEqual(randomToken(), randomToken());
 * ```
 */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A started harness subprocess and what it printed so far, capped. */
export interface Harness {
  /** The subprocess. */
  process: Deno.ChildProcess;
  /** Its stdout, capped. */
  stdout: CappedText;
  /** Its stderr, capped. */
  stderr: CappedText;
  /** Settles once both streams have ended. */
  streams: Promise<unknown>;
}

/** What {@linkcode startHarness} needs. */
export interface HarnessStart {
  /** The workspace: the subprocess's working folder, and what it may read. */
  workspace: string;
  /** The subprocess's own module cache. */
  denoDir: string;
  /** The loopback port the grader listens on. */
  port: number;
  /** The JavaScript heap cap of each isolate, in MiB. */
  heapMb: number;
  /** How many bytes of each of stdout and stderr are kept. */
  outputBytes: number;
  /** The cores the subprocess is pinned to (`taskset`, Linux). Default: not pinned. */
  cpus?: readonly number[];
}

/**
 * Starts the harness subprocess with its flags and environment (pinned to `cpus` where given),
 * and keeps its stdout and stderr, capped. Its config is for the caller to write on its stdin.
 *
 * @param start Where it runs and its limits.
 * @returns The running subprocess and its capped output.
 *
 * @example Usage
 * ```ts
 * import { startHarness } from "./_subprocess.ts";
 * import { notEqual } from "node:assert/strict";
 *
 * const workspace = await Deno.makeTempDir();
 * const denoDir = `${workspace}/deno_dir`;
 * const harness = await startHarness({ workspace, denoDir, port: 9, heapMb: 64, outputBytes: 1024 });
 * await harness.process.stdin.close(); // no config: the harness gives up
 * notEqual((await harness.process.status).code, 0);
 * await harness.streams;
 * await Deno.remove(workspace, { recursive: true });
 * ```
 */
export async function startHarness(start: HarnessStart): Promise<Harness> {
  const { workspace, port, heapMb } = start;
  const harnessDir = fileURLToPath(HARNESS_DIR);
  const referenceDir = fileURLToPath(REFERENCE_DIR);
  const spawn = await pinned(
    Deno.execPath(),
    harnessArgs({ workspace, harnessDir, referenceDir, port, heapMb }),
    start.cpus,
  );
  const command = new Deno.Command(spawn.program, {
    args: spawn.args,
    cwd: workspace,
    clearEnv: true,
    env: harnessEnv(start.denoDir),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const process = command.spawn();
  const stdout = new CappedText(start.outputBytes);
  const stderr = new CappedText(start.outputBytes);
  const streams = Promise.all([
    process.stdout.pipeTo(new WritableStream({ write: (chunk) => stdout.add(chunk) })),
    process.stderr.pipeTo(new WritableStream({ write: (chunk) => stderr.add(chunk) })),
  ]).catch(() => {});
  return { process, stdout, stderr, streams };
}
