// The Pool held against CPython's own tests (Lib/test/_test_multiprocessing.py: _TestPool,
// _TestPoolWorkerErrors, _TestPoolWorkerLifetime), ported to lib's API: awaits for blocking
// calls, options objects for keyword arguments, camelCase names. Each test names the CPython test
// it mirrors. Where a behaviour cannot hold in JavaScript, the API's JSDoc says why.
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { PoolClosedError } from "./async_result.ts";
import { Pool } from "./pool.ts";
import { tasks } from "./testdata/tasks.ts";
import { within } from "./testdata/deadline.ts";

/** CPython's SayWhenError: what the input iterable throws. */
class SayWhenError extends RangeError {
  override name = "SayWhenError";
}

/** CPython's exception_throwing_generator: yields 0, 1, ... and throws at `when` (-1: at once). */
function* throwingGenerator(total: number, when: number): Generator<number> {
  if (when === -1) throw new SayWhenError("Somebody said when");
  for (let i = 0; i < total; i++) {
    if (i === when) throw new SayWhenError("Somebody said when");
    yield i;
  }
}

/** The same, as an async generator: imap reads async inputs too. */
async function* throwingAsyncGenerator(total: number, when: number): AsyncGenerator<number> {
  for (const i of throwingGenerator(total, when)) {
    await Promise.resolve();
    yield i;
  }
}

/** Reads an imap into `seen` until it throws; returns what it threw (or undefined). */
async function readUntilThrow(results: AsyncIterable<number>, seen: number[]): Promise<unknown> {
  try {
    for await (const value of results) seen.push(value);
  } catch (error) {
    return error;
  }
  return undefined;
}

const squares = (n: number) => Array.from({ length: n }, (_, i) => i * i);

Deno.test("Pool.imap() yields results computed before the iterable threw (_TestPool.test_imap_handle_iterable_exception)", async () => {
  await using pool = new Pool({ processes: 2 });
  // [total, when, chunksize, results before the error]: a chunk cut short by the error is dropped.
  const cases = [[1, -1, 1, 0], [1, -1, 1, 0], [10, 3, 1, 3], [20, 7, 2, 6], [20, 7, 4, 4]];
  for (const [total, when, chunksize, before] of cases as [number, number, number, number][]) {
    for (const input of [throwingGenerator, throwingAsyncGenerator]) {
      const seen: number[] = [];
      const thrown = await readUntilThrow(
        pool.imap(tasks.square, input(total, when), { chunksize }),
        seen,
      );
      ok(
        thrown instanceof SayWhenError,
        `${input.name}(${total}, ${when}), chunksize ${chunksize}`,
      );
      deepEqual(seen, squares(before), `${input.name}(${total}, ${when}), chunksize ${chunksize}`);
    }
  }
  deepEqual(await pool.map(tasks.square, [1, 2]), [1, 4], "the pool stays usable");
});

Deno.test("Pool.imapUnordered() yields results computed before the iterable threw (_TestPool.test_imap_unordered_handle_iterable_exception)", async () => {
  await using pool = new Pool({ processes: 2 });
  const cases = [[1, -1, 1, 0], [1, -1, 1, 0], [10, 3, 1, 3], [20, 7, 2, 6], [20, 7, 4, 4]];
  for (const [total, when, chunksize, before] of cases as [number, number, number, number][]) {
    const seen: number[] = [];
    const thrown = await readUntilThrow(
      pool.imapUnordered(tasks.square, throwingGenerator(total, when), { chunksize }),
      seen,
    );
    ok(thrown instanceof SayWhenError);
    deepEqual(seen.sort((a, b) => a - b), squares(before), `chunksize ${chunksize}`);
  }
});

Deno.test("Pool.map() rejects with the iterable's own error, again and again (_TestPool.test_map_handle_iterable_exception)", async () => {
  await using pool = new Pool({ processes: 2 });
  for (const [total, when] of [[1, -1], [1, -1], [10, 3]] as const) {
    await rejects(pool.map(tasks.square, throwingGenerator(total, when), { chunksize: 1 }), {
      name: "SayWhenError",
    });
  }
  const special: Iterable<number> = {
    [Symbol.iterator]: () => ({
      next: (): IteratorResult<number> => {
        throw new SayWhenError("special");
      },
    }),
  };
  for (let i = 0; i < 2; i++) {
    await rejects(pool.map(tasks.square, special, { chunksize: 1 }), (error: Error) => {
      ok(error instanceof SayWhenError);
      equal(error.cause, undefined, "the caller's own error, not a remote one (test_traceback)");
      return true;
    });
  }
});

