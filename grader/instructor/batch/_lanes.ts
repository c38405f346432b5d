/**
 * The batch's sharing of the machine: {@linkcode Lanes} (correctness runs side by side, each lane
 * pinned to cores of its own when there are several; timed runs alone) and each submission's
 * {@linkcode Budget} of wall time over the whole batch.
 *
 * @module
 */
import { Semaphore } from "async-mutex";
import { formatSeconds } from "../../_format.ts";
import { SandboxFailure } from "../../sandbox/sandbox.ts";
import { laneCpus } from "../../sandbox/cpu_sets.ts";

/**
 * One submission's wall budget over the batch: charged only while one of its runs holds a lane
 * (not while it waits for one); when it runs out, its signal aborts with a `timeout`
 * {@linkcode SandboxFailure}, which the runner gives the checks that did not finish.
 *
 * @example Usage
 * ```ts
 * import { Budget } from "./_lanes.ts";
 * import { equal } from "node:assert/strict";
 *
 * const budget = new Budget(0.05);
 * await budget.charge(() => new Promise((resolve) => setTimeout(resolve, 100)));
 * equal(budget.signal.aborted, true);
 * equal(budget.signal.reason.status, "timeout");
 * ```
 */
export class Budget {
  readonly #controller = new AbortController();
  #leftMs: number;
  readonly #seconds: number;

  /**
   * Makes a budget.
   *
   * @param seconds The wall time the submission may use.
   */
  constructor(seconds: number) {
    this.#seconds = seconds;
    this.#leftMs = seconds * 1000;
  }

  /** Aborts when the budget is spent. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Runs `fn`, charging its wall time to the budget.
   *
   * @typeParam T What `fn` returns.
   * @param fn The run.
   * @returns What `fn` returned.
   */
  async charge<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#leftMs <= 0) this.#spend();
    const start = performance.now();
    const timer = setTimeout(() => this.#spend(), Math.max(0, this.#leftMs));
    try {
      return await fn();
    } finally {
      clearTimeout(timer);
      this.#leftMs -= performance.now() - start;
    }
  }

  #spend(): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(
      new SandboxFailure(
        "timeout",
        `The submission used its whole budget of ${
          formatSeconds(this.#seconds)
        } for the batch: this check did not finish or was not run (calls that each end just ` +
          `under their limit add up)`,
      ),
    );
  }
}

/**
 * Correctness runs share the machine, up to `jobs` at once, each in a lane of its own (pinned to
 * the lane's cores when there are several lanes and the OS allows it); a timed run takes the
 * machine whole and goes before correctness runs that arrive after it. Counts the wall time each
 * kind held the machine.
 *
 * @example Usage
 * ```ts
 * import { Lanes } from "./_lanes.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const lanes = new Lanes(2, [0, 1, 2, 3]);
 * const sets = await Promise.all([lanes.shared(async (cpus) => cpus), lanes.shared(async (cpus) => cpus)]);
 * deepEqual(sets.sort(), [[0, 1], [2, 3]]);
 * ```
 */
export class Lanes {
  readonly #semaphore: Semaphore;
  readonly #jobs: number;
  readonly #free: (readonly number[] | undefined)[];
  #sharing = 0;
  #sharingSince = 0;
  /** Wall time, in milliseconds, during which correctness runs held the machine. */
  correctnessMs = 0;
  /** Wall time, in milliseconds, of the timed runs. */
  timedMs = 0;

  /**
   * Makes the lanes.
   *
   * @param jobs How many correctness runs at once.
   * @param cpus The cores to split between them (`undefined`: no pinning).
   */
  constructor(jobs: number, cpus: readonly number[] | undefined) {
    this.#jobs = jobs;
    this.#semaphore = new Semaphore(jobs);
    // One lane runs unpinned; several split the cores between them.
    const sets = jobs > 1 && cpus ? laneCpus(cpus, jobs) : [];
    this.#free = sets.length === jobs ? sets : Array.from({ length: jobs }, () => undefined);
  }

  /**
   * Runs `fn` in a correctness lane, beside other correctness runs.
   *
   * @typeParam T What `fn` returns.
   * @param fn The run; it gets its lane's cores (`undefined` when lanes are not pinned).
   * @returns What `fn` returned.
   */
  shared<T>(fn: (cpus: readonly number[] | undefined) => Promise<T>): Promise<T> {
    return this.#semaphore.runExclusive(async () => {
      if (this.#sharing++ === 0) this.#sharingSince = performance.now();
      const cpus = this.#free.pop();
      try {
        return await fn(cpus);
      } finally {
        this.#free.push(cpus);
        if (--this.#sharing === 0) this.correctnessMs += performance.now() - this.#sharingSince;
      }
    }, 1);
  }

  /**
   * Runs `fn` alone on the machine, before correctness runs that arrive after it.
   *
   * @typeParam T What `fn` returns.
   * @param fn The run.
   * @returns What `fn` returned.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#semaphore.runExclusive(
      async () => {
        const start = performance.now();
        try {
          return await fn();
        } finally {
          this.timedMs += performance.now() - start;
        }
      },
      this.#jobs,
      1,
    );
  }
}
