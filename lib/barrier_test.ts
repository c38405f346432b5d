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

Deno.test("Barrier runs its action once per trip, in the party that made it, before anyone goes on (_TestBarrier.test_action)", async () => {
  const seen = new RawArray("i", 3);
  let trips = 0;
  const barrier = new Barrier(3, {
    action: () => {
      trips++;
      // No party has passed this trip yet: none has written its round.
      ok(seen.toArray().every((round) => round === trips - 1), `seen ${seen.toArray()}`);
    },
  });
  const rounds = 5;
  const workers = runAll(tasks.barrierRounds, [[barrier, seen, rounds, 1], [
    barrier,
    seen,
    rounds,
    2,
  ]]);
  for (let round = 1; round <= rounds; round++) {
    await barrier.waitAsync({ timeout: 30_000 });
    seen.array[0] = round;
  }
  deepEqual(await workers, [rounds, rounds]);
  equal(trips, rounds);
  equal(barrier.broken, false);
  throws(() => new Barrier(2, { action: 1 as never }), TypeError);
});

Deno.test("Barrier breaks when its action throws, and the error comes out of that wait (_TestBarrier.test_action)", () => {
  const barrier = new Barrier(1, {
    action: () => {
      throw new Error("action failed");
    },
  });
  throws(() => barrier.wait(), { message: "action failed" });
  equal(barrier.broken, true);
  throws(() => barrier.wait(), BrokenBarrierError);
});
