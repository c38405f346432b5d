/**
 * The grader's side of the sandbox: copies the catalog's student files into a temporary workspace
 * laid out like the kit, starts the harness subprocess with narrow permissions, talks to it over an
 * authenticated loopback channel, watches its memory and time from outside, and ends it (the only
 * sure stop for a spinning Worker). The pieces live beside it: the options and limits
 * (`_options.ts`), the failures (`_failure.ts`), the workspace (`_workspace.ts`), the subprocess's
 * flags and output (`_subprocess.ts`), the channel's opening (`_channel.ts`) and the OS's readings
 * (`_proc_usage.ts`); this file is the {@linkcode Sandbox} that holds them together. It stays over
 * 300 lines because it is one class: every method shares its state (pending calls, the current
 * call's CPU charge, the failure) and its one queue of calls.
 *
 * @module
 */
import { formatSeconds } from "../_format.ts";
import { pathToFileURL } from "node:url";
import {
  type Fault,
  type ReferenceOp,
  type Reply,
  ReplySchema,
  type StudentOp,
} from "./_protocol.ts";
import { decodeWire, type HarnessConfig, readLines, writeLine } from "./_wire.ts";
import type { ReferenceUsage } from "./witness.ts";
import { describeStall } from "./stall.ts";
import { accept } from "./_channel.ts";
import { type Casualties, exitFailure, opKey, opLabel, SandboxFailure } from "./_failure.ts";
import {
  type CallOptions,
  defaultCpuMs,
  SANDBOX_DEFAULTS,
  type SandboxOptions,
} from "./_options.ts";
import { cpuSeconds, residentMb } from "./_proc_usage.ts";
import { CappedText, randomToken, startHarness } from "./_subprocess.ts";
import { copyWorkspace } from "./_workspace.ts";

export type { Fault, ReferenceOp, Reply, StudentOp };
export {
  type Casualties,
  describeFault,
  SandboxFailure,
  type SandboxFailureStatus,
} from "./_failure.ts";
export {
  type CallOptions,
  defaultCpuMs,
  SANDBOX_DEFAULTS,
  type SandboxOptions,
} from "./_options.ts";
export { residentMb } from "./_proc_usage.ts";
export { STEADY_JIT_FLAGS } from "./_subprocess.ts";

/** A reference's reply, with what the grader saw of the process while the reference ran. */
export interface ReferenceReply extends Reply {
  /** The process's CPU and wall time over the call, where the OS reports them (Linux). */
  usage?: ReferenceUsage;
}

const MEMORY_POLL_MS = 50;
/**
 * How long after a student call's limit the grader waits for the harness's account of what is
 * still running (`Reply.stalled`) before it ends the sandbox without one.
 */
const STALL_GRACE_MS = 1500;

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
    const { process, stdout, stderr, streams } = await startHarness({
      workspace,
      denoDir,
      port,
      heapMb,
      outputBytes,
      cpus: options.cpus,
    });
    const config: HarnessConfig = {
      token,
      port,
      exerciseUrl: pathToFileURL(`${workspace}/exercises/${options.slug}/`).href,
      libUrl: pathToFileURL(`${workspace}/lib/mod.ts`).href,
      readable: [workspace],
      ...(options.pools?.length ? { pools: [...options.pools] } : {}),
      ...(options.spares ? { spares: options.spares } : {}),
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
    this.#fail(exitFailure(status, this.#stderr.text(), this.#doing()));
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