Deno.test("Pool.applyAsync() fails an unsendable result with the clone error as its cause, and keeps its workers (_TestPoolWorkerErrors.test_unpickleable_result)", async () => {
  await using pool = new Pool({ processes: 2 });
  for (let iteration = 0; iteration < 20; iteration++) {
    let passed: unknown;
    const result = pool.applyAsync(tasks.unclonable, [], {
      errorCallback: (error) => passed = error,
    });
    await rejects(result.get(), (error: Error) => {
      equal(error.name, "TypeError");
      equal(passed, error, "the errorCallback got the same error");
      const cause = error.cause as Error;
      ok(cause instanceof Error, "the clone error is kept");
      equal(cause.name, "DataCloneError");
      ok(cause.message.length > 0);
      return true;
    });
  }
  equal(pool.stats().workers, 2, "no worker was lost");
  equal(await pool.apply(tasks.square, [3]), 9);
});

Deno.test("Pool.map() fails unsendable arguments without a hang, the clone error as its cause (_TestPool.test_map_unplicklable)", async () => {
  await using pool = new Pool({ processes: 2 });
  const items = Array.from({ length: 10 }, () => () => 1);
  await rejects(within(pool.map(tasks.square, items as never), "map()"), (error: Error) => {
    equal(error.name, "TypeError");
    equal((error.cause as Error).name, "DataCloneError");
    return true;
  });
});

Deno.test("Pool.apply() runs a task with its arguments (_TestPool.test_apply, _TestPool.test_wrapped_exception)", async () => {
  await using pool = new Pool({ processes: 2 });
  equal(await pool.apply(tasks.square, [5]), 25);
  // Python's keyword arguments (`apply(sqr, (), {'x': 3})`) have no JavaScript form: a task
  // that wants named arguments takes one object.
  await rejects(pool.apply(tasks.fail, [3]), TypeError);
});

Deno.test("Pool.map() and Pool.mapAsync() return every result in order (_TestPool.test_map, _TestPool.test_map_async)", async () => {
  await using pool = new Pool({ processes: 2 });
  deepEqual(await pool.map(tasks.square, squares(10).map((_, i) => i)), squares(10));
  const hundred = Array.from({ length: 100 }, (_, i) => i);
  deepEqual(await pool.map(tasks.square, hundred, { chunksize: 20 }), squares(100));
  deepEqual(await pool.mapAsync(tasks.square, hundred.slice(0, 10)).get(), squares(10));
});

Deno.test("Pool.starmap() and Pool.starmapAsync() spread each argument list (_TestPool.test_starmap, _TestPool.test_starmap_async)", async () => {
  await using pool = new Pool({ processes: 2 });
  const pairs = (n: number) =>
    Array.from({ length: n }, (_, i) => [i, n - 1 - i] as [number, number]);
  deepEqual(await pool.starmap(tasks.add, pairs(10)), pairs(10).map(([a, b]) => a + b));
  deepEqual(await pool.starmap(tasks.add, pairs(100), { chunksize: 20 }), Array(100).fill(99));
  deepEqual(await pool.starmapAsync(tasks.add, pairs(100)).get(), Array(100).fill(99));
});

Deno.test("Pool.mapAsync() calls its callback or its errorCallback once (_TestPool.test_map_async_callbacks)", async () => {
  await using pool = new Pool({ processes: 2 });
  const calls: unknown[] = [];
  const record = (value: unknown) => void calls.push(value);
  await pool.mapAsync(tasks.square, [1], { callback: record, errorCallback: record }).wait();
  deepEqual(calls, [[1]]);
  await pool.mapAsync(tasks.fail, [1], { callback: record, errorCallback: record }).wait();
  equal(calls.length, 2);
  ok(calls[1] instanceof TypeError);
});

Deno.test("Pool.mapAsync() of an empty input with a chunksize settles at once (_TestPool.test_map_chunksize)", async () => {
  await using pool = new Pool({ processes: 2 });
  deepEqual(await within(pool.mapAsync(tasks.square, [], { chunksize: 1 }).get(), "get()"), []);
});

