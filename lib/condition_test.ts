import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { RawArray } from "./shared_array.ts";
import { Condition } from "./condition.ts";
import { Lock } from "./lock.ts";
import { runInWorker } from "./testdata/shared_spawn.ts";
import { tasks } from "./testdata/shared_tasks.ts";

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
  equal(cond.wait({ timeout: 5 }), false);
  equal(lock.locked, true);
  const controller = new AbortController();
  const waiting = cond.waitAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  equal(lock.locked, true);
  equal(await cond.waitForAsync(() => false, { timeout: 5 }), false);
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

Deno.test("Condition.wait() returns false on a timeout and true when notified (_TestCondition.test_timeout)", async () => {
  const cond = new Condition();
  using _ = cond.hold();
  equal(cond.wait({ timeout: 1 }), false);
  equal(cond.wait({ timeout: -1 }), false);
  equal(await cond.waitAsync({ timeout: 1 }), false);
  equal(cond.lock.locked, true);
  const waiting = cond.waitAsync({ timeout: 30_000 });
  const notifier = runInWorker(tasks.notifyCondition, cond);
  equal(await waiting, true);
  deepEqual(await notifier, { ok: true, value: true });
});

Deno.test("Condition.waitFor() returns the predicate's last result, falsy on a timeout (_TestCondition.test_waitfor_timeout)", async () => {
  const cond = new Condition();
  using _ = cond.hold();
  equal(cond.waitFor(() => 0, { timeout: 1 }), 0);
  equal(cond.waitFor(() => false, { timeout: -1 }), false);
  equal(await cond.waitForAsync(() => "", { timeout: 1 }), "");
  equal(cond.waitFor(() => "ready", { timeout: 1 }), "ready");
});
