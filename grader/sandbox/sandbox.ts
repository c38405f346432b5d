/**
 * The grader's side of the sandbox: copies the catalog's student files into a temporary workspace
 * laid out like the kit, starts the harness subprocess with narrow permissions, talks to it over an
 * authenticated loopback channel, watches its memory and time from outside, and ends it (the only
 * sure stop for a spinning Worker).
 *
 * @module
 */
import { formatSeconds } from "../_format.ts";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type Fault,
  HelloSchema,
  type ReferenceOp,
  type Reply,
  ReplySchema,
  type StudentOp,
} from "./_protocol.ts";
import { decodeWire, type HarnessConfig, readLines, writeLine } from "./_wire.ts";
import type { ReferenceUsage } from "./witness.ts";
import { copyStudentFiles } from "./ingest.ts";
import { pinned } from "./cpu_sets.ts";
import { describeStall } from "./stall.ts";

export type { Fault, ReferenceOp, Reply, StudentOp };

/** A reference's reply, with what the grader saw of the process while the reference ran. */
export interface ReferenceReply extends Reply {
  /** The process's CPU and wall time over the call, where the OS reports them (Linux). */
  usage?: ReferenceUsage;
}

/** How a sandbox run ended when it did not answer. */
export type SandboxFailureStatus = "timeout" | "out-of-memory" | "crashed";

/**
 * V8 flags that keep a hot loop's speed steady from call to call. With V8's Maglev tier on, the
 * same summing loop measured 0.82, 0.82, 1.74 and 2.76 s in four rounds here as it re-tiered (in
 * the main thread and in workers alike), which makes any timed ratio a coin toss; without it, 0.82 s
 * every round. Both sides of every timed pair run in the sandbox, so both get the same JIT; the
 * lesson program that exercise 1 times runs with them too.
 *
 * @example Usage
 * ```ts
 * import { STEADY_JIT_FLAGS } from "./sandbox.ts";
 * import { match } from "node:assert/strict";
 *
 * match(STEADY_JIT_FLAGS, /--no-maglev/);
 * ```
 */
export const STEADY_JIT_FLAGS = "--no-maglev";

/** Raised by a {@linkcode Sandbox} call when the subprocess was ended or died. */
export class SandboxFailure extends Error {
  /** How it ended. */
  readonly status: SandboxFailureStatus;

  /**
   * Makes a sandbox failure.
   *
   * @param status How the run ended.
   * @param message What happened, for the student.
   */
  constructor(status: SandboxFailureStatus, message: string) {
    super(message);
    this.name = "SandboxFailure";
    this.status = status;
  }
}

/**
 * The student operations that already ended a sandbox, by `file#export`: shared between the
 * sandboxes of one exercise run, so a later check that calls the same export fails at once with
 * the same status instead of waiting out the limit again.
 */
export type Casualties = Map<string, SandboxFailure>;

function opKey(op: StudentOp): string {
  return `${op.file}#${op.name}`;
}

function opLabel(op: StudentOp): string {
  // A `get` only reads the export (a module's top-level code runs as it loads); the rest call it.
  return op.op === "get" ? `reading ${op.name} from ${op.file}` : `${op.name}() in ${op.file}`;
}

/** Options of {@linkcode Sandbox.open}. */
export interface SandboxOptions {
  /** The kit's root: its `lib/` is copied into the workspace. */
  kitRoot: string;
  /** The exercise folder's name (`01_guess_run_times`). */
  slug: string;
  /** The folder that holds the student files. */
  sourceDir: string;
  /** The student files to copy (the catalog's `files`). */
  files: readonly string[];
  /** The resident memory cap of the subprocess, in MiB. */
  memoryMb?: number;
  /** The JavaScript heap cap of each isolate, in MiB. */
  heapMb?: number;
  /** How many bytes of the student's output are kept. */
  outputBytes?: number;
  /** How long the subprocess may take to start and connect, in milliseconds. */
  startMs?: number;
  /** Ends the subprocess when aborted. */
  signal?: AbortSignal;
  /** Operations that ended an earlier sandbox of this run (see {@linkcode Casualties}). */
  casualties?: Casualties;
  /** The cores the subprocess is pinned to (`taskset`, Linux): its lane's. Default: not pinned. */
  cpus?: readonly number[];
  /**
   * The pool sizes the checks will ask for: the student Worker starts and warms them up at once
   * when the sandbox opens (a Worker started inside a Worker waits about a second before it runs
   * its first task; warmed together, the pools wait once), and `open` resolves once they are warm
   * (at most 8 s; no student file is loaded by then), so an open sandbox is quiet. Default: none,
   * pools start on demand.
   */
  pools?: readonly number[];
}

