/**
 * Runs a task in a bare `node:worker_threads` worker (`shared_runner.ts`) for lib/'s shared-state
 * tests, so that they do not depend on the Pool. The promise settles after the worker has exited.
 *
 * @module
 */
import { Worker } from "node:worker_threads";
import { encodeShared, reviveShared } from "../_shareable.ts";
import type { Task } from "../task.ts";

/** What a worker run came back with. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: string; name: string };

/**
 * Runs `task(...args)` in a new worker.
 *
 * @param task The task.
 * @param args Its arguments; shared objects travel shared.
 * @returns The outcome, once the worker has exited.
 */
export function runInWorker<A extends readonly unknown[], R>(
  task: Task<A, R>,
  ...args: A
): Promise<Outcome> {
  return runInWorkerWithin(Infinity, task, ...args);
}

/**
 * Runs `task(...args)` in a new worker and terminates it if it is still running after `ms`: the
 * hang detector of tests whose bug is a wait that never ends (`terminate()` wakes a worker asleep
 * in `Atomics.wait`, and ends the workers it started).
 *
 * @param ms The longest run in milliseconds.
 * @param task The task.
 * @param args Its arguments; shared objects travel shared.
 * @returns The outcome, or `{ ok: false, name: "Deadline" }` once the worker was terminated.
 */
export function runInWorkerWithin<A extends readonly unknown[], R>(
  ms: number,
  task: Task<A, R>,
  ...args: A
): Promise<Outcome> {
  const worker = new Worker(new URL("./shared_runner.ts", import.meta.url), {
    workerData: { task: { module: task.module, name: task.name }, args: encodeShared(args) },
  });
  let outcome: Outcome = { ok: false, error: "the worker exited without an answer", name: "Exit" };
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  let answered = false;
  worker.once("message", (message: Outcome) => {
    answered = true;
    outcome = message;
  });
  worker.once("error", (error) => {
    outcome = { ok: false, error: String(error), name: (error as Error).name };
  });
  if (ms !== Infinity) {
    const timer = setTimeout(() => {
      if (!answered) {
        outcome = { ok: false, error: `no answer after ${ms} ms`, name: "Deadline" };
      }
      void worker.terminate();
    }, ms);
    void exited.then(() => clearTimeout(timer));
  }
  return exited.then(async () =>
    outcome.ok ? { ok: true, value: await reviveShared(outcome.value) } : outcome
  );
}

/**
 * Runs a task in several workers at once and returns their values.
 *
 * @param task The task.
 * @param argsList One argument list per worker.
 * @returns The values, in order.
 * @throws {Error} If any run failed.
 */
export async function runAll<A extends readonly unknown[], R>(
  task: Task<A, R>,
  argsList: readonly A[],
): Promise<R[]> {
  const outcomes = await Promise.all(argsList.map((args) => runInWorker(task, ...args)));
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw new Error(`A worker failed: ${outcome.error}`);
    return outcome.value as R;
  });
}
