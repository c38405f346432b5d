import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { RawArray } from "./shared_array.ts";
import {
  Barrier,
  BoundedSemaphore,
  BrokenBarrierError,
  Condition,
  Event,
  Lock,
  RLock,
  Semaphore,
} from "./sync.ts";
import { TimeoutError } from "./async_result.ts";
import { runAll, runInWorker } from "./testdata/shared_spawn.ts";
import { tasks } from "./testdata/shared_tasks.ts";
import { RawValue } from "./value.ts";

const WORKERS = 4;

Deno.test("Lock makes N workers x M increments exact, many times in a row", async () => {
  for (let run = 0; run < 3; run++) {
    const counter = new RawValue("i", 0);
    const lock = new Lock();
    const times = 20_000;
    await runAll(tasks.addLocked, Array.from({ length: WORKERS }, () => [counter, lock, times]));
    equal(counter.value, WORKERS * times);
    equal(lock.locked, false);
  }
});

Deno.test("Lock.acquireAsync() makes workers' increments exact", async () => {
  const counter = new RawValue("i", 0);
  const lock = new Lock();
  await runAll(tasks.addLockedAsync, [[counter, lock, 5000], [counter, lock, 5000]]);
  equal(counter.value, 10_000);
});

Deno.test("Lock.acquire() times out with TimeoutError while another worker holds it", async () => {
  const lock = new Lock();
  lock.acquire();
  const outcome = await runInWorker(tasks.tryLock, lock, 20);
  ok(outcome.ok);
  match(String(outcome.value), /^TimeoutError: Cannot acquire lock: timed out after 20 ms/);
  throws(() => lock.acquire({ timeout: 5 }), (error: Error) => {
    ok(error instanceof TimeoutError);
    match(error.message, /this thread holds it already/);
    return true;
  });
  equal(lock.tryAcquire(), false);
  lock.release();
  equal((await runInWorker(tasks.tryLock, lock, 1000)).ok, true);
});

Deno.test("Lock.acquireAsync() stops on abort with the signal's reason", async () => {
  const lock = new Lock();
  using _ = lock.hold();
  const controller = new AbortController();
  const waiting = lock.acquireAsync({ signal: controller.signal });
  controller.abort(new Error("stop waiting"));
  await rejects(waiting, { message: "stop waiting" });
  throws(() => lock.acquire({ signal: controller.signal }), { message: "stop waiting" });
  await rejects(lock.acquireAsync({ timeout: 5 }), TimeoutError);
});

Deno.test("Lock.release() throws when the lock is not locked", () => {
  throws(() => new Lock().release(), { message: "Cannot release lock: it is not locked" });
});

Deno.test("Lock checks its wait options", () => {
  const lock = new Lock();
  throws(() => lock.acquire({ timeout: -1 }), RangeError);
  throws(() => lock.acquire({ timeout: Number.NaN }), RangeError);
  throws(() => lock.acquire({ signal: {} as AbortSignal }), TypeError);
});

Deno.test("Lock held by a worker that dies stays locked, and waiters time out", async () => {
  const lock = new Lock();
  const started = new Event();
  const outcome = await runInWorker(tasks.holdAndDie, lock, started);
  equal(outcome.ok, false);
  ok(started.isSet());
  equal(lock.locked, true);
  throws(() => lock.acquire({ timeout: 10 }), (error: Error) => {
    ok(error instanceof TimeoutError);
    match(error.message, /another thread holds it/);
    return true;
  });
  lock.release();
  equal(lock.tryAcquire(), true);
});

Deno.test("RLock is reentrant for its holder and only its holder releases it", async () => {
  const lock = new RLock();
  lock.acquire();
  lock.acquire();
  equal(lock.tryAcquire(), true);
  lock.release();
  lock.release();
  equal(lock.locked, true);
  const other = await runInWorker(tasks.releaseOther, lock);
  deepEqual(other, { ok: true, value: "Cannot release lock: this thread does not hold it" });
  const blocked = await runInWorker(tasks.tryLock, lock, 10);
  match(String(blocked.ok && blocked.value), /^TimeoutError/);
  lock.release();
  equal(lock.locked, false);
  throws(() => lock.release(), { message: "Cannot release lock: this thread does not hold it" });
});

Deno.test("Semaphore never lets more than its value through at once", async () => {
  const semaphore = new Semaphore({ value: 2 });
  const stats = new RawArray("i", 2); // [inside now, most inside at once]
  const statsLock = new Lock();
  await runAll(
    tasks.throughSemaphore,
    Array.from({ length: WORKERS }, () => [semaphore, stats, statsLock, 300]),
  );
  equal(stats.array[0], 0);
  ok(stats.array[1]! >= 1 && stats.array[1]! <= 2, `most inside: ${stats.array[1]}`);
  equal(semaphore.value, 2);
});

