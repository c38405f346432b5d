import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { activeChildren } from "./_children.ts";
import { AsyncResult, BrokenPoolError, PoolClosedError, TimeoutError } from "./async_result.ts";
import { defaultChunksize, Pool } from "./pool.ts";
import { tasks } from "./testdata/tasks.ts";
import { within } from "./testdata/deadline.ts";
import { taskFromExport } from "./task.ts";

const TASKS_FILE = "testdata/tasks.ts";

function poolWorkers(): number {
  return activeChildren().filter((child) => child.kind === "pool").length;
}

Deno.test("Pool.map() keeps input order when later items finish first", async () => {
  await using pool = new Pool({ processes: 2 });
  const input = [[1, 60], [2, 40], [3, 20], [4, 0]] as [number, number][];
  deepEqual(await pool.starmap(tasks.slowIdentity, input, { chunksize: 1 }), [1, 2, 3, 4]);
  const squares = await pool.map(tasks.square, Array.from({ length: 1000 }, (_, i) => i));
  deepEqual(squares, Array.from({ length: 1000 }, (_, i) => i * i));
});

Deno.test("Pool.map() chunks by CPython's rule by default and by chunksize when given", async () => {
  equal(defaultChunksize(100, 2), 13);
  equal(defaultChunksize(8, 2), 1);
  equal(defaultChunksize(0, 4), 0);
  await using pool = new Pool({ processes: 2 });
  await pool.map(tasks.square, Array.from({ length: 100 }, (_, i) => i));
  equal(pool.stats().chunksSent, Math.ceil(100 / 13));
  await pool.map(tasks.square, [1, 2, 3, 4, 5], { chunksize: 1 });
  equal(pool.stats().chunksSent, 8 + 5);
  await pool.map(tasks.square, [1, 2, 3, 4, 5], { chunksize: 10 });
  equal(pool.stats().chunksSent, 8 + 5 + 1);
  deepEqual(await pool.map(tasks.square, []), []);
  equal(pool.stats().chunksSent, 14);
  equal(pool.stats().tasksCompleted, 110);
});

Deno.test("Pool.map() rejects a chunksize that is not a positive integer", async () => {
  await using pool = new Pool({ processes: 1 });
  await rejects(pool.map(tasks.square, [1], { chunksize: 0 }), {
    name: "RangeError",
    message: "Cannot map: chunksize must be a positive integer: received 0",
  });
  throws(() => pool.imap(tasks.square, [1], { bufferSize: 1.5 }), RangeError);
});

Deno.test("Pool.starmap() and Pool.apply() pass each argument list", async () => {
  await using pool = new Pool({ processes: 2 });
  deepEqual(await pool.starmap(tasks.add, [[1, 2], [3, 4]]), [3, 7]);
  equal(await pool.apply(tasks.add, [20, 22]), 42);
  deepEqual(await pool.starmapAsync(tasks.add, [[5, 5]]).get(), [10]);
  await rejects(pool.starmap(tasks.add, [5 as unknown as [number, number]]), {
    name: "TypeError",
    message: "Cannot starmap: each item must be an array of arguments: received number",
  });
});

Deno.test("Pool.applyAsync() calls callback or errorCallback before get() settles", async () => {
  await using pool = new Pool({ processes: 2 });
  const seen: unknown[] = [];
  const good = pool.applyAsync(tasks.square, [9], { callback: (value) => seen.push(value) });
  const bad = pool.applyAsync(tasks.fail, [3], { errorCallback: (error) => seen.push(error) });
  equal(await good.get(), 81);
  await rejects(bad.get(), TypeError);
  equal(seen.length, 2);
  ok(seen.includes(81));
  equal(good.successful(), true);
  equal(bad.successful(), false);
});

Deno.test("AsyncResult.get() times out while not ready and the task goes on", async () => {
  await using pool = new Pool({ processes: 1 });
  const result = pool.applyAsync(tasks.slowIdentity, [7, 200]);
  equal(result.ready(), false);
  throws(() => result.successful(), TypeError);
  await rejects(result.get({ timeout: 1 }), TimeoutError);
  await result.wait({ timeout: 1 });
  await result.wait();
  equal(result.ready(), true);
  equal(await result.get({ timeout: 0 }), 7);
  equal(await result.get({ timeout: -1 }), 7);
  throws(() => result.get({ timeout: NaN }), RangeError);
});