/** Options of one sandbox call. */
export interface CallOptions {
  /** Wall-time limit of the call, in milliseconds; past it the subprocess is ended. */
  timeoutMs?: number;
  /**
   * CPU-time limit of the call (every thread of the subprocess), in milliseconds; past it the
   * subprocess is ended with a `timeout`. Default {@linkcode defaultCpuMs}: the wall limit times
   * the threads the call was given plus 3, so it stops only code that runs more threads than it
   * was given (on a machine with more cores than that, it would take them from other lanes).
   */
  cpuMs?: number;
}

/**
 * The default CPU-time limit of a call: its wall limit times the threads it was given (its own,
 * plus its pool's or counter's workers) plus 3 (the processes, manager and GC threads honest code
 * uses beside them). Honest code never reaches it: its CPU time is at most its threads times its
 * wall time. Linux only (`/proc/PID/stat`); elsewhere the wall limit alone applies.
 *
 * @param op The operation.
 * @param timeoutMs The call's wall limit.
 * @returns The CPU limit, in milliseconds.
 *
 * @example Usage
 * ```ts
 * import { defaultCpuMs } from "./sandbox.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(defaultCpuMs({ op: "call", file: "a.ts", name: "f", args: [] }, 1000), 4000);
 * equal(defaultCpuMs({ op: "call", file: "a.ts", name: "f", args: [], pool: 2 }, 1000), 6000);
 * ```
 */
export function defaultCpuMs(op: StudentOp | ReferenceOp, timeoutMs: number): number {
  const workers = "pool" in op && op.pool ? op.pool : "workers" in op ? op.workers : 0;
  return timeoutMs * (1 + workers + 3);
}

/** The default limits. */
export const SANDBOX_DEFAULTS = {
  memoryMb: 1536,
  heapMb: 1024,
  outputBytes: 16 * 1024,
  startMs: 15_000,
  timeoutMs: 10_000,
} as const;

const HARNESS_DIR = new URL(".", import.meta.url);
const REFERENCE_DIR = new URL("../reference/", import.meta.url);
const MEMORY_POLL_MS = 50;
/**
 * How long after a student call's limit the grader waits for the harness's account of what is
 * still running (`Reply.stalled`) before it ends the sandbox without one.
 */
const STALL_GRACE_MS = 1500;

/** Keeps the first bytes of a stream, counts the rest. */
class CappedText {
  #cap: number;
  #parts: string[] = [];
  #kept = 0;
  #dropped = 0;
  #decoder = new TextDecoder();

  constructor(cap: number) {
    this.#cap = cap;
  }

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

  text(): string {
    const text = this.#parts.join("");
    return this.#dropped > 0 ? `${text}\n[... ${this.#dropped} more bytes of output cut]` : text;
  }
}

