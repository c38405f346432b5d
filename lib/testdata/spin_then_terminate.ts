/**
 * Run by pool_test.ts in a subprocess: starts a task that spins forever, terminates the pool, and
 * must still let the process exit by itself (or, with `forget`, never closes an idle pool).
 *
 * @module
 */
import { Pool } from "../pool.ts";
import { tasks } from "./tasks.ts";

const pool = new Pool({ processes: 1 });
if (Deno.args[0] === "forget") {
  console.log(await pool.apply(tasks.square, [4]));
} else {
  const started = new Int32Array(new SharedArrayBuffer(4));
  const spinning = pool.applyAsync(tasks.spin, [started]);
  // Wait until the worker is inside the task, spinning.
  while (Atomics.load(started, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await pool.terminate();
  console.log(spinning.ready() && !spinning.successful() ? "terminated" : "still pending");
}