Deno.test("AsyncResult.get() and wait() take a negative timeout as 0, as Python's threading waits do (_TestPool.test_async_timeout)", async () => {
  await using pool = new Pool({ processes: 1 });
  const result = pool.applyAsync(tasks.slowIdentity, [3, 200]);
  await rejects(result.get({ timeout: -5 }), TimeoutError);
  await result.wait({ timeout: -5 });
  equal(result.ready(), false);
  equal(await result.get(), 3);
});

Deno.test("Pool.map(), starmap() and apply() name themselves in their errors, not their async forms", async () => {
  await using pool = new Pool({ processes: 1 });
  const misspelt = (tasks as Record<string, unknown>).sqaure as typeof tasks.square;
  await rejects(pool.map(misspelt, [1]), {
    name: "TypeError",
    message: /^Cannot map: expected a task/,
  });
  await rejects(pool.starmap(misspelt, [[1]]), { name: "TypeError", message: /^Cannot starmap: / });
  await rejects(pool.apply(misspelt, [1]), { name: "TypeError", message: /^Cannot apply: / });
  throws(() => pool.applyAsync(misspelt, [1]), {
    name: "TypeError",
    message: /^Cannot applyAsync: /,
  });
});

Deno.test("AsyncResult.get() and wait() wait for the result with a timeout of Infinity or past 2^31 ms", async () => {
  const pool = new Pool({ processes: 1 });
  try {
    for (const timeout of [Infinity, 2 ** 31, 2 ** 40]) {
      const result = pool.applyAsync(tasks.slowIdentity, [timeout, 50]);
      await within(result.wait({ timeout }), `wait({ timeout: ${timeout} })`);
      equal(result.ready(), true, `wait({ timeout: ${timeout} }) returned before the result`);
      const again = pool.applyAsync(tasks.slowIdentity, [timeout, 50]);
      equal(await within(again.get({ timeout }), `get({ timeout: ${timeout} })`), timeout);
    }
  } finally {
    await pool.terminate();
  }
});

Deno.test("AsyncResult.get() stops waiting, not the task, when its signal aborts", async () => {
  await using pool = new Pool({ processes: 1 });
  const result = pool.applyAsync(tasks.slowIdentity, [8, 100]);
  const controller = new AbortController();
  const waiting = result.get({ signal: controller.signal });
  controller.abort(new Error("impatient"));
  await rejects(waiting, { message: "impatient" });
  equal(await result.get(), 8, "the task went on and its result is still there");
});

Deno.test("AsyncResult does not reject unhandled when nobody waits on a failed call", async () => {
  await using pool = new Pool({ processes: 1 });
  const result = pool.applyAsync(tasks.fail, [1]);
  await result.wait();
  equal(result.successful(), false);
  ok(result instanceof AsyncResult);
});

Deno.test("Pool.apply() rethrows a task's error with the worker's stack as its cause", async () => {
  await using pool = new Pool({ processes: 1 });
  const error = await pool.apply(tasks.fail, [5]).then(() => undefined, (thrown) => thrown);
  ok(error instanceof TypeError);
  equal(error.message, "Cannot take 5: it is odd");
  const cause = error.cause as Error;
  equal(cause.name, "RemoteError");
  match(cause.message, /Task "fail" failed in PoolWorker-\d+/);
  ok(cause.stack?.includes(TASKS_FILE), "the cause carries the worker's stack");
  equal(await pool.apply(tasks.square, [3]), 9, "the pool stays usable");
});

Deno.test("Pool.map() rejects with the error of a failing item", async () => {
  await using pool = new Pool({ processes: 2 });
  await rejects(pool.map(tasks.squareEven, [2, 4, 7, 8]), {
    name: "TypeError",
    message: "Cannot take 7: it is odd",
  });
  deepEqual(await pool.map(tasks.squareEven, [2, 4]), [4, 16]);
  equal(pool.stats().tasksFailed, 1);
});