Deno.test("Semaphore times out, aborts, and checks its arguments", async () => {
  const semaphore = new Semaphore({ value: 0 });
  throws(() => semaphore.acquire({ timeout: 5 }), TimeoutError);
  const controller = new AbortController();
  const waiting = semaphore.acquireAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  equal(semaphore.tryAcquire(), false);
  semaphore.release(2);
  equal(semaphore.value, 2);
  await semaphore.acquireAsync({ timeout: 100 });
  equal(semaphore.value, 1);
  throws(() => semaphore.release(0), RangeError);
  throws(() => new Semaphore({ value: -1 }), RangeError);
});

Deno.test("BoundedSemaphore refuses to go above its initial value", () => {
  const semaphore = new BoundedSemaphore({ value: 2 });
  semaphore.acquire();
  semaphore.release();
  throws(() => semaphore.release(), { name: "RangeError", message: /released too many times/ });
  equal(semaphore.value, 2);
});

Deno.test("Event wakes a waiting worker, and its waits time out and abort", async () => {
  const event = new Event();
  deepEqual(await runInWorker(tasks.waitEvent, event, 5), { ok: true, value: "TimeoutError" });
  const waiter = runInWorker(tasks.waitEvent, event, 30_000);
  event.set();
  deepEqual(await waiter, { ok: true, value: "set" });
  event.clear();
  equal(event.isSet(), false);
  const controller = new AbortController();
  const waiting = event.waitAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  await rejects(event.waitAsync({ timeout: 1 }), TimeoutError);
});

Deno.test("Condition passes 200 items between two workers one at a time", async () => {
  const cond = new Condition();
  const box = new RawArray("i", 2); // [full, item]
  const [consumer, producer] = await Promise.all([
    runInWorker(tasks.consume, cond, box, 200),
    runInWorker(tasks.produce, cond, box, 200),
  ]);
  deepEqual(consumer, { ok: true, value: (200 * 201) / 2 });
  deepEqual(producer, { ok: true, value: 200 });
});

Deno.test("Condition.wait() needs its lock, times out, aborts, and holds the lock after", async () => {
  const lock = new Lock();
  const cond = new Condition({ lock });
  throws(() => cond.wait(), {
    message: "Cannot wait on condition: its lock is not held by this thread",
  });
  throws(() => cond.notify(), { message: /its lock is not held/ });
  using _ = cond.hold();
  throws(() => cond.wait({ timeout: 5 }), TimeoutError);
  equal(lock.locked, true);
  const controller = new AbortController();
  const waiting = cond.waitAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  equal(lock.locked, true);
  await rejects(cond.waitForAsync(() => false, { timeout: 5 }), TimeoutError);
  equal(cond.waitFor(() => "ready"), "ready");
  throws(() => new Condition({ lock: {} as Lock }), TypeError);
});

Deno.test("Condition with an RLock held twice lets go of it fully while waiting", async () => {
  const cond = new Condition();
  cond.acquire();
  cond.acquire();
  const waiting = cond.waitAsync({ timeout: 30_000 });
  const outcome = await runInWorker(tasks.tryLock, cond.lock, 10_000);
  deepEqual(outcome, { ok: true, value: "acquired" });
  cond.acquire();
  cond.notify();
  cond.release();
  await waiting;
  cond.release();
  cond.release();
  equal(cond.lock.locked, false);
});

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

Deno.test("RLock waits time out and abort while another thread holds it", async () => {
  const lock = new RLock();
  const other = new Lock(); // the worker holds `lock` until `other` is released
  other.acquire();
  const holder = runInWorker(tasks.holdRLockUntil, lock, other);
  while (!lock.locked) await new Promise((resolve) => setTimeout(resolve, 1));
  equal(lock.tryAcquire(), false);
  throws(() => lock.acquire({ timeout: 5 }), TimeoutError);
  await rejects(lock.acquireAsync({ timeout: 5 }), TimeoutError);
  const controller = new AbortController();
  const waiting = lock.acquireAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  other.release();
  deepEqual(await holder, { ok: true, value: true });
  await lock.acquireAsync({ timeout: 10_000 });
  lock.release();
});

Deno.test("Semaphore rejects a wrong-typed option with a TypeError and an out-of-range one with a RangeError", () => {
  throws(() => new Semaphore({ value: "3" as unknown as number }), {
    name: "TypeError",
    message: "Cannot make semaphore: value must be a number: received string",
  });
  throws(() => new BoundedSemaphore({ value: 2n as unknown as number }), TypeError);
  throws(() => new Semaphore(null as never), {
    name: "TypeError",
    message: "Cannot make semaphore: options must be an object: received null",
  });
  throws(() => new Semaphore({ value: -1 }), RangeError);
  throws(() => new BoundedSemaphore({ value: 1.5 }), RangeError);
  equal(new Semaphore({ value: 0 }).value, 0);
});
