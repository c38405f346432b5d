import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { Event } from "./event.ts";
import { Lock, RLock } from "./lock.ts";
import { TimeoutError } from "./timeout.ts";
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
  equal(lock.acquire({ timeout: 5 }), false);
  throws(() => lock.hold({ timeout: 5 }), (error: Error) => {
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
  equal(await lock.acquireAsync({ timeout: 5 }), false);
  await rejects(lock.holdAsync({ timeout: 5 }), TimeoutError);
});

Deno.test("Lock.release() throws when the lock is not locked", () => {
  throws(() => new Lock().release(), { message: "Cannot release lock: it is not locked" });
});

Deno.test("Lock checks its wait options", () => {
  const lock = new Lock();
  throws(() => lock.acquire({ timeout: Number.NaN }), RangeError);
  throws(() => lock.acquire({ block: "no" as unknown as boolean }), TypeError);
  throws(() => lock.acquire({ signal: {} as AbortSignal }), TypeError);
});

Deno.test("Lock held by a worker that dies stays locked, and waiters time out", async () => {
  const lock = new Lock();
  const started = new Event();
  const outcome = await runInWorker(tasks.holdAndDie, lock, started);
  equal(outcome.ok, false);
  ok(started.isSet());
  equal(lock.locked, true);
  equal(lock.acquire({ timeout: 10 }), false);
  throws(() => lock.hold({ timeout: 10 }), (error: Error) => {
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

Deno.test("RLock waits time out and abort while another thread holds it", async () => {
  const lock = new RLock();
  const other = new Lock(); // the worker holds `lock` until `other` is released
  other.acquire();
  const holder = runInWorker(tasks.holdRLockUntil, lock, other);
  while (!lock.locked) await new Promise((resolve) => setTimeout(resolve, 1));
  equal(lock.tryAcquire(), false);
  equal(lock.acquire({ timeout: 5 }), false);
  throws(() => lock.hold({ timeout: 5 }), TimeoutError);
  equal(await lock.acquireAsync({ timeout: 5 }), false);
  await rejects(lock.holdAsync({ timeout: 5 }), TimeoutError);
  const controller = new AbortController();
  const waiting = lock.acquireAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  other.release();
  deepEqual(await holder, { ok: true, value: true });
  await lock.acquireAsync({ timeout: 10_000 });
  lock.release();
});

Deno.test("Lock.acquire() returns true, then false on a timeout or with block: false (_TestLock.test_lock)", () => {
  const lock = new Lock();
  equal(lock.acquire(), true);
  equal(lock.acquire({ block: false }), false);
  equal(lock.acquire({ timeout: 1 }), false);
  equal(lock.acquire({ timeout: -1 }), false); // a negative timeout acts as 0
  lock.release();
  equal(lock.acquire({ block: false, timeout: 60_000 }), true); // the timeout is ignored
  equal(lock.acquire({ block: false, timeout: 60_000 }), false); // ... also when it is taken
  lock.release();
  equal(lock.acquire({ timeout: -5 }), true);
  lock.release();
});

Deno.test("RLock.acquire() returns true for its holder at every level and false for another thread (_TestLock.test_rlock)", async () => {
  const lock = new RLock();
  equal(lock.acquire(), true);
  equal(lock.acquire({ block: false }), true);
  equal(await lock.acquireAsync({ timeout: 0 }), true);
  equal(await runInWorker(tasks.acquireResult, lock, 5).then((o) => o.ok && o.value), false);
  lock.release();
  lock.release();
  lock.release();
  equal(await runInWorker(tasks.acquireResult, lock, 5).then((o) => o.ok && o.value), true);
});

Deno.test("Deno.inspect shows a Lock's and an RLock's state (Symbol.for(\"Deno.customInspect\"))", () => {
  const lock = new Lock();
  equal(Deno.inspect(lock), "Lock { locked: false }");
  using _ = lock.hold();
  equal(Deno.inspect(lock), "Lock { locked: true }");
  equal(Deno.inspect(new RLock()), "RLock { locked: false }");
});
