import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { threadId } from "node:worker_threads";
import { Manager } from "./manager.ts";
import { ManagerClosedError } from "./manager_closed_error.ts";
import { Pool } from "./pool.ts";
import { Process } from "./process.ts";
import { managerStatsTasks } from "./testdata/manager_stats_tasks.ts";

Deno.test("Manager.stats() counts each connection's calls and writes under the threadId it reported", async () => {
  await using manager = new Manager();
  await using pool = new Pool({ processes: 2 });
  const dict = manager.dict<string, number>();
  dict.set("owner", 1);
  dict.get("owner");
  const ids = await Promise.all([
    pool.apply(managerStatsTasks.setOwnId, [dict, "a", 3]),
    pool.apply(managerStatsTasks.readOnce, [dict, "a"]),
  ]);
  const stats = manager.stats();
  const owner = stats.connections.filter((connection) => connection.owner);
  deepEqual(owner.map(({ threadId, writes }) => ({ threadId, writes })), [{ threadId, writes: 1 }]);
  // create + set + get: the stats() call itself is not counted.
  equal(owner[0]!.calls, 3);
  const byThread = new Map<number, { calls: number; writes: number }>();
  for (const connection of stats.connections.filter((c) => !c.owner)) {
    const seen = byThread.get(connection.threadId) ?? { calls: 0, writes: 0 };
    byThread.set(connection.threadId, {
      calls: seen.calls + connection.calls,
      writes: seen.writes + connection.writes,
    });
  }
  const writes = [...byThread.values()].reduce((sum, c) => sum + c.writes, 0);
  equal(writes, 3);
  equal(byThread.get(ids[0]!)!.writes >= 3, true);
  ok(byThread.has(ids[1]!), "the reading worker's connection is listed");
  ok(ids.every((id) => id > 0 && id !== stats.threadId), "pool workers are not the server");
  deepEqual(stats.objects, [{ kind: "dict", size: 2, writes: 4 }]);
});

Deno.test("Manager.stats() counts a failed call, but not as a write", async () => {
  await using manager = new Manager();
  const list = manager.list<number>([1]);
  throws(() => list.set(5, 2), RangeError);
  list.append(2);
  const [owner] = manager.stats().connections;
  equal(owner!.calls, 3);
  equal(owner!.writes, 1);
  deepEqual(manager.stats().objects, [{ kind: "list", size: 2, writes: 1 }]);
});

Deno.test("Manager passed to a Process and a Pool task reaches the same manager, and only its maker shuts it down", async () => {
  await using manager = new Manager();
  await using pool = new Pool({ processes: 1 });
  const fromPool = await pool.apply(managerStatsTasks.useReceived, [manager]);
  equal(fromPool.threw, "TypeError");
  equal(fromPool.running, true);
  deepEqual(fromPool.dict.toObject(), { from: fromPool.threadId, hits: 1 });
  const process = new Process(managerStatsTasks.useReceived, [manager]);
  process.start();
  await process.join();
  equal(process.exitCode, 0);
  equal(manager.running, true);
  const stats = manager.stats();
  // Two dicts, each made and written from another thread: every write was that thread's.
  deepEqual(stats.objects.map(({ kind, writes }) => ({ kind, writes })), [
    { kind: "dict", writes: 1 },
    { kind: "dict", writes: 1 },
  ]);
  equal(stats.connections.filter((c) => c.owner)[0]!.writes, 0);
  await manager.shutdown();
  throws(() => manager.stats(), ManagerClosedError);
});
