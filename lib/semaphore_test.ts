import { equal, ok, rejects, throws } from "node:assert/strict";
import { RawArray } from "./shared_array.ts";
import { Lock } from "./lock.ts";
import { BoundedSemaphore, Semaphore } from "./semaphore.ts";
import { TimeoutError } from "./timeout.ts";
import { runAll } from "./testdata/shared_spawn.ts";
import { tasks } from "./testdata/shared_tasks.ts";

const WORKERS = 4;

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
  equal(semaphore.acquire({ timeout: 5 }), false);
  throws(() => semaphore.hold({ timeout: 5 }), TimeoutError);
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

Deno.test("Semaphore.acquire() returns false when it cannot take a unit in time (_TestSemaphore.test_timeout)", async () => {
  const semaphore = new Semaphore({ value: 0 });
  equal(semaphore.acquire({ block: false }), false);
  equal(semaphore.acquire({ block: false, timeout: 60_000 }), false);
  equal(semaphore.acquire({ timeout: 1 }), false);
  equal(semaphore.acquire({ timeout: -1 }), false);
  equal(await semaphore.acquireAsync({ timeout: 1 }), false);
  semaphore.release();
  equal(semaphore.acquire({ timeout: 1 }), true);
});

Deno.test("BoundedSemaphore.acquire() returns booleans, and release() past the bound throws (_TestSemaphore.test_bounded_semaphore)", () => {
  const semaphore = new BoundedSemaphore({ value: 2 });
  equal(semaphore.acquire(), true);
  equal(semaphore.acquire({ block: false }), true);
  equal(semaphore.acquire({ block: false }), false);
  semaphore.release();
  semaphore.release();
  throws(() => semaphore.release(), RangeError);
  equal(semaphore.value, 2);
});

Deno.test('Deno.inspect shows a Semaphore\'s value (Symbol.for("Deno.customInspect"))', () => {
  const semaphore = new Semaphore({ value: 3 });
  semaphore.acquire();
  equal(Deno.inspect(semaphore), "Semaphore { value: 2 }");
  equal(Deno.inspect(new BoundedSemaphore({ value: 1 })), "BoundedSemaphore { value: 1 }");
});
