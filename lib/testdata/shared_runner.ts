/**
 * A bare worker entry for lib/'s shared-state tests, independent of the Pool: runs one task with
 * revived shared arguments and posts `{ ok, value }` or `{ ok: false, error }`.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { encodeShared, reviveShared } from "../_shareable.ts";
import { resolveTask, type Task } from "../task.ts";

if (parentPort === null) {
  throw new TypeError("Cannot run shared_runner.ts: it is a worker entry for shared_spawn.ts");
}
const { task, args } = workerData as { task: Task<never[], unknown>; args: unknown };
try {
  const fn = await resolveTask(task);
  const value = await fn(...(await reviveShared(args) as unknown[]));
  parentPort!.postMessage({ ok: true, value: encodeShared(value) });
} catch (error) {
  parentPort!.postMessage({ ok: false, error: String(error), name: (error as Error)?.name });
}