async function copyWorkspace(options: SandboxOptions, root: string): Promise<void> {
  const exerciseDir = `${root}/exercises/${options.slug}`;
  await Deno.mkdir(exerciseDir, { recursive: true });
  // By ingestion's rules: a link, a non-file or an oversized file is not copied (it counts as
  // missing, and the checks that load it say so); the runner has already reported it.
  const folder = await Deno.lstat(options.sourceDir).catch(() => undefined);
  if (folder?.isDirectory) await copyStudentFiles(options.sourceDir, options.files, exerciseDir);
  // The counter check's pool task, where pool workers (which read only the workspace) find it.
  await Deno.mkdir(`${root}/grader/sandbox`, { recursive: true });
  await Deno.copyFile(
    fileURLToPath(new URL("counter_task.ts", import.meta.url)),
    `${root}/grader/sandbox/counter_task.ts`,
  );
  const libDir = `${root}/lib`;
  await Deno.mkdir(libDir, { recursive: true });
  for await (const entry of Deno.readDir(`${options.kitRoot}/lib`)) {
    if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    await Deno.copyFile(`${options.kitRoot}/lib/${entry.name}`, `${libDir}/${entry.name}`);
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
 * A process's resident memory, from `/proc/PID/status` `VmRSS` (Linux).
 *
 * @param pid The process.
 * @returns Its resident memory in MB, or 0 where the OS does not say (or it has ended).
 *
 * @example Usage
 * ```ts
 * import { residentMb } from "./sandbox.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok((await residentMb(Deno.pid)) >= 0);
 * ```
 */
export async function residentMb(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The kernel's clock ticks per second (`getconf CLK_TCK`: 100 on every Linux Deno runs on). */
const CLOCK_TICKS = 100;

/**
 * The CPU time (user + system, every thread) a process has used, from `/proc/PID/stat` (Linux).
 *
 * @param pid The process.
 * @returns Seconds, or `undefined` where the OS does not say.
 */
async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * One running sandbox: a harness subprocess holding one exercise's student code. Calls run one at a
 * time, in order. When a call times out, the memory cap is passed or the process dies, the current
 * call and every later one reject with a {@linkcode SandboxFailure}; open a new sandbox to go on.
 *
 * @example Usage
 * ```ts ignore
 * const sandbox = await Sandbox.open({ kitRoot, slug, sourceDir, files });
 * const reply = await sandbox.student({ op: "call", file: "sum_range.ts", name: "sumRange", args: [1, 11] });
 * await sandbox.close();
 * ```
 */
export class Sandbox {
  #process: Deno.ChildProcess;
  #conn: Deno.Conn;
  #workspace: string;
  #stdout: CappedText;
  #stderr: CappedText;
  #failure: SandboxFailure | undefined;
  #nextId = 1;
  #pending = new Map<number, { resolve: (reply: Reply) => void; reject: (e: Error) => void }>();
  #queue: Promise<unknown> = Promise.resolve();
  #memoryTimer: ReturnType<typeof setInterval> | undefined;
  #memoryMb: number;
  #closed = false;
  #exited: Promise<Deno.CommandStatus>;
  #streams: Promise<unknown>;
  #onAbort: () => void;
  #signal: AbortSignal | undefined;
  #casualties: Casualties;
  #current: StudentOp | undefined;
  /** The current call's CPU charge: CPU seconds at its start (once read) and its limit. */
  #charge: { id: number; startCpu?: number; limitSeconds: number } | undefined;

  private constructor(
    parts: {
      process: Deno.ChildProcess;
      conn: Deno.Conn;
      workspace: string;
      stdout: CappedText;
      stderr: CappedText;
      streams: Promise<unknown>;
      memoryMb: number;
      signal?: AbortSignal;
      casualties: Casualties;
    },
  ) {
    this.#process = parts.process;
    this.#conn = parts.conn;
    this.#workspace = parts.workspace;
    this.#stdout = parts.stdout;
    this.#stderr = parts.stderr;
    this.#streams = parts.streams;
    this.#memoryMb = parts.memoryMb;
    this.#signal = parts.signal;
    this.#casualties = parts.casualties;
    this.#exited = this.#process.status;
    this.#exited.then((status) => this.#onExit(status));
    this.#memoryTimer = setInterval(() => this.#watchMemory(), MEMORY_POLL_MS);
    // A reason that is a SandboxFailure (a submission's spent budget) is the run's status.
    this.#onAbort = () => {
      const reason = this.#signal?.reason;
      this.#fail(
        reason instanceof SandboxFailure
          ? reason
          : new SandboxFailure("crashed", "the check was cancelled"),
      );
    };
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (this.#signal?.aborted) this.#onAbort();
    this.#readReplies();
  }

  /**
   * Copies the student files into a fresh workspace and starts the harness subprocess.
   *
   * @param options Where the files come from and the limits.
   * @returns The running sandbox.
   * @throws {SandboxFailure} If the subprocess does not start and connect in time.
   */
  static async open(options: SandboxOptions): Promise<Sandbox> {
    const memoryMb = options.memoryMb ?? SANDBOX_DEFAULTS.memoryMb;
    const heapMb = options.heapMb ?? SANDBOX_DEFAULTS.heapMb;
    const outputBytes = options.outputBytes ?? SANDBOX_DEFAULTS.outputBytes;
    // One private tree per sandbox, removed whole on close: the workspace the subprocess may read,
    // and beside it (outside what it may read) its own module cache: the instructor's DENO_DIR
    // gains nothing from a submission, and nothing cached there is reused by the next one.
    const tree = await Deno.makeTempDir({ prefix: "parakit-sandbox-" });
    const workspace = `${tree}/workspace`;
    const denoDir = `${tree}/deno_dir`;
    await Deno.mkdir(denoDir);
    await copyWorkspace(options, workspace);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    const token = randomToken();
    const harnessDir = fileURLToPath(HARNESS_DIR);
    const referenceDir = fileURLToPath(REFERENCE_DIR);
    const spawn = await pinned(
      Deno.execPath(),
      harnessArgs({ workspace, harnessDir, referenceDir, port, heapMb }),
      options.cpus,
    );
    const command = new Deno.Command(spawn.program, {
      args: spawn.args,
      cwd: workspace,
      clearEnv: true,
      env: harnessEnv(denoDir),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    });
    const process = command.spawn();
    const stdout = new CappedText(outputBytes);
    const stderr = new CappedText(outputBytes);
    const streams = Promise.all([
      process.stdout.pipeTo(new WritableStream({ write: (chunk) => stdout.add(chunk) })),
      process.stderr.pipeTo(new WritableStream({ write: (chunk) => stderr.add(chunk) })),
    ]).catch(() => {});
    const config: HarnessConfig = {
      token,
      port,
      exerciseUrl: pathToFileURL(`${workspace}/exercises/${options.slug}/`).href,
      libUrl: pathToFileURL(`${workspace}/lib/mod.ts`).href,
      readable: [workspace],
      ...(options.pools?.length ? { pools: [...options.pools] } : {}),
    };
    const writer = process.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(config)));
    await writer.close();
    let conn: Deno.Conn;
    try {
      conn = await accept(listener, token, options.startMs ?? SANDBOX_DEFAULTS.startMs, process);
    } catch (error) {
      try {
        process.kill("SIGKILL");
      } catch { /* already gone */ }
      await process.status;
      await streams;
      await Deno.remove(tree, { recursive: true }).catch(() => {});
      const detail = stderr.text().trim().split("\n").slice(0, 3).join(" ");
      throw new SandboxFailure(
        "crashed",
        `The sandbox did not start: ${(error as Error).message}${detail ? `: ${detail}` : ""}`,
      );
    } finally {
      try {
        listener.close();
      } catch {
        // Closed by the accept loop.
      }
    }
    return new Sandbox({
      process,
      conn,
      workspace: tree,
      stdout,
      stderr,
      streams,
      memoryMb,
      signal: options.signal,
      casualties: options.casualties ?? new Map(),
    });
  }

  /** What the student's code printed so far (stdout then stderr), capped. */
  get output(): string {
    const out = this.#stdout.text();
    let err = this.#stderr.text();
    const dump = err.indexOf("<--- Last few GCs --->");
    if (dump >= 0) err = `${err.slice(0, dump).trimEnd()}\n[V8's out-of-memory report cut]`;
    return [out, err].filter((text) => text.trim() !== "").join("\n");
  }

  /** Why the sandbox stopped answering, or `undefined` while it runs. */
  get failure(): SandboxFailure | undefined {
    return this.#failure;
  }

  /** The subprocess's pid. */
  get pid(): number {
    return this.#process.pid;
  }

  /**
   * Runs one operation in the student's restricted Worker.
   *
   * @param op The operation.
   * @param options The call's time limit.
   * @returns The harness's reply: value or fault, and the round trip in seconds.
   * @throws {SandboxFailure} If the sandbox timed out, ran out of memory or died.
   */
  student(op: StudentOp, options: CallOptions = {}): Promise<Reply> {
    const earlier = this.#casualties.get(opKey(op));
    if (earlier) {
      return Promise.reject(
        new SandboxFailure(
          earlier.status,
          `${earlier.message} (in an earlier check; not run again)`,
        ),
      );
    }
    return this.#call("student", op, options);
  }

  /**
   * Runs one of the grader's own references in the trusted Worker.
   *
   * @param op The reference and its arguments.
   * @param options The call's time limit.
   * @returns The harness's reply, with the process's CPU and wall time over the call (Linux).
   * @throws {SandboxFailure} If the sandbox timed out, ran out of memory or died.
   */
  reference(op: ReferenceOp, options: CallOptions = {}): Promise<ReferenceReply> {
    const pid = this.#process.pid;
    const next = this.#queue.then(async (): Promise<ReferenceReply> => {
      const start = performance.now();
      const before = await cpuSeconds(pid);
      const reply = await this.#send("reference", op, options);
      const after = await cpuSeconds(pid);
      const wallSeconds = (performance.now() - start) / 1000;
      if (before === undefined || after === undefined) return reply;
      return { ...reply, usage: { cpuSeconds: after - before, wallSeconds } };
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  #call(
    kind: "student" | "reference",
    op: StudentOp | ReferenceOp,
    options: CallOptions,
  ): Promise<Reply> {
    const next = this.#queue.then(() => this.#send(kind, op, options));
    this.#queue = next.catch(() => {});
    return next;
  }

  #send(kind: string, op: StudentOp | ReferenceOp, options: CallOptions): Promise<Reply> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new SandboxFailure("crashed", "the sandbox is closed"));
    const id = this.#nextId++;
    const timeoutMs = options.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs;
    this.#current = kind === "student" ? op as StudentOp : undefined;
    const what = this.#current ? opLabel(this.#current) : `the grader's ${op.name} reference`;
    const charge = {
      id,
      limitSeconds: (options.cpuMs ?? defaultCpuMs(op, timeoutMs)) / 1000,
    } as { id: number; startCpu?: number; limitSeconds: number };
    this.#charge = charge;
    cpuSeconds(this.#process.pid).then((cpu) => charge.startCpu = cpu);
    const late = (stalled?: Reply["stalled"]) =>
      new SandboxFailure(
        "timeout",
        `${what} did not finish within ${formatSeconds(timeoutMs / 1000)}${describeStall(stalled)}`,
      );
    // A student call stalls at its limit: the harness then says what was still running.
    const student = kind === "student";
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(
        () => this.#fail(late()),
        student ? timeoutMs + STALL_GRACE_MS : timeoutMs,
      );
      this.#pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.stalled) {
            const failure = late(reply.stalled);
            this.#fail(failure);
            reject(failure);
            return;
          }
          this.#current = undefined;
          if (this.#charge === charge) this.#charge = undefined;
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      writeLine(this.#conn, { kind, id, op, ...(student ? { stallMs: timeoutMs } : {}) })
        .catch(() => {});
    });
  }

  async #readReplies(): Promise<void> {
    try {
      for await (const line of readLines(this.#conn.readable)) {
        let parsed;
        try {
          parsed = ReplySchema.safeParse(decodeWire(line));
        } catch {
          continue;
        }
        if (!parsed.success) continue;
        const waiter = this.#pending.get(parsed.data.id);
        this.#pending.delete(parsed.data.id);
        waiter?.resolve(parsed.data);
      }
    } catch {
      // The process ended; #onExit reports why.
    }
  }

  async #watchMemory(): Promise<void> {
    if (this.#failure || this.#closed) return;
    await this.#watchCpu();
    if (this.#failure || this.#closed) return;
    const mb = await residentMb(this.#process.pid);
    if (mb > this.#memoryMb) {
      this.#fail(
        new SandboxFailure(
          "out-of-memory",
          `${this.#doing()} used more than ${this.#memoryMb} MiB of memory (${Math.round(mb)} MiB)`,
        ),
      );
    }
  }

  /** Charges the current call its CPU time (every thread), read from the OS. */
  async #watchCpu(): Promise<void> {
    const charge = this.#charge;
    if (charge?.startCpu === undefined) return;
    const cpu = await cpuSeconds(this.#process.pid);
    if (cpu === undefined || this.#charge !== charge) return;
    const used = cpu - charge.startCpu;
    if (used > charge.limitSeconds) {
      this.#fail(
        new SandboxFailure(
          "timeout",
          `${this.#doing()} used more than ${
            formatSeconds(charge.limitSeconds)
          } of CPU time (more threads kept busy than it was given?)`,
        ),
      );
    }
  }

  #doing(): string {
    return this.#current ? opLabel(this.#current) : "the code";
  }

  async #onExit(status: Deno.CommandStatus): Promise<void> {
    if (this.#failure || this.#closed) return;
    await this.#streams;
    const err = this.#stderr.text();
    if (status.code === 133 || /out of memory|heap limit/i.test(err)) {
      this.#fail(
        new SandboxFailure(
          "out-of-memory",
          `${this.#doing()} ran out of memory (the heap limit) and the process aborted`,
        ),
      );
    } else {
      this.#fail(
        new SandboxFailure(
          "crashed",
          `the sandbox process ended unexpectedly during ${this.#doing()} (exit code ${status.code}${
            status.signal ? `, signal ${status.signal}` : ""
          })`,
        ),
      );
    }
  }

  #fail(failure: SandboxFailure): void {
    if (this.#failure) return;
    this.#failure = failure;
    if (this.#current) this.#casualties.set(opKey(this.#current), failure);
    this.#kill();
    for (const waiter of this.#pending.values()) waiter.reject(failure);
    this.#pending.clear();
  }

  #kill(): void {
    clearInterval(this.#memoryTimer);
    try {
      this.#process.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }

  /** Ends the subprocess and removes the workspace. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#kill();
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    await this.#exited;
    await this.#streams;
    for (const waiter of this.#pending.values()) {
      waiter.reject(new SandboxFailure("crashed", "the sandbox was closed"));
    }
    this.#pending.clear();
    await Deno.remove(this.#workspace, { recursive: true }).catch(() => {});
  }

  /** Closes the sandbox. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

async function accept(
  listener: Deno.Listener,
  token: string,
  startMs: number,
  process: Deno.ChildProcess,
): Promise<Deno.Conn> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${formatSeconds(startMs / 1000)}`)),
      startMs,
    );
  });
  const exited = process.status.then((status) => {
    throw new Error(`the harness exited with code ${status.code}`);
  });
  const connect = (async () => {
    for await (const conn of listener) {
      const hello = await readLine(conn).catch(() => undefined);
      const parsed = hello === undefined ? undefined : HelloSchema.safeParse(decodeWire(hello));
      if (parsed?.success && parsed.data.token === token) return conn;
      conn.close();
    }
    throw new Error("the channel closed");
  })();
  try {
    return await Promise.race([connect, timeout, exited]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads one line byte by byte, so nothing after it is consumed. */
async function readLine(conn: Deno.Conn): Promise<string> {
  const bytes: number[] = [];
  const one = new Uint8Array(1);
  while (bytes.length < 4096) {
    const n = await conn.read(one);
    if (n === null) throw new Error("closed");
    if (one[0] === 10) return new TextDecoder().decode(new Uint8Array(bytes));
    bytes.push(one[0]!);
  }
  throw new Error("line too long");
}

/**
 * Describes a fault for the student: what went wrong and where.
 *
 * @param fault The fault.
 * @returns One or two sentences.
 *
 * @example Usage
 * ```ts
 * import { describeFault } from "./sandbox.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   describeFault({ kind: "error", name: "Error", message: "TODO: sum", file: "a.ts", line: 3 }),
 *   "a.ts:3 threw Error: TODO: sum",
 * );
 * ```
 */
export function describeFault(fault: Fault): string {
  const where = fault.file ? `${fault.file}${fault.line ? `:${fault.line}` : ""}` : "the code";
  switch (fault.kind) {
    case "missing-export":
      return `${fault.message}: export it as the exercise's README says`;
    case "exit":
      return `${where}: ${fault.message}; return a value instead`;
    case "crashed":
      return `${where} crashed: ${fault.message}`;
    case "error": {
      const missing = /^Module not found "([^"]+)"/.exec(fault.message);
      if (missing) return `${missing[1]} is missing or could not be loaded (Module not found)`;
      return `${where} threw ${fault.name}: ${fault.message}`;
    }
  }
}
