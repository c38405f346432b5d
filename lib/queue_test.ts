import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { TimeoutError } from "./timeout.ts";
import { JoinableQueue } from "./joinable_queue.ts";
import { Queue } from "./queue.ts";
import { QueueClosedError, QueueEmptyError, QueueFullError } from "./queue_errors.ts";
import { SimpleQueue } from "./simple_queue.ts";
import { Event } from "./event.ts";
import { Lock } from "./lock.ts";
import { runAll, runInWorker, runInWorkerWithin } from "./testdata/shared_spawn.ts";
import { queueTasks } from "./testdata/shared_tasks.ts";

Deno.test("Queue of maxsize 1 under 3 producers and 3 consumers loses and duplicates nothing", async () => {
  const queue = new Queue<[number, number]>({ maxsize: 1 });
  const count = 400;
  const consumers = runAll(queueTasks.consumeItems, [[queue], [queue], [queue]]);
  const produced = await runAll(queueTasks.produceItems, [[queue, 0, count], [queue, 1, count], [
    queue,
    2,
    count,
  ]]);
  deepEqual(produced, [count, count, count]);
  queue.close();
  const taken = (await consumers).flat();
  equal(taken.length, 3 * count);
  const keys = new Set(taken.map(([producer, i]) => producer * count + i));
  equal(keys.size, 3 * count);
  for (const part of await consumers) {
    // Each consumer sees each producer's items in the order they were put.
    for (let producer = 0; producer < 3; producer++) {
      const mine = part.filter(([p]) => p === producer).map(([, i]) => i);
      deepEqual(mine, [...mine].sort((a, b) => a - b));
    }
  }
});

Deno.test("Queue keeps FIFO order across its buffer's wrap-around", () => {
  const queue = new Queue<string>({ capacity: 100 });
  const seen: string[] = [];
  for (let i = 0; i < 200; i++) {
    queue.put("x".repeat(i % 13) + i, { timeout: 1000 });
    if (i % 3 === 2) {
      while (!queue.empty()) seen.push(queue.get());
    }
  }
  while (!queue.empty()) seen.push(queue.get());
  deepEqual(seen, Array.from({ length: 200 }, (_, i) => "x".repeat(i % 13) + i));
});

Deno.test("Queue copies structured-cloneable items", () => {
  const queue = new Queue();
  const item = {
    n: 1,
    big: 2n ** 70n,
    map: new Map([["a", [1, 2]]]),
    date: new Date(5),
    u: new Uint8Array([3]),
  };
  queue.put(item);
  deepEqual(queue.get(), item);
  const plain = [0, -0, 1.5, -(2 ** 60), Number.NaN, Infinity, "", "héllo ✓ 𝄞", undefined, null];
  for (const value of plain) queue.put(value);
  for (const value of plain) equal(Object.is(queue.get(), value), true, String(value));
});

Deno.test("Queue refuses items it cannot carry, with a clear error", () => {
  const queue = new Queue({ capacity: 64 });
  throws(() => queue.put(() => 1), { name: "TypeError", message: /cannot be copied/ });
  throws(() => queue.put(new Lock()), { name: "TypeError", message: /shared objects/ });
  throws(() => queue.put("y".repeat(100)), {
    name: "RangeError",
    message: /more than the queue's capacity of 64: make the queue with a larger capacity/,
  });
  equal(queue.qsize(), 0);
});

