import { deepEqual, equal } from "node:assert/strict";
import { ok } from "node:assert/strict";
import { Pool } from "./pool.ts";
import { runAsync, selfId, startTimer, type WaitOutcome, type WaitSteps } from "./_wait.ts";
import { tasks } from "./testdata/tasks.ts";
import { within } from "./testdata/deadline.ts";

Deno.test("startTimer() reaches a delay past 2^31 ms in steps and starts no timer for Infinity", () => {
  const armed: number[] = [];
  const callbacks: (() => void)[] = [];
  const realSetTimeout = globalThis.setTimeout;
  const fakeSetTimeout = (callback: () => void, ms: number) => {
    armed.push(ms);
    callbacks.push(callback);
    return armed.length;
  };
  let fired = 0;
  globalThis.setTimeout = fakeSetTimeout as unknown as typeof setTimeout;
  try {
    startTimer(Infinity, () => fired++);
    deepEqual(armed, []);
    startTimer(2 ** 32 + 5, () => fired++);
    callbacks.shift()!();
    callbacks.shift()!();
    equal(fired, 0);
    callbacks.shift()!();
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  deepEqual(armed, [2 ** 31 - 1, 2 ** 31 - 1, 7]);
  equal(fired, 1);
});

Deno.test("runAsync() waits until woken with a timeout of Infinity or past 2^31 ms", async () => {
  function* once(array: Int32Array): WaitSteps<WaitOutcome> {
    return yield { array, index: 0, value: 0 };
  }
  for (const timeout of [Infinity, 2 ** 31, 2 ** 40]) {
    const array = new Int32Array(new SharedArrayBuffer(4));
    const waiting = runAsync(once(array), timeout);
    const waker = setTimeout(() => {
      Atomics.store(array, 0, 1);
      Atomics.notify(array, 0);
    }, 20);
    try {
      equal(await within(waiting, `runAsync() with timeout ${timeout}`), "ok");
    } finally {
      clearTimeout(waker);
    }
  }
});

Deno.test("selfId() is threadId + 1 in a lib worker (the OS names its thread worker-<threadId>), random and above every such id on the main thread", async () => {
  ok(selfId() >= 0x40000000, `main thread: ${selfId()}`);
  await using pool = new Pool({ processes: 2 });
  const seen = await pool.map(tasks.ownerAndThread, [[], []] as never[], { chunksize: 1 });
  for (const [owner, thread] of seen) {
    ok(thread > 0);
    equal(owner, thread + 1);
  }
});
