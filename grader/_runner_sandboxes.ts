/**
 * The runner's sandboxes for one exercise run: opening one for a set of checks with their pools
 * warmed, and the lifecycle across the checks (the current sandbox, reopened when a check ended
 * it; the timed checks' spare opened ahead; the student output kept from each one closed).
 *
 * @module
 */
import type { CatalogEntry } from "./catalog.ts";
import type { CheckSpec } from "./checks/check.ts";
import { capText, TEXT_CAPS } from "./result.ts";
import { type Casualties, Sandbox } from "./sandbox/sandbox.ts";

/** The limits a sandbox of the run opens with. */
export interface SandboxLimits {
  /** The kit's root folder. */
  kitRoot: string;
  /** The cores the checks' pools are sized for. */
  cores: number;
  /** Resident memory cap of the sandbox subprocess, in MiB. */
  memoryMb?: number;
  /** JavaScript heap cap per isolate, in MiB. */
  heapMb?: number;
  /** Bytes of student output kept. */
  outputBytes?: number;
  /** Ends the sandbox. */
  signal?: AbortSignal;
  /** The run's record of what ended its sandboxes. */
  casualties?: Casualties;
  /** The cores the sandbox is pinned to. */
  cpus?: readonly number[];
}

/**
 * Opens a sandbox on an exercise's files for the given checks, with their pools warmed.
 *
 * @param entry The exercise.
 * @param dir The folder of its (ingested) student files.
 * @param limits The sandbox's limits.
 * @param specs The checks it will run (their `pools`).
 * @returns The opening sandbox.
 *
 * @example Usage
 * ```ts ignore
 * import { openSandbox } from "./_runner_sandboxes.ts";
 * const sandbox = await openSandbox(entry, dir, { kitRoot, cores: 2 }, specs);
 * await sandbox.close();
 * ```
 */
export function openSandbox(
  entry: CatalogEntry,
  dir: string,
  limits: SandboxLimits,
  specs: readonly CheckSpec[],
): Promise<Sandbox> {
  return Sandbox.open({
    kitRoot: limits.kitRoot,
    slug: entry.slug,
    sourceDir: dir,
    files: entry.files,
    memoryMb: limits.memoryMb,
    heapMb: limits.heapMb,
    outputBytes: limits.outputBytes,
    signal: limits.signal,
    ...(limits.casualties ? { casualties: limits.casualties } : {}),
    pools: poolsOf(specs, limits.cores),
    spares: specs.reduce((sum, spec) => sum + (spec.spares ?? 0), 0),
    ...(limits.cpus ? { cpus: limits.cpus } : {}),
  });
}

/** Every pool size the given checks ask for (`CheckSpec.pools`), each once. */
function poolsOf(specs: readonly CheckSpec[], cores: number): number[] {
  return [...new Set(specs.flatMap((spec) => spec.pools?.(cores) ?? []))];
}

/** How a run's sandboxes start. */
export interface RunSandboxesOptions {
  /** The timed checks' sandbox, opening ahead; closed by the run whether used or not. */
  spare?: Promise<Sandbox | undefined>;
  /**
   * The correctness checks' first sandbox, opening ahead (while the type check runs); closed by the
   * run whether used or not.
   */
  first?: Promise<Sandbox>;
  /** The output an earlier phase kept. Default none. */
  output?: string;
  /** The run's signal: a spare that ended while the run was cancelled is not replaced. */
  signal?: AbortSignal;
}

/**
 * The sandboxes of one exercise run: the current one, reopened when a check ended it; the timed
 * checks' spare; the student output of every sandbox closed, capped.
 *
 * @example Usage
 * ```ts
 * import { RunSandboxes } from "./_runner_sandboxes.ts";
 * import type { Sandbox } from "./sandbox/sandbox.ts";
 * import { equal } from "node:assert/strict";
 *
 * let opened = 0;
 * const open = () => {
 *   opened++;
 *   return Promise.resolve({ output: "hi", close: () => Promise.resolve() } as unknown as Sandbox);
 * };
 * const sandboxes = new RunSandboxes(open);
 * const first = await sandboxes.sandbox(false, []);
 * equal(await sandboxes.sandbox(false, []), first);
 * await sandboxes.close();
 * equal(opened, 1);
 * equal(sandboxes.output, "hi");
 * ```
 */
export class RunSandboxes {
  #open: (specs: readonly CheckSpec[]) => Promise<Sandbox>;
  #sandbox: Sandbox | undefined;
  #spare: Promise<Sandbox | undefined> | undefined;
  #first: Promise<Sandbox> | undefined;
  #signal: AbortSignal | undefined;
  #output: string;

  /**
   * Makes a run's sandboxes; none is opened until a check asks.
   *
   * @param open Opens a sandbox for the given checks.
   * @param options The spare, the output so far, the run's signal.
   */
  constructor(
    open: (specs: readonly CheckSpec[]) => Promise<Sandbox>,
    options: RunSandboxesOptions = {},
  ) {
    this.#open = open;
    this.#spare = options.spare;
    this.#first = options.first;
    this.#signal = options.signal;
    this.#output = options.output ?? "";
  }

  /** The student output of the sandboxes closed so far, capped. */
  get output(): string {
    return this.#output;
  }

  /** Closes the current sandbox, if any, and keeps its output. */
  async collect(): Promise<void> {
    if (!this.#sandbox) return;
    const current = this.#sandbox;
    this.#sandbox = undefined;
    await current.close();
    if (current.output) {
      const output = this.#output;
      this.#output = capText(output + (output ? "\n" : "") + current.output, TEXT_CAPS.output);
    }
  }

  /**
   * The sandbox a check calls: the current one unless it ended; for a timed check (`fresh`), the
   * spare first; else a new one for `specs`.
   *
   * @param fresh Whether the check is timed and gets the spare.
   * @param specs The checks a new sandbox is opened for.
   * @returns The sandbox.
   */
  async sandbox(fresh: boolean, specs: readonly CheckSpec[]): Promise<Sandbox> {
    if (this.#sandbox?.failure) await this.collect();
    if (!this.#sandbox && fresh && this.#spare) {
      const ready = this.#spare;
      this.#spare = undefined;
      this.#sandbox = await ready;
      // One that ended while it waited (the budget, say) is replaced like any ended sandbox.
      if (this.#sandbox?.failure && !this.#signal?.aborted) await this.collect();
    }
    if (!this.#sandbox && !fresh && this.#first) {
      const ready = this.#first;
      this.#first = undefined;
      this.#sandbox = await ready;
      if (this.#sandbox.failure && !this.#signal?.aborted) await this.collect();
    }
    this.#sandbox ??= await this.#open(specs);
    return this.#sandbox;
  }

  /** Closes the current sandbox, and the spare and the first one if they were never used. */
  async close(): Promise<void> {
    await this.collect();
    await this.#first?.then((unused) => unused.close(), () => {});
    await this.#spare?.then((unused) => unused?.close(), () => {});
  }
}