Deno.test("Pool.apply() names the task whose result cannot be cloned", async () => {
  await using pool = new Pool({ processes: 1 });
  await rejects(pool.apply(tasks.unclonable, []), (error: Error) => {
    equal(error.name, "TypeError");
    match(error.message, /^Cannot return the result of task "unclonable": it cannot be cloned/);
    return true;
  });
  equal(await pool.apply(tasks.square, [2]), 4);
});

Deno.test("Pool.apply() names the task whose arguments cannot be cloned", async () => {
  await using pool = new Pool({ processes: 1 });
  const good = pool.apply(tasks.square, [3]);
  const bad = rejects(pool.apply(tasks.square, [() => 1] as never), {
    name: "TypeError",
    message: /^Cannot send the arguments of task "square": they cannot be cloned/,
  });
  equal(await good, 9, "a neighbour in the same batch still runs");
  await bad;
});

Deno.test("Pool.apply() fails with a clear error for a task the module lacks", async () => {
  await using pool = new Pool({ processes: 1 });
  const missing = taskFromExport<() => number>(
    new URL("./testdata/tasks.ts", import.meta.url),
    "nope",
  );
  await rejects(pool.apply(missing, []), {
    name: "TypeError",
    message: /has no task or function export named "nope"/,
  });
  throws(() => pool.applyAsync((() => 1) as never, []), {
    name: "TypeError",
    message: /workers cannot receive functions/,
  });
});

Deno.test("Pool breaks with BrokenPoolError when a worker calls Deno.exit()", async () => {
  const pool = new Pool({ processes: 2 });
  const pending = pool.applyAsync(tasks.slowIdentity, [1, 5_000]);
  const exit = pool.apply(tasks.exitWith, [3]);
  await rejects(exit, (error: Error) => {
    ok(error instanceof BrokenPoolError);
    match(error.message, /^Pool is broken: PoolWorker-\d+ exited with code 3/);
    return true;
  });
  await rejects(pending.get(), BrokenPoolError, "the other worker's task fails too");
  throws(() => pool.applyAsync(tasks.square, [1]), BrokenPoolError);
  await rejects(pool.map(tasks.square, [1]), BrokenPoolError);
  await pool.join();
  equal(pool.stats().workers, 0);
});

Deno.test("Pool breaks with BrokenPoolError on an uncaught error outside a task", async () => {
  const pool = new Pool({ processes: 1 });
  await rejects(pool.apply(tasks.throwLater, ["late boom"]), (error: Error) => {
    ok(error instanceof BrokenPoolError);
    match(error.message, /died of an uncaught error outside its task: late boom/);
    equal((error.cause as Error).message, "late boom");
    return true;
  });
  await pool.join();
});

Deno.test("Pool contains a task that runs out of memory within maxHeapMb", async () => {
  const pool = new Pool({ processes: 1, maxHeapMb: 32 });
  await rejects(pool.apply(tasks.exhaustMemory, []), (error: Error) => {
    ok(error instanceof BrokenPoolError);
    match(error.message, /ran out of memory \(maxHeapMb: 32\)/);
    equal((error.cause as { code?: string }).code, "ERR_WORKER_OUT_OF_MEMORY");
    return true;
  });
  await pool.join();
});

Deno.test("Pool breaks with BrokenPoolError when its initializer throws", async () => {
  const pool = new Pool({ processes: 1, initializer: tasks.fail, initargs: [9] });
  await rejects(pool.apply(tasks.square, [1]), {
    name: "BrokenPoolError",
    message: /initializer threw TypeError: Cannot take 9: it is odd/,
  });
  await pool.join();
});

Deno.test("Pool runs its initializer with initargs in every worker first", async () => {
  await using pool = new Pool({ processes: 2, initializer: tasks.remember, initargs: ["hi"] });
  const recalled = await pool.map(tasks.recall, [[], [], [], []] as never[], { chunksize: 1 });
  deepEqual(recalled, ["hi", "hi", "hi", "hi"]);
});

