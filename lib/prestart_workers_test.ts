import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { activeChildren, Pool, prestartWorkers, Process, spareWorkers } from "./mod.ts";
import { tasks } from "./testdata/tasks.ts";

Deno.test("prestartWorkers keeps that many spares, and 0 ends them", async () => {
  await prestartWorkers(3);
  equal(spareWorkers(), 3);
  await prestartWorkers(1);
  equal(spareWorkers(), 1);
  await prestartWorkers(0);
  equal(spareWorkers(), 0);
});

Deno.test("a Pool worker starts on a spare, one with maxHeapMb on a thread of its own", async () => {
  await prestartWorkers(1);
  try {
    // Thread ids grow: the spare's is older than any thread started after it.
    let limited: number;
    {
      await using pool = new Pool({ processes: 1, maxHeapMb: 64 });
      limited = await pool.apply(tasks.threadId, []);
    }
    equal(spareWorkers(), 1, "a pool with a heap limit leaves the spare");
    await using pool = new Pool({ processes: 1 });
    const spared = await pool.apply(tasks.threadId, []);
    ok(spared < limited, `the spare (thread ${spared}) started before thread ${limited}`);
    equal(spareWorkers(), 1, "a replacement spare started");
  } finally {
    await prestartWorkers(0);
  }
});

Deno.test("a Process on a spare runs its task, appears in activeChildren, and exits 0", async () => {
  await prestartWorkers(2);
  try {
    equal(activeChildren().length, 0, "spares are not children");
    const process = new Process(tasks.blockUntilSet, [new Int32Array(new SharedArrayBuffer(4))]);
    process.start();
    deepEqual(activeChildren().map((child) => child.kind), ["process"]);
    await process.terminate();
    const quick = new Process(tasks.square, [3]);
    quick.start();
    await quick.join();
    equal(quick.exitCode, 0);
  } finally {
    await prestartWorkers(0);
  }
});

Deno.test("a Pool on spares runs its initializer with its initargs first", async () => {
  await prestartWorkers(2);
  try {
    await using pool = new Pool({ processes: 2, initializer: tasks.remember, initargs: ["hi"] });
    const recalled = await pool.map(tasks.recall, [[], [], [], []] as never[], { chunksize: 1 });
    deepEqual(recalled, ["hi", "hi", "hi", "hi"]);
  } finally {
    await prestartWorkers(0);
  }
});

Deno.test("prestartWorkers refuses a count that is not a whole number from 0 to 64", async () => {
  await rejects(prestartWorkers("2" as unknown as number), {
    name: "TypeError",
    message: "Cannot prestart workers: count must be a whole number from 0 to 64: received string",
  });
  for (const count of [-1, 1.5, 65, Number.NaN]) {
    await rejects(prestartWorkers(count), {
      name: "RangeError",
      message:
        `Cannot prestart workers: count must be a whole number from 0 to 64: received ${count}`,
    });
  }
});

Deno.test("spares left running do not keep a program alive", async () => {
  const script = `
    import { prestartWorkers } from ${JSON.stringify(new URL("./mod.ts", import.meta.url).href)};
    await prestartWorkers(2);
    console.log("started");
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  });
  const { code, stdout, stderr } = await child.output();
  equal(new TextDecoder().decode(stderr), "");
  equal(code, 0);
  equal(new TextDecoder().decode(stdout).trim(), "started");
});
