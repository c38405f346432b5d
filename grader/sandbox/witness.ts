/**
 * The operating system as witness: what the grader reads from outside the sandbox, where no student
 * code runs, around every timed call. Per-thread CPU time of the sandbox process from
 * `/proc/PID/task/TID/stat` (Linux), the machine's CPU time from `/proc/stat` or, on every
 * platform, `node:os` `cpus()`; the whole process's CPU time comes from the harness's own isolate
 * (`Reply.trusted.cpuSeconds`, `node:process` `cpuUsage()`), so macOS and Windows have it too.
 *
 * The readers are injected ({@linkcode WitnessReaders}), so the path without /proc is tested on
 * Linux as well.
 *
 * One subject (the OS's accounting of the sandbox, its parsers and the per-call arithmetic), kept
 * whole past 300 lines: each reader sits beside the parser it needs.
 *
 * @module
 */
import { cpus } from "node:os";

/** What the grader saw of the sandbox process while its reference ran. */
export interface ReferenceUsage {
  /** The process's CPU time (user + system, every thread) over the call, in seconds. */
  cpuSeconds: number;
  /** The wall time over which that CPU time was counted, in seconds. */
  wallSeconds: number;
}

/** Linux's `USER_HZ`: /proc reports CPU times in ticks of 1/100 s on every architecture. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** How the grader reads the machine: injected in tests. */
export interface WitnessReaders {
  /** Reads a text file (`/proc/...`); throws where there is none. */
  readText(path: string): Promise<string>;
  /** Lists a folder's entry names; throws where there is none. */
  listDir(path: string): Promise<string[]>;
  /** Every core's CPU times in milliseconds (`node:os` `cpus()`). */
  cpus(): { times: { user: number; nice: number; sys: number; idle: number; irq: number } }[];
}

/** The readers of this machine. */
export const SYSTEM_READERS: WitnessReaders = {
  readText: (path) => Deno.readTextFile(path),
  async listDir(path) {
    const names: string[] = [];
    for await (const entry of Deno.readDir(path)) names.push(entry.name);
    return names;
  },
  cpus: () => cpus(),
};

/** The machine's CPU time summed over every core, in seconds. */
export interface MachineTimes {
  /** Busy time (everything but idle and I/O wait). */
  busy: number;
  /** Busy plus idle time. */
  total: number;
  /** The cores counted. */
  cores: number;
}

/** Where a figure came from, said in the result data. */
export type MachineWitness = "proc-stat" | "os-cpus" | "none";

/**
 * Reads a thread's (or process's) CPU time from its `stat` line: fields 14 and 15 (utime, stime),
 * counted after the command name's closing parenthesis (the name may hold spaces and parentheses).
 *
 * @param text The contents of `/proc/PID/stat` or `/proc/PID/task/TID/stat`.
 * @returns The CPU time in seconds, or `undefined` when the line cannot be read.
 *
 * @example Usage
 * ```ts
 * import { parseStatCpu } from "./witness.ts";
 * import { equal } from "node:assert/strict";
 *
 * const line = "42 (deno (x)) R 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 9 0 100 0 0";
 * equal(parseStatCpu(line), 2);
 * ```
 */
export function parseStatCpu(text: string): number | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  // After ") " come field 3 (state) onwards: utime is field 14, stime field 15.
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Reads the machine's CPU time from `/proc/stat`'s first line.
 *
 * @param text The contents of `/proc/stat`.
 * @returns The times, or `undefined` when the file cannot be read.
 *
 * @example Usage
 * ```ts
 * import { parseProcStat } from "./witness.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const text = "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\ncpu1 50 0 25 400 25 0 0 0 0 0\n";
 * deepEqual(parseProcStat(text), { busy: 1.5, total: 10, cores: 2 });
 * ```
 */