Deno.test("Pool replaces a worker after maxTasksPerChild jobs", async () => {
  await using pool = new Pool({ processes: 1, maxTasksPerChild: 2 });
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await pool.apply(tasks.threadId, []));
  equal(new Set(ids).size, 3, "5 jobs at 2 per worker need 3 workers");
  const stats = pool.stats();
  equal(stats.perWorker.length, 3);
  deepEqual(stats.perWorker.map((worker) => worker.chunks), [2, 2, 1]);
  equal(stats.workers, 1);
});

Deno.test("Pool calls reject with the signal's reason when aborted", async () => {
  await using pool = new Pool({ processes: 1 });
  await rejects(pool.map(tasks.square, [1], { signal: AbortSignal.abort(new Error("early")) }), {
    message: "early",
  });
  const controller = new AbortController();
  const slow = pool.applyAsync(tasks.slowIdentity, [1, 100], { signal: controller.signal });
  const queued = pool.map(tasks.square, [1, 2, 3], { signal: controller.signal, chunksize: 1 });
  controller.abort(new Error("stop"));
  await rejects(slow.get(), { message: "stop" });
  await rejects(queued, { message: "stop" });
  equal(await pool.apply(tasks.square, [6]), 36, "the pool stays usable");
});

Deno.test("Pool.close() lets submitted work finish and refuses new calls", async () => {
  const pool = new Pool({ processes: 2 });
  await rejects(pool.join(), TypeError);
  const results = pool.map(tasks.slowIdentity as never, [], {});
  const pending = pool.starmapAsync(tasks.slowIdentity, [[1, 30], [2, 30], [3, 30]], {
    chunksize: 1,
  });
  pool.close();
  throws(() => pool.applyAsync(tasks.square, [1]), {
    name: "PoolClosedError",
    message: "Cannot applyAsync: the pool is closed: make calls before close(), or use a new pool",
  });
  deepEqual(await results, []);
  deepEqual(await pending.get(), [1, 2, 3]);
  await pool.join();
  equal(poolWorkers(), 0);
});

Deno.test("Pool.join() resolves after close() when a job's arguments could not be cloned", async () => {
  const pool = new Pool({ processes: 1 });
  try {
    const bad = pool.applyAsync(tasks.square, [(() => 1) as never]);
    pool.close();
    await rejects(within(bad.get(), "bad.get()"), TypeError);
    await within(pool.join(), "join()");
    equal(pool.stats().workers, 0);
  } finally {
    await pool.terminate();
  }
});

Deno.test("Pool.join() resolves after close() when an aborted call was still queued", async () => {
  const pool = new Pool({ processes: 1 });
  try {
    const controller = new AbortController();
    const aborted = pool.applyAsync(tasks.square, [3], { signal: controller.signal });
    controller.abort(new Error("never mind"));
    pool.close();
    await rejects(within(aborted.get(), "aborted.get()"), { message: "never mind" });
    await within(pool.join(), "join()");
    equal(pool.stats().workers, 0);
  } finally {
    await pool.terminate();
  }
});

Deno.test("Pool.join() resolves after close() when a replacement worker's job could not be cloned", async () => {
  const pool = new Pool({ processes: 1, maxTasksPerChild: 1 });
  try {
    const first = pool.applyAsync(tasks.square, [2]);
    const bad = pool.applyAsync(tasks.square, [(() => 1) as never]);
    pool.close();
    equal(await within(first.get(), "first.get()"), 4);
    await rejects(within(bad.get(), "bad.get()"), TypeError);
    await within(pool.join(), "join()");
    deepEqual(pool.stats().perWorker.map((worker) => worker.alive), [false, false]);
  } finally {
    await pool.terminate();
  }
});

Deno.test("Pool.terminate() stops the workers and fails pending calls", async () => {
  const pool = new Pool({ processes: 1 });
  const pending = pool.applyAsync(tasks.slowIdentity, [1, 5_000]);
  await pool.terminate();
  await rejects(pending.get(), PoolClosedError);
  throws(() => pool.applyAsync(tasks.square, [1]), PoolClosedError);
  await pool.join();
  equal(pool.stats().workers, 0);
});

