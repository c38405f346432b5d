import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { RawArray } from "./shared_array.ts";
import { Barrier, BrokenBarrierError } from "./barrier.ts";
import { TimeoutError } from "./timeout.ts";
import { runAll, runInWorker } from "./testdata/shared_spawn.ts";
import { tasks } from "./testdata/shared_tasks.ts";

const WORKERS = 4;

Deno.test("Barrier lets N workers through together, round after round", async () => {
  const barrier = new Barrier(WORKERS);
  const seen = new RawArray("i", WORKERS);
  const rounds = await runAll(
    tasks.barrierRounds,
    Array.from({ length: WORKERS }, (_, slot) => [barrier, seen, 50, slot] as const),
  );
  deepEqual(rounds, Array(WORKERS).fill(50));
  deepEqual(seen.toArray(), Array(WORKERS).fill(50));
  equal(barrier.broken, false);
});

Deno.test("Barrier.wait() returns a different index to each party", async () => {
  const barrier = new Barrier(3);
  const indexes = await runAll(tasks.waitBarrier, [[barrier, 30_000], [barrier, 30_000], [
    barrier,
    30_000,
  ]]);
  deepEqual([...indexes].sort(), [0, 1, 2]);
});

Deno.test("Barrier breaks when a waiter times out, and reset() mends it", async () => {
  const barrier = new Barrier(2);
  throws(() => barrier.wait({ timeout: 5 }), (error: Error) => {
    ok(error instanceof BrokenBarrierError);
    ok((error.cause as Error) instanceof TimeoutError);
    return true;
  });
  equal(barrier.broken, true);
  deepEqual(await runInWorker(tasks.waitBarrier, barrier, 1000), {
    ok: true,
    value: "BrokenBarrierError",
  });
  barrier.reset();
  equal(barrier.broken, false);
  const other = runInWorker(tasks.waitBarrier, barrier, 30_000);
  const mine = await barrier.waitAsync({ timeout: 30_000 });
  const theirs = await other;
  deepEqual([mine, theirs.ok && theirs.value].sort(), [0, 1]);
});

Deno.test("Barrier.abort() breaks it for a waiting worker, and an abort signal breaks it", async () => {
  const barrier = new Barrier(2);
  const waiter = runInWorker(tasks.waitBarrier, barrier, 30_000);
  while (barrier.nWaiting === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  barrier.abort();
  deepEqual(await waiter, { ok: true, value: "BrokenBarrierError" });
  barrier.reset();
  const controller = new AbortController();
  const waiting = barrier.waitAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, BrokenBarrierError);
  equal(barrier.broken, true);
  throws(() => new Barrier(0), RangeError);
});
