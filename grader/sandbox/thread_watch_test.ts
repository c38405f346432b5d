import { equal } from "node:assert/strict";
import { WorkerThreadWatch } from "./thread_watch.ts";
import type { WitnessReaders } from "./witness.ts";

/** Readers over a thread table the test changes between polls (`tid` → `comm`). */
function table(threads: { now: Record<string, string> }, proc = true): WitnessReaders {
  return {
    listDir: (path) =>
      proc ? Promise.resolve(Object.keys(threads.now)) : Promise.reject(new Error(path)),
    readText: (path) => {
      const name = threads.now[path.split("/")[4]!];
      return name === undefined ? Promise.reject(new Error(path)) : Promise.resolve(`${name}\n`);
    },
    cpus: () => [],
  };
}

Deno.test("WorkerThreadWatch counts Worker threads that ended: spares from before, and ones born during the call", async () => {
  const threads = {
    now: { "1": "deno", "2": "worker-1", "3": "worker-2", "4": "worker-3" } as Record<
      string,
      string
    >,
  };
  const watch = new WorkerThreadWatch(9, table(threads));
  await watch.start(Infinity);
  // A fresh Process starts, the two spares are taken and end, two replacements start.
  threads.now = { "1": "deno", "2": "worker-1", "3": "worker-2", "4": "worker-3", "7": "worker-6" };
  await watch.poll();
  threads.now = { "1": "deno", "2": "worker-1", "8": "worker-7", "9": "worker-8" };
  await watch.poll();
  equal(await watch.stop(), 3);
});

Deno.test("WorkerThreadWatch counts a thread id found again under another name as ended, and ignores non-Worker threads", async () => {
  const threads = {
    now: { "1": "deno", "5": "worker-4", "6": "tokio-runtime" } as Record<string, string>,
  };
  const watch = new WorkerThreadWatch(9, table(threads));
  await watch.start(Infinity);
  threads.now = { "1": "deno", "5": "worker-9" };
  equal(await watch.stop(), 1);
});

Deno.test("WorkerThreadWatch says nothing where there is no thread list", async () => {
  const watch = new WorkerThreadWatch(9, table({ now: {} }, false));
  await watch.start(5);
  await new Promise((resolve) => setTimeout(resolve, 12));
  equal(await watch.stop(), undefined);
});

Deno.test("WorkerThreadWatch.stop() waits for threads still being torn down, up to its limit", async () => {
  const threads = {
    now: { "1": "deno", "2": "worker-1", "3": "worker-2" } as Record<string, string>,
  };
  const readers = table(threads);
  let lists = 0;
  const counting: WitnessReaders = {
    ...readers,
    listDir: (path) => {
      // The exiting thread leaves the list at the third read after start.
      if (++lists === 4) threads.now = { "1": "deno", "2": "worker-1" };
      return readers.listDir(path);
    },
  };
  const watch = new WorkerThreadWatch(9, counting);
  await watch.start(Infinity);
  equal(await watch.stop({ want: 1, settleMs: 10_000 }), 1);
  equal(lists, 4);
  // Nothing more ends: the wait ends at its limit with what it saw.
  const still = new WorkerThreadWatch(9, table({ now: { "2": "worker-1" } }));
  await still.start(Infinity);
  equal(await still.stop({ want: 1, settleMs: 30 }), 0);
});