Deno.test("Pool.terminate() lets the process exit while a task spins forever", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./testdata/spin_then_terminate.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  equal(new TextDecoder().decode(output.stdout).trim(), "terminated");
  equal(output.code, 0);
});

Deno.test("Pool does not keep the process alive when idle and never closed", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./testdata/spin_then_terminate.ts", import.meta.url).pathname,
      "forget",
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  equal(new TextDecoder().decode(output.stdout).trim(), "16");
  equal(output.code, 0);
});

Deno.test("Pool with await using closes and joins its workers", async () => {
  const before = poolWorkers();
  {
    await using pool = new Pool({ processes: 2 });
    equal(poolWorkers(), before + 2);
    equal(await pool.apply(tasks.square, [5]), 25);
  }
  equal(poolWorkers(), before);
});

Deno.test("Pool.imap() yields results in input order", async () => {
  await using pool = new Pool({ processes: 2 });
  const slowFirst: number[] = [];
  for await (const value of pool.imap(tasks.sleepFor, [60, 0, 30])) slowFirst.push(value);
  deepEqual(slowFirst, [60, 0, 30]);
  const squares: number[] = [];
  for await (const value of pool.imap(tasks.square, [1, 2, 3, 4, 5], { chunksize: 2 })) {
    squares.push(value);
  }
  deepEqual(squares, [1, 4, 9, 16, 25]);
});

Deno.test("Pool.imapUnordered() yields results as they complete", async () => {
  await using pool = new Pool({ processes: 2 });
  await pool.map(tasks.square, [1, 2], { chunksize: 1 }); // both workers are up
  const order: number[] = [];
  const input = (async function* () {
    yield 300;
    yield 0;
  })();
  for await (const value of pool.imapUnordered(tasks.sleepFor, input)) order.push(value);
  deepEqual(order, [0, 300]);
});

Deno.test("Pool.imap() reads its input no further than its backpressure bound", async () => {
  await using pool = new Pool({ processes: 2 });
  let pulled = 0;
  function* endless() {
    while (true) yield pulled++;
  }
  const results: number[] = [];
  for await (const value of pool.imap(tasks.square, endless(), { bufferSize: 3, chunksize: 2 })) {
    results.push(value);
    if (results.length === 4) break;
  }
  deepEqual(results, [0, 1, 4, 9]);
  ok(pulled <= 4 + 3 * 2, `pulled ${pulled} items for 4 results`);
});

Deno.test("Pool.imap() throws a task's error at its place and cancels the rest", async () => {
  await using pool = new Pool({ processes: 2 });
  const results: number[] = [];
  await rejects(async () => {
    for await (const value of pool.imap(tasks.squareEven, [0, 2, 3, 4])) results.push(value);
  }, { name: "TypeError", message: "Cannot take 3: it is odd" });
  deepEqual(results, [0, 4]);
});

Deno.test("Pool.imap() stops with the signal's reason when aborted", async () => {
  await using pool = new Pool({ processes: 2 });
  const controller = new AbortController();
  const seen: number[] = [];
  await rejects(async () => {
    const input = [0, 0, 300, 300];
    for await (const value of pool.imap(tasks.sleepFor, input, { signal: controller.signal })) {
      seen.push(value);
      if (seen.length === 2) setTimeout(() => controller.abort(new Error("enough")), 10);
    }
  }, { message: "enough" });
  deepEqual(seen, [0, 0]);
  await rejects(async () => {
    for await (const _ of pool.imap(tasks.square, [1], { signal: controller.signal })) {
      // never reached: the signal is already aborted
    }
  }, { message: "enough" });
  equal(await pool.apply(tasks.square, [7]), 49, "the pool stays usable");
});

