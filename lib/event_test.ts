import { deepEqual, equal, rejects } from "node:assert/strict";
import { Event } from "./event.ts";
import { TimeoutError } from "./timeout.ts";
import { runInWorker } from "./testdata/shared_spawn.ts";
import { tasks } from "./testdata/shared_tasks.ts";

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
