/**
 * A watch of a sandbox's Worker threads during one call, read from the OS's thread list
 * (`/proc/PID/task`, each thread's `comm`: `worker-N`, a name the runtime gives and code cannot
 * change): which Worker threads ended during the call, whether they started before it (a lib
 * Process that took a spare worker) or during it (one started afresh, as a Process with a heap
 * limit is, which two looks around the call never see). Polled from the grader's process, where no
 * student code runs.
 *
 * @module
 */
import { SYSTEM_READERS, type WitnessReaders } from "./witness.ts";

/** How often the watch reads the thread list, in milliseconds: a nested Worker lives far longer. */
export const THREAD_WATCH_MS = 20;

/** The Worker threads of one process, seen over a call. */
export class WorkerThreadWatch {
  readonly #readers: WitnessReaders;
  readonly #pid: number;
  /** Every Worker thread seen so far: `tid` → its name. */
  readonly #seen = new Map<string, string>();
  /** The thread ids read so far, Worker or not (their `comm` is read once). */
  readonly #known = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling: Promise<void> = Promise.resolve();
  #readable = true;

  /**
   * Makes a watch; {@linkcode start} starts it.
   *
   * @param pid The sandbox process.
   * @param readers How to read the machine (default: this machine's).
   */
  constructor(pid: number, readers: WitnessReaders = SYSTEM_READERS) {
    this.#pid = pid;
    this.#readers = readers;
  }

  /**
   * Reads the thread list once now, then every `everyMs` until {@linkcode stop}.
   *
   * @param everyMs The polling period (`Infinity`: only the reads {@linkcode poll} is asked for).
   */
  async start(everyMs = THREAD_WATCH_MS): Promise<void> {
    await this.poll();
    if (Number.isFinite(everyMs)) {
      this.#timer = setInterval(() => {
        this.#polling = this.#polling.then(() => this.poll());
      }, everyMs);
    }
  }

  /**
   * Reads the thread list once: the names of threads not seen before.
   *
   * @returns Once read.
   */
  async poll(): Promise<void> {
    if (!this.#readable) return;
    let tids: string[];
    try {
      tids = await this.#readers.listDir(`/proc/${this.#pid}/task`);
    } catch {
      this.#readable = false;
      return;
    }
    for (const tid of tids) {
      if (this.#known.has(tid)) continue;
      this.#known.add(tid);
      const name = (await this.#readers.readText(`/proc/${this.#pid}/task/${tid}/comm`)
        .catch(() => "")).trim();
      if (/^worker-\d+$/.test(name)) this.#seen.set(tid, name);
    }
  }

  /**
   * Stops polling and reads the thread list a last time; while fewer than `want` of the Worker
   * threads seen are gone, reads it again every {@linkcode THREAD_WATCH_MS} for up to `settleMs`: a
   * joined Process's thread is still being torn down when its `join()` resolves.
   *
   * @param options `want`: how many ended threads end the wait at once (default 0: no wait);
   * `settleMs`: the longest wait (default 500).
   * @returns How many Worker threads seen during the watch are gone at its end (a thread id found
   * again under another name counts as gone); `undefined` where there is no thread list (not
   * Linux).
   *
   * @example Usage
   * ```ts
   * import { WorkerThreadWatch } from "./thread_watch.ts";
   * import { equal } from "node:assert/strict";
   *
   * let threads: Record<string, string> = { "1": "deno", "2": "worker-1", "3": "worker-2" };
   * const readers = {
   *   listDir: () => Promise.resolve(Object.keys(threads)),
   *   readText: (path: string) => Promise.resolve(threads[path.split("/")[4]!] ?? ""),
   *   cpus: () => [],
   * };
   * const watch = new WorkerThreadWatch(9, readers);
   * await watch.start(Infinity);
   * threads = { ...threads, "4": "worker-3" }; // started during the call...
   * await watch.poll();
   * threads = { "1": "deno", "2": "worker-1" }; // ...and ended, with the spare worker-2
   * equal(await watch.stop(), 2);
   * ```
   */
  async stop(options: { want?: number; settleMs?: number } = {}): Promise<number | undefined> {
    clearInterval(this.#timer);
    await this.#polling;
    if (!this.#readable) return undefined;
    const until = performance.now() + (options.settleMs ?? 500);
    for (;;) {
      const ended = await this.#ended();
      if (ended === undefined || ended >= (options.want ?? 0) || performance.now() >= until) {
        return ended;
      }
      await new Promise((resolve) => setTimeout(resolve, THREAD_WATCH_MS));
    }
  }

  /** How many Worker threads seen are gone now; `undefined` when the list cannot be read. */
  async #ended(): Promise<number | undefined> {
    let tids: string[];
    try {
      tids = await this.#readers.listDir(`/proc/${this.#pid}/task`);
    } catch {
      return undefined;
    }
    const now = new Map<string, string>();
    for (const tid of tids.filter((tid) => this.#seen.has(tid))) {
      const name = await this.#readers.readText(`/proc/${this.#pid}/task/${tid}/comm`)
        .catch(() => "");
      now.set(tid, name.trim());
    }
    return [...this.#seen].filter(([tid, name]) => now.get(tid) !== name).length;
  }
}