Deno.test("Pool answers quick tasks without waiting for a long task sent after them", async () => {
  const pool = new Pool({ processes: 1 });
  const flag = new Int32Array(new SharedArrayBuffer(4));
  try {
    // Many quick calls make the worker's credit large: the next three travel in one message.
    await pool.map(tasks.square, Array.from({ length: 500 }, (_, i) => i), { chunksize: 1 });
    const sent = pool.stats().messagesSent;
    const quick = [pool.applyAsync(tasks.square, [2]), pool.applyAsync(tasks.square, [3])];
    const blocked = pool.applyAsync(tasks.blockUntilSet, [flag]);
    const answers = await within(
      Promise.all(quick.map((result) => result.get())),
      "the quick calls, while the long one runs",
    );
    deepEqual(answers, [4, 9]);
    equal(pool.stats().messagesSent, sent + 1, "the three calls travelled together");
    equal(blocked.ready(), false);
    Atomics.store(flag, 0, 7);
    Atomics.notify(flag, 0);
    equal(await within(blocked.get(), "the long call"), 7);
  } finally {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    await pool.terminate();
  }
});

Deno.test("Pool.stats() counts tasks, chunks, messages and per-worker busy time", async () => {
  await using pool = new Pool({ processes: 2 });
  await pool.starmap(tasks.slowIdentity, [[1, 20], [2, 20], [3, 20], [4, 20]], { chunksize: 1 });
  await rejects(pool.apply(tasks.fail, [1]));
  const stats = pool.stats();
  equal(stats.workers, 2);
  equal(stats.tasksSubmitted, 5);
  equal(stats.tasksCompleted, 4);
  equal(stats.tasksFailed, 1);
  equal(stats.chunksSent, 5);
  ok(stats.messagesSent >= 2 && stats.messagesSent <= 5);
  ok(stats.messagesReceived >= 2 && stats.messagesReceived <= 5);
  equal(stats.perWorker.length, 2);
  equal(stats.perWorker.reduce((sum, worker) => sum + worker.tasks, 0), 5);
  ok(stats.perWorker.every((worker) => worker.tasks > 0), "both workers ran tasks");
  ok(stats.perWorker.reduce((sum, worker) => sum + worker.busyMs, 0) >= 4 * 19);
  ok(stats.perWorker.every((worker) => worker.alive && worker.name.startsWith("PoolWorker-")));
});

Deno.test("Pool moves SharedArrayBuffers shared and transfers ArrayBuffers on request", async () => {
  await using pool = new Pool({ processes: 2 });
  const shared = new Int32Array(new SharedArrayBuffer(8));
  await pool.starmap(tasks.store, [[shared, 0, 11], [shared, 1, 22]], { chunksize: 1 });
  deepEqual([...shared], [11, 22]);
  const buffer = new ArrayBuffer(64);
  equal(await pool.apply(tasks.byteLength, [buffer], { transfer: [buffer] }), 64);
  equal(buffer.byteLength, 0, "the caller's buffer was moved, not copied");
  const numbers = await pool.apply(tasks.filled, [1000, 2.5]);
  equal(numbers.length, 1000);
  equal(numbers[999], 2.5);
  const lengths = await pool.map(tasks.lastFilledLength as never, [undefined, undefined], {
    chunksize: 1,
  });
  ok(lengths.includes(0), "the worker's copy was moved with transferResult()");
});

Deno.test("Pool.applyAsync() rejects a transfer list that is not an array of ArrayBuffers", async () => {
  await using pool = new Pool({ processes: 1 });
  const view = new Uint8Array(8);
  throws(() => pool.applyAsync(tasks.byteLength, [view.buffer], { transfer: [view as never] }), {
    name: "TypeError",
    message:
      "Cannot applyAsync: transfer must be an array of ArrayBuffers: received Uint8Array at index 0 (transfer its .buffer)",
  });
  await rejects(pool.apply(tasks.byteLength, [view.buffer], { transfer: view.buffer as never }), {
    name: "TypeError",
    message: "Cannot apply: transfer must be an array of ArrayBuffers: received ArrayBuffer",
  });
  equal(view.byteLength, 8, "nothing was moved");
  equal(pool.stats().tasksSubmitted, 0);
});

