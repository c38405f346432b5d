import { deepEqual, equal } from "node:assert/strict";
import { entriesDigest, managerRun, summarizeStats } from "./manager_run.ts";
import type { StudentOp } from "./_protocol.ts";

Deno.test("summarizeStats() keeps the calling thread's writes past the cap of 64 connections", () => {
  const decoys = Array.from({ length: 80 }, (_, i) => ({
    threadId: 1000 + i,
    owner: false,
    calls: 50,
    writes: 50,
  }));
  const caller = { threadId: 0, owner: false, calls: 3, writes: 3 };
  const forged = { threadId: "7", owner: false, calls: 2, writes: 2 };
  const stats = { connections: [...decoys, caller, forged], objects: [] };
  const summary = summarizeStats(stats);
  equal(summary.connections.length, 64);
  deepEqual(summary.connections.slice(0, 2), [caller, { ...forged, threadId: -1 }]);
});

Deno.test("summarizeStats() gives each dict the digest read for its index in objects", () => {
  const stats = {
    connections: [],
    objects: [
      { kind: "list", size: 1, writes: 1 },
      { kind: "dict", size: 2, writes: 1 },
      { kind: "dict", size: 1, writes: 5 },
    ],
  };
  const digest = "ab".repeat(32);
  deepEqual(summarizeStats(stats, new Map([[1, digest]])).dicts, [
    { size: 1, writes: 5 },
    { size: 2, writes: 1, digest },
  ]);
});

Deno.test("managerRun() digests what its Manager's dicts hold when it finishes", async () => {
  const libUrl = new URL("../../lib/mod.ts", import.meta.url).href;
  const op: StudentOp = { op: "call", file: "word_count.ts", name: "wordCount", args: [] };
  const run = await managerRun(op as StudentOp & { op: "call" }, libUrl);
  const { reviveShared } = await import(new URL("_shareable.ts", libUrl).href);
  const { Manager } = await import(new URL("manager.ts", libUrl).href);
  const manager = await reviveShared((run.op as { managerHandle: unknown }).managerHandle);
  equal(manager instanceof Manager, true);
  const dict = manager.dict();
  dict.incrementMany({ the: 2, pool: 1 });
  manager.dict().set("unwritten", 1);
  manager.dict();
  const seen = await run.finish();
  const digest = await entriesDigest([["pool", 1], ["the", 2]]);
  deepEqual(seen.dicts.map((d) => d.digest), [
    digest,
    await entriesDigest([["unwritten", 1]]),
    undefined,
  ]);
  equal(manager.running, false);
});