Deno.test("Pool.imap() and Pool.imapUnordered() yield every result (_TestPool.test_imap, _TestPool.test_imap_unordered)", async () => {
  await using pool = new Pool({ processes: 2 });
  deepEqual(
    await Array.fromAsync(pool.imap(tasks.square, squares(10).map((_, i) => i))),
    squares(10),
  );
  const thousand = Array.from({ length: 1000 }, (_, i) => i);
  deepEqual(
    await Array.fromAsync(pool.imap(tasks.square, thousand, { chunksize: 100 })),
    squares(1000),
  );
  const unordered = await Array.fromAsync(pool.imapUnordered(tasks.square, thousand));
  deepEqual(unordered.sort((a, b) => a - b), squares(1000));
  const by53 = await Array.fromAsync(pool.imapUnordered(tasks.square, thousand, { chunksize: 53 }));
  deepEqual(by53.sort((a, b) => a - b), squares(1000));
});

Deno.test("Pool methods return empty results for an empty input (_TestPool.test_empty_iterable)", async () => {
  const pool = new Pool({ processes: 1 });
  deepEqual(await pool.map(tasks.square, []), []);
  deepEqual(await Array.fromAsync(pool.imap(tasks.square, [])), []);
  deepEqual(await Array.fromAsync(pool.imapUnordered(tasks.square, [])), []);
  deepEqual(await pool.mapAsync(tasks.square, []).get(), []);
  pool.close();
  await within(pool.join(), "join()");
});

Deno.test("new Pool() refuses a processes count below 1 (_TestPool.test_make_pool)", async () => {
  throws(() => new Pool({ processes: -1 }), RangeError);
  throws(() => new Pool({ processes: 0 }), RangeError);
  const pool = new Pool({ processes: 3 });
  equal(pool.processes, 3);
  equal(pool.stats().workers, 3);
  pool.close();
  await within(pool.join(), "join()");
});

Deno.test("Pool.terminate() does not wait for the queued tasks (_TestPool.test_terminate)", async () => {
  const pool = new Pool({ processes: 2 });
  const result = pool.mapAsync(tasks.sleepFor, Array(10_000).fill(100), { chunksize: 1 });
  const started = performance.now();
  await within(pool.terminate(), "terminate()");
  await within(pool.join(), "join()");
  ok(performance.now() - started < 2_000, "the pool did not run the 10,000 tasks");
  await rejects(result.get(), PoolClosedError);
});

Deno.test("Pool with await using finishes its calls and refuses new ones after the block (_TestPool.test_context)", async () => {
  let outside: Pool;
  {
    await using pool = new Pool({ processes: 2 });
    outside = pool;
    deepEqual(await pool.mapAsync(tasks.square, [1, 2, 3]).get(), [1, 4, 9]);
  }
  throws(() => outside.mapAsync(tasks.square, [1]), PoolClosedError);
});

Deno.test("Pool.close() and join() end cleanly after a map failed (_TestPool.test_map_no_failfast)", async () => {
  const pool = new Pool({ processes: 2 });
  await rejects(pool.map(tasks.fail, [0, 1], { chunksize: 1 }), TypeError);
  pool.close();
  await within(pool.join(), "join()");
  equal(pool.stats().workers, 0);
});

Deno.test("Pool.applyAsync() gives the task's error to errorCallback and get() (_TestPoolWorkerErrors.test_async_error_callback)", async () => {
  const pool = new Pool({ processes: 2 });
  let passed: unknown;
  const result = pool.applyAsync(tasks.fail, [1], { errorCallback: (error) => passed = error });
  await rejects(result.get(), TypeError);
  ok(passed instanceof TypeError);
  pool.close();
  await within(pool.join(), "join()");
});

Deno.test("Pool replaces every worker after maxTasksPerChild jobs and keeps every result (_TestPoolWorkerLifetime.test_pool_worker_lifetime)", async () => {
  await using pool = new Pool({ processes: 3, maxTasksPerChild: 10 });
  const first = pool.stats().perWorker.map((worker) => worker.id);
  const results = Array.from({ length: 100 }, (_, i) => pool.applyAsync(tasks.square, [i]));
  for (const [i, result] of results.entries()) equal(await result.get(), i * i);
  const now = pool.stats().perWorker.filter((worker) => worker.alive).map((worker) => worker.id);
  equal(now.length, 3);
  ok(now.every((id) => !first.includes(id)), "the first workers were all replaced");
});

Deno.test("Pool.join() after close() waits for every job of short-lived workers (_TestPoolWorkerLifetime.test_pool_worker_lifetime_early_close)", async () => {
  const pool = new Pool({ processes: 3, maxTasksPerChild: 1 });
  const results = Array.from({ length: 6 }, (_, i) => pool.applyAsync(tasks.slowIdentity, [i, 30]));
  pool.close();
  await within(pool.join(), "join()");
  for (const [i, result] of results.entries()) equal(await result.get(), i);
});
