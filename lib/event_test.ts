import { deepEqual, equal, rejects } from "node:assert/strict";
import { Event } from "./event.ts";
import { runInWorker } from "./testdata/shared_spawn.ts";
import { tasks } from "./testdata/shared_tasks.ts";

Deno.test("Event wakes a waiting worker, and its waits time out and abort", async () => {
  const event = new Event();
  deepEqual(await runInWorker(tasks.waitEvent, event, 5), { ok: true, value: "timed out" });
  const waiter = runInWorker(tasks.waitEvent, event, 30_000);
  event.set();
  deepEqual(await waiter, { ok: true, value: "set" });
  event.clear();
  equal(event.isSet(), false);
  const controller = new AbortController();
  const waiting = event.waitAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  equal(await event.waitAsync({ timeout: 1 }), false);
});

Deno.test("Event.wait() returns the flag: false on a timeout, true once set (_TestEvent.test_event)", async () => {
  const event = new Event();
  equal(event.wait({ timeout: 0 }), false);
  equal(event.wait({ timeout: 1 }), false);
  equal(event.wait({ timeout: -1 }), false);
  equal(await event.waitAsync({ timeout: 1 }), false);
  equal(Deno.inspect(event), "Event { set: false }");
  const waiter = runInWorker(tasks.waitEvent, event, 30_000);
  event.set();
  deepEqual(await waiter, { ok: true, value: "set" });
  equal(event.wait(), true);
  equal(event.wait({ timeout: 0 }), true);
  equal(await event.waitAsync(), true);
  equal(Deno.inspect(event), "Event { set: true }");
});