export function parseProcStat(text: string): MachineTimes | undefined {
  const lines = text.split("\n");
  const fields = lines[0]?.split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (fields.length < 5 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const cores = lines.filter((line) => /^cpu\d+ /.test(line)).length;
  const total = fields.reduce((sum, n) => sum + n, 0);
  const idle = fields[3]! + fields[4]!;
  return {
    busy: (total - idle) / CLOCK_TICKS_PER_SECOND,
    total: total / CLOCK_TICKS_PER_SECOND,
    cores: Math.max(1, cores),
  };
}

/**
 * Sums `node:os` `cpus()` into the machine's CPU time (every platform Deno runs on).
 *
 * @param list What `cpus()` returned.
 * @returns The times, or `undefined` when the list is empty.
 *
 * @example Usage
 * ```ts
 * import { machineFromCpus } from "./witness.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const core = { times: { user: 1000, nice: 0, sys: 500, idle: 8500, irq: 0 } };
 * deepEqual(machineFromCpus([core, core]), { busy: 3, total: 20, cores: 2 });
 * ```
 */
export function machineFromCpus(
  list: ReturnType<WitnessReaders["cpus"]>,
): MachineTimes | undefined {
  if (list.length === 0) return undefined;
  let busy = 0;
  let total = 0;
  for (const { times } of list) {
    const used = times.user + times.nice + times.sys + times.irq;
    busy += used;
    total += used + times.idle;
  }
  return { busy: busy / 1000, total: total / 1000, cores: list.length };
}

/** One look at the machine and the sandbox process. */
export interface Snapshot {
  /** The grader's clock, in seconds. */
  at: number;
  /** The machine's CPU times, where known. */
  machine?: MachineTimes;
  /** Which reader gave them. */
  machineWitness: MachineWitness;
  /** The sandbox process's CPU time, every thread, from /proc (Linux). */
  processSeconds?: number;
  /** Each live thread's CPU time, by thread id, from /proc (Linux). */
  threads?: Map<string, number>;
  /** The ids of the threads that run a JavaScript Worker (Deno names them `worker-N`). */
  workerThreads?: Set<string>;
  /** Those threads' names (`worker-N`, N a `node:worker_threads` `threadId`), by thread id. */
  workerNames?: Map<string, string>;
  /**
   * Those threads' time on a CPU in nanoseconds, by thread id, from `/proc/PID/task/TID/schedstat`
   * (Linux with scheduler statistics): finer than `stat`'s 10 ms ticks.
   */
  workerNs?: Map<string, number>;
}

/** What the witness saw over one call. */
export interface CallUsage {
  /** The grader's wall time over the call, in seconds. */
  wallSeconds: number;
  /**
   * The sandbox process's CPU time over the call, in seconds: the harness's `cpuUsage()` where it
   * reported one, else /proc.
   */
  cpuSeconds?: number;
  /** Where `cpuSeconds` came from. */
  processWitness: "harness-cpu-usage" | "proc" | "none";
  /** Each thread's CPU time over the call, largest first (Linux; threads that ended are missed). */
  threadSeconds?: number[];
  /**
   * The same for the threads that run JavaScript Workers only (the student's Worker, the pool's and
   * the Processes'), leaving out the runtime's own threads (V8's garbage collector, I/O).
   */
  workerThreadSeconds?: number[];
  /**
   * The same for the Worker threads that already ran at the `older` snapshot (the calling thread,
   * the harness's), when the pool was made after it (Linux).
   */
  olderWorkerThreadSeconds?: number[];
  /**
   * The CPU time of the threads that ended during the call (a joined Process's, say): the
   * process's CPU time over the call less its live threads' (Linux, from `/proc/PID/stat`, which
   * keeps the time of ended threads; within a clock tick or two).
   */
  endedThreadSeconds?: number;
  /**
   * How many Worker threads of the `before` snapshot (`Snapshot.workerNames`, `worker-N` as the
   * runtime names them) are gone at the `after` one: a lib Process that took a spare started
   * before the call and was joined during it is one (Linux; `undefined` where /proc was not read).
   * A thread id found again under another name counts as gone (the id was reused).
   */
  endedWorkers?: number;
  /** Cores the rest of the machine kept busy on average over the call (machine minus sandbox). */
  otherCores?: number;
  /** The machine's cores, as its reader counts them. */
  machineCores?: number;
  /** Where `otherCores` came from. */
  machineWitness: MachineWitness;
}

/** The witness of one sandbox process. */
export class Witness {
  #readers: WitnessReaders;
  #clock: () => number;

  /**
   * Makes a witness.
   *
   * @param readers How to read the machine (default: this machine's).
   * @param clock The grader's clock in seconds (default: `performance.now() / 1000`).
   */
  constructor(readers: WitnessReaders = SYSTEM_READERS, clock?: () => number) {
    this.#readers = readers;
    this.#clock = clock ?? (() => performance.now() / 1000);
  }

  /** How it reads the machine (for a watch that polls beside it, `thread_watch.ts`). */
  get readers(): WitnessReaders {
    return this.#readers;
  }

  /**
   * Looks at the machine and at process `pid`'s threads.
   *
   * @param pid The sandbox process.
   * @param options `schedstat`: also read each Worker thread's nanoseconds on a CPU
   * (`Snapshot.workerNs`), one more file per thread; off by default (the timed calls' snapshots
   * do not need it).
   * @returns What was readable.
   */
  async snapshot(pid: number, options: { schedstat?: boolean } = {}): Promise<Snapshot> {
    const at = this.#clock();
    let machine: MachineTimes | undefined;
    let machineWitness: MachineWitness = "none";
    try {
      machine = parseProcStat(await this.#readers.readText("/proc/stat"));
      if (machine) machineWitness = "proc-stat";
    } catch {
      // No /proc: node:os below.
    }
    if (!machine) {
      try {
        machine = machineFromCpus(this.#readers.cpus());
        if (machine) machineWitness = "os-cpus";
      } catch {
        // No reader at all.
      }
    }
    const snap: Snapshot = { at, machineWitness, ...(machine ? { machine } : {}) };
    try {
      snap.processSeconds = parseStatCpu(await this.#readers.readText(`/proc/${pid}/stat`));
      const threads = new Map<string, number>();
      const workerThreads = new Set<string>();
      const workerNames = new Map<string, string>();
      const workerNs = new Map<string, number>();
      for (const tid of await this.#readers.listDir(`/proc/${pid}/task`)) {
        const task = `/proc/${pid}/task/${tid}`;
        const seconds = await this.#readers.readText(`${task}/stat`)
          .then(parseStatCpu, () => undefined);
        if (seconds === undefined) continue;
        threads.set(tid, seconds);
        // The runtime names the thread; code in the process cannot rename it (no FFI, no /proc).
        const name = await this.#readers.readText(`${task}/comm`).catch(() => "");
        if (/^worker-\d+/.test(name.trim())) {
          workerThreads.add(tid);
          workerNames.set(tid, name.trim());
          const ns = options.schedstat
            ? await this.#readers.readText(`${task}/schedstat`)
              .then((text) => Number(text.split(" ")[0]), () => Number.NaN)
            : Number.NaN;
          if (Number.isFinite(ns)) workerNs.set(tid, ns);
        }
      }
      snap.threads = threads;
      snap.workerThreads = workerThreads;
      snap.workerNames = workerNames;
      if (workerNs.size > 0) snap.workerNs = workerNs;
    } catch {
      // Not Linux: the harness's cpuUsage() stands in for the process.
    }
    return snap;
  }

  /**
   * Runs a call between two snapshots and says what the machine and the sandbox did during it.
   *
   * @param pid The sandbox process.
   * @param call The call; its result may carry the harness's `trusted.cpuSeconds`.
   * @param older The snapshot whose threads count as older than the call (default: the one taken
   * just before it).
   * @returns The call's result and the usage.
   */
  async around<T extends { trusted?: { cpuSeconds?: number } }>(
    pid: number,
    call: () => Promise<T>,
    older?: Snapshot,
  ): Promise<{ result: T; usage: CallUsage }> {
    const before = await this.snapshot(pid);
    const result = await call();
    const after = await this.snapshot(pid);
    return { result, usage: usageBetween(before, after, result.trusted?.cpuSeconds, older) };
  }

  /**
   * Waits until process `pid`'s Worker threads stop using CPU time (a pool's workers still loading
   * their code), at most `maxMs`.
   *
   * @param pid The sandbox process.
   * @param maxMs The longest wait, in ms.
   */
  async settle(pid: number, maxMs = 1000): Promise<void> {
    const end = this.#clock() + maxMs / 1000;
    let last = await this.snapshot(pid);
    while (this.#clock() < end) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const now = await this.snapshot(pid);
      const used = usageBetween(last, now).workerThreadSeconds;
      if (!used || used.every((seconds) => seconds === 0)) return;
      last = now;
    }
  }
}

/**
 * What happened between two snapshots: wall time, the sandbox's CPU time (the harness's figure when
 * given, else /proc's), each thread's CPU time, the Worker threads that ended, and the cores the
 * rest of the machine used.
 *
 * @param before The first snapshot.
 * @param after The second.
 * @param harnessCpu The harness's `cpuUsage()` over the call, if it reported one.
 * @param older The snapshot whose threads count as older than the call (default: `before`).
 * @returns The usage.
 *
 * @example Usage
 * ```ts
 * import { usageBetween } from "./witness.ts";
 * import { equal } from "node:assert/strict";
 *
 * const before = { at: 0, machineWitness: "os-cpus" as const, machine: { busy: 0, total: 0, cores: 2 } };
 * const after = { at: 1, machineWitness: "os-cpus" as const, machine: { busy: 1.9, total: 2, cores: 2 } };
 * const usage = usageBetween(before, after, 1.5);
 * equal(usage.cpuSeconds, 1.5);
 * equal(Number(usage.otherCores!.toFixed(2)), 0.4);
 * ```
 */
export function usageBetween(
  before: Snapshot,
  after: Snapshot,
  harnessCpu?: number,
  older: Snapshot = before,
): CallUsage {
  const wallSeconds = Math.max(0, after.at - before.at);
  let cpuSeconds: number | undefined;
  let processWitness: CallUsage["processWitness"] = "none";
  if (harnessCpu !== undefined && Number.isFinite(harnessCpu)) {
    cpuSeconds = harnessCpu;
    processWitness = "harness-cpu-usage";
  } else if (before.processSeconds !== undefined && after.processSeconds !== undefined) {
    cpuSeconds = Math.max(0, after.processSeconds - before.processSeconds);
    processWitness = "proc";
  }
  const usage: CallUsage = { wallSeconds, processWitness, machineWitness: "none" };
  if (cpuSeconds !== undefined) usage.cpuSeconds = cpuSeconds;
  if (before.threads && after.threads) {
    const delta = ([tid, seconds]: [string, number]) =>
      Math.max(0, seconds - (before.threads!.get(tid) ?? 0));
    const all = [...after.threads];
    usage.threadSeconds = all.map(delta).sort((a, b) => b - a);
    usage.workerThreadSeconds = all.filter(([tid]) => after.workerThreads?.has(tid)).map(delta)
      .sort((a, b) => b - a);
    usage.olderWorkerThreadSeconds = all
      .filter(([tid]) => after.workerThreads?.has(tid) && older.threads?.has(tid)).map(delta)
      .sort((a, b) => b - a);
    if (before.processSeconds !== undefined && after.processSeconds !== undefined) {
      const live = usage.threadSeconds.reduce((sum, seconds) => sum + seconds, 0);
      usage.endedThreadSeconds = Math.max(0, after.processSeconds - before.processSeconds - live);
    }
  }
  if (before.workerNames && after.workerNames) {
    usage.endedWorkers = [...before.workerNames]
      .filter(([tid, name]) => after.workerNames!.get(tid) !== name).length;
  }
  if (before.machine && after.machine && wallSeconds > 0) {
    // The sandbox's own CPU over the whole window: /proc's figure spans the same window as the
    // machine's; the harness's spans only the call inside it.
    const own = before.processSeconds !== undefined && after.processSeconds !== undefined
      ? after.processSeconds - before.processSeconds
      : cpuSeconds ?? 0;
    const busy = after.machine.busy - before.machine.busy;
    usage.otherCores = Math.max(0, busy - own) / wallSeconds;
    usage.machineCores = after.machine.cores;
    usage.machineWitness = before.machineWitness;
  }
  return usage;
}
