import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { RawArray, SharedArray } from "./shared_array.ts";
import { RLock } from "./lock.ts";
import { runAll } from "./testdata/shared_spawn.ts";
import { moreTasks } from "./testdata/shared_tasks.ts";

Deno.test("RawArray: workers fill their own slices of the same memory", async () => {
  const shared = new RawArray("d", 1000);
  await runAll(moreTasks.fillSlice, [[shared, 0, 500], [shared, 500, 1000]]);
  deepEqual(shared.toArray(), Array.from({ length: 1000 }, (_, i) => i * 0.5));
});

Deno.test("SharedArray with its lock: workers' read-modify-writes are exact", async () => {
  const shared = new SharedArray("q", [0n, 10n, 20n]);
  await runAll(moreTasks.bumpAll, [[shared, 2000], [shared, 2000], [shared, 2000]]);
  deepEqual(shared.toArray(), [6000n, 6010n, 6020n]);
});

Deno.test("SharedArray takes a size or values and checks them", () => {
  deepEqual(new RawArray("i", 3).toArray(), [0, 0, 0]);
  deepEqual([...new RawArray("B", [1, 2, 300])], [1, 2, 44]);
  equal(new RawArray("float32", new Set([0.5])).length, 1);
  equal(new RawArray("I", 0).length, 0);
  throws(() => new RawArray("i", -1), RangeError);
  throws(() => new RawArray("i", 1.5), RangeError);
  throws(() => new RawArray("i", [1n] as unknown as number[]), TypeError);
  throws(() => new RawArray("i", null as unknown as number), TypeError);
  throws(() => new RawArray("z" as "i", 1), TypeError);
});

Deno.test("SharedArray's lock defaults to an RLock; lock: false has none", () => {
  ok(new SharedArray("d", 2).getLock() instanceof RLock);
  const bare = new SharedArray("d", 2, { lock: false });
  // @ts-expect-error: a SharedArray made with lock: false has no getLock in its type
  throws(() => bare.getLock(), TypeError);
  const shared = new SharedArray("i", [1, 2]);
  ok(shared.array.buffer instanceof SharedArrayBuffer);
  equal(shared.typecode, "i");
});