Deno.test("Queue's waits time out, abort, and the nowait forms fail at once", async () => {
  const queue = new Queue<number>({ maxsize: 1 });
  throws(() => queue.getNowait(), QueueEmptyError);
  throws(() => queue.get({ timeout: 5 }), QueueEmptyError);
  await rejects(queue.getAsync({ timeout: 5 }), QueueEmptyError);
  queue.putNowait(1);
  ok(queue.full());
  throws(() => queue.putNowait(2), QueueFullError);
  throws(() => queue.put(2, { timeout: 5 }), QueueFullError);
  await rejects(queue.putAsync(2, { timeout: 5 }), QueueFullError);
  const controller = new AbortController();
  const waiting = queue.putAsync(3, { signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  equal(queue.get(), 1);
  const getter = new AbortController();
  const getting = queue.getAsync({ signal: getter.signal });
  getter.abort(new Error("enough"));
  await rejects(getting, { message: "enough" });
  equal(queue.qsize(), 0);
  throws(() => new Queue({ maxsize: -1 }), RangeError);
  throws(() => new Queue({ capacity: 1 }), RangeError);
});

Deno.test("Queue.close() lets gets drain, then ends them and async iteration in workers", async () => {
  const queue = new Queue<number>();
  const consumer = runInWorker(queueTasks.consumeAsync, queue);
  for (let i = 0; i < 100; i++) await queue.putAsync(i);
  queue.close();
  ok(queue.closed);
  throws(() => queue.put(1), QueueClosedError);
  deepEqual(await consumer, { ok: true, value: Array.from({ length: 100 }, (_, i) => i) });
  throws(() => queue.get(), {
    name: "QueueClosedError",
    message: "Cannot get item: the queue is closed and empty",
  });
});

Deno.test("JoinableQueue.join() waits until workers marked every item done", async () => {
  const queue = new JoinableQueue<number>({ maxsize: 4 });
  const workers = runAll(queueTasks.work, [[queue, 50], [queue, 50]]);
  for (let i = 1; i <= 100; i++) queue.put(i);
  await queue.joinAsync({ timeout: 30_000 });
  equal((await workers).reduce((a, b) => a + b), 5050);
  queue.join({ timeout: 0 });
  throws(() => queue.taskDone(), RangeError);
  queue.put(1);
  throws(() => queue.join({ timeout: 5 }), {
    name: "TimeoutError",
    message: /1 tasks still unfinished/,
  });
  equal(queue.get(), 1);
  queue.taskDone();
  queue.join();
});

Deno.test("SimpleQueue carries items from workers", async () => {
  const queue = new SimpleQueue<string>();
  await runAll(queueTasks.putSimple, [[queue, "a"], [queue, "bb"]]);
  deepEqual([queue.get(), await queue.getAsync()].sort(), ["a", "bb"]);
  ok(queue.empty());
  queue.close();
  throws(() => queue.put("c"), QueueClosedError);
});

Deno.test("JoinableQueue.joinAsync() aborts; SimpleQueue.get() times out", async () => {
  const queue = new JoinableQueue<number>();
  queue.put(1);
  const controller = new AbortController();
  const joining = queue.joinAsync({ signal: controller.signal });
  controller.abort();
  await rejects(joining, { name: "AbortError" });
  await rejects(queue.joinAsync({ timeout: 5 }), TimeoutError);
  const simple = new SimpleQueue<number>();
  throws(() => simple.get({ timeout: 5 }), QueueEmptyError);
  await rejects(simple.getAsync({ timeout: 5 }), QueueEmptyError);
});

Deno.test("Queue's nowait forms under contention throw only QueueEmptyError and QueueFullError", async () => {
  const queue = new Queue<number>({ maxsize: 4 });
  const started = new Event();
  const stop = new Event();
  const other = runInWorkerWithin(30_000, queueTasks.churn, queue, started, stop, 10_000_000);
  await started.waitAsync({ timeout: 10_000 });
  const wrong = new Set<string>();
  for (let i = 0; i < 200_000; i++) {
    for (const step of [() => queue.putNowait(i), () => queue.getNowait()]) {
      try {
        step();
      } catch (error) {
        if (!(error instanceof QueueEmptyError || error instanceof QueueFullError)) {
          wrong.add(`${(error as Error).name}: ${(error as Error).message}`);
        }
      }
    }
  }
  stop.set();
  const outcome = await other;
  deepEqual([...wrong], []);
  equal(outcome.ok, true, JSON.stringify(outcome));
});

Deno.test("Queue rejects a wrong-typed option with a TypeError and an out-of-range one with a RangeError", () => {
  throws(() => new Queue({ maxsize: "big" as unknown as number }), {
    name: "TypeError",
    message: "Cannot make queue: maxsize must be a number: received string",
  });
  throws(() => new JoinableQueue({ capacity: "64" as unknown as number }), TypeError);
  throws(() => new SimpleQueue({ capacity: true as unknown as number }), TypeError);
  throws(() => new Queue(5 as never), {
    name: "TypeError",
    message: "Cannot make queue: options must be an object: received number",
  });
  throws(() => new SimpleQueue(null as never), TypeError);
  throws(() => new Queue({ maxsize: -1 }), RangeError);
  throws(() => new Queue({ capacity: 1.5 }), RangeError);
  equal(new Queue({ maxsize: 2, capacity: 16 }).maxsize, 2);
});

Deno.test("QueueEmptyError and QueueFullError are not TimeoutErrors (_TestQueue.test_get, test_put)", () => {
  const queue = new Queue<number>({ maxsize: 1 });
  throws(() => queue.get({ timeout: 1 }), (error: Error) => {
    ok(error instanceof QueueEmptyError);
    ok(!(error instanceof TimeoutError));
    return true;
  });
  queue.put(1);
  throws(() => queue.put(2, { timeout: 1 }), (error: Error) => {
    ok(error instanceof QueueFullError);
    ok(!(error instanceof TimeoutError));
    return true;
  });
});

Deno.test("Queue.put() and get() with block: false try once, whatever the timeout (_TestQueue.test_put, test_get)", () => {
  const queue = new Queue<number>({ maxsize: 1 });
  throws(() => queue.get({ block: false, timeout: 60_000 }), QueueEmptyError);
  throws(() => queue.get({ timeout: -1 }), QueueEmptyError);
  queue.put(1, { block: false });
  throws(() => queue.put(2, { block: false, timeout: 60_000 }), QueueFullError);
  throws(() => queue.put(2, { timeout: -1 }), QueueFullError);
  equal(queue.get({ block: false }), 1);
});

Deno.test('Deno.inspect shows a Queue\'s size, limit and state (Symbol.for("Deno.customInspect"))', () => {
  const queue = new Queue<number>({ maxsize: 3 });
  queue.put(1);
  equal(Deno.inspect(queue), "Queue { size: 1, maxsize: 3, closed: false }");
  queue.close();
  equal(Deno.inspect(queue), "Queue { size: 1, maxsize: 3, closed: true }");
  equal(Deno.inspect(new JoinableQueue()), "JoinableQueue { size: 0, maxsize: 0, closed: false }");
});