Deno.test("new Pool() rejects bad options with a clear message", () => {
  throws(() => new Pool({ processes: 0 }), {
    name: "RangeError",
    message: "Cannot start pool: processes must be a positive integer: received 0",
  });
  throws(() => new Pool({ processes: "2" as never }), {
    name: "TypeError",
    message: "Cannot start pool: processes must be a positive integer: received string",
  });
  throws(() => new Pool({ maxTasksPerChild: 0 }), RangeError);
  throws(() => new Pool({ maxHeapMb: -1 }), {
    name: "RangeError",
    message: "Cannot start pool: maxHeapMb must be a positive number of MiB: received -1",
  });
  throws(() => new Pool({ maxHeapMb: "big" as never }), {
    name: "TypeError",
    message: "Cannot start pool: maxHeapMb must be a positive number of MiB: received string",
  });
  throws(() => new Pool({ initializer: (() => 1) as never }), TypeError);
  throws(() => new Pool({ initargs: [1] }), {
    name: "TypeError",
    message: "Cannot start pool: initargs were given without an initializer",
  });
  equal(poolWorkers(), 0);
});

Deno.test("Pool methods take argument and result types from the task", () => {
  // Compiled, never run: each @ts-expect-error line must fail to type-check.
  async function typed(pool: Pool): Promise<void> {
    const squared: number = await pool.apply(tasks.square, [3]);
    const sums: number[] = await pool.starmap(tasks.add, [[1, 2]]);
    const mapped: number[] = await pool.map(tasks.square, [1, 2]);
    // @ts-expect-error square takes a number, not a string
    await pool.apply(tasks.square, ["3"]);
    // @ts-expect-error add takes two arguments
    await pool.apply(tasks.add, [1]);
    // @ts-expect-error square returns a number
    const text: string = await pool.apply(tasks.square, [3]);
    // @ts-expect-error map's items are square's argument
    await pool.map(tasks.square, ["a"]);
    // @ts-expect-error a task has a name; a typo is a compile error
    await pool.apply(tasks.sqaure, [3]);
    void [squared, sums, mapped, text];
  }
  equal(typeof typed, "function");
});

Deno.test("AsyncResult fails with the error its callback throws", async () => {
  await using pool = new Pool({ processes: 1 });
  const result = pool.applyAsync(tasks.square, [2], {
    callback: () => {
      throw new RangeError("callback broke");
    },
  });
  await rejects(result.get(), { name: "RangeError", message: "callback broke" });
  equal(result.successful(), false);
});

Deno.test("AsyncResult fails with the error its errorCallback throws; the pool goes on", async () => {
  const pool = new Pool({ processes: 1 });
  try {
    const bad = pool.applyAsync(tasks.fail, [1], {
      errorCallback: () => {
        throw new RangeError("errorCallback broke");
      },
    });
    const sibling = pool.applyAsync(tasks.square, [3]);
    await rejects(within(bad.get(), "bad.get()"), {
      name: "RangeError",
      message: "errorCallback broke",
    });
    equal(bad.successful(), false);
    equal(await within(sibling.get(), "sibling.get()"), 9, "a result in the same answer");
    pool.close();
    await within(pool.join(), "join()");
  } finally {
    await pool.terminate();
  }
});

Deno.test("Pool refuses to start from a task module's top level in a worker", async () => {
  await using pool = new Pool({ processes: 1 });
  const unguarded = taskFromExport<(x: number) => number>(
    new URL("./testdata/unguarded_tasks.ts", import.meta.url),
    "double",
  );
  await rejects(pool.apply(unguarded, [2]), {
    name: "Error",
    message: /^Cannot start pool: a worker is importing this task module.*import\.meta\.main/,
  });
  equal(await pool.apply(tasks.square, [3]), 9, "the pool stays usable");
});

Deno.test("Pool.stats() counts the calls of a chunk that ran before its failing item", async () => {
  await using pool = new Pool({ processes: 1 });
  await rejects(pool.map(tasks.squareEven, [2, 4, 7, 8], { chunksize: 4 }), TypeError);
  const stats = pool.stats();
  equal(stats.tasksCompleted, 2, "2 and 4 returned; 8 never ran");
  equal(stats.tasksFailed, 1);
  equal(stats.perWorker[0]!.tasks, 3);
});
