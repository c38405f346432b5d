import { equal, match } from "node:assert/strict";
import { countWords, managerUse, wordTexts } from "./_word_count.ts";
import type { Snapshot } from "../sandbox/witness.ts";
import { entriesDigest } from "../sandbox/manager_run.ts";

Deno.test("countWords() lower-cases and splits on any whitespace", () => {
  const texts = wordTexts(5);
  const counts = countWords(texts);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  equal(total, texts.join(" ").split(/\s+/).filter((word) => word !== "").length);
  equal(Object.keys(counts).every((word) => word === word.toLowerCase()), true);
});

/** Snapshots of a sandbox whose threads ran `ns` nanoseconds each during the call. */
function around(ns: Record<string, number>): readonly [Snapshot, Snapshot] {
  const names = new Map(Object.keys(ns).map((name, i) => [String(100 + i), name]));
  const snap = (scale: number): Snapshot => ({
    at: 0,
    machineWitness: "none",
    workerNames: names,
    workerNs: new Map([...names].map(([tid, name]) => [tid, scale * ns[name]!])),
  });
  return [snap(0), snap(1)];
}

const OWNER = { threadId: 0, owner: true, calls: 0, writes: 0 };
const CALLER_READS = { threadId: 0, owner: false, calls: 2, writes: 0 };
const EXPECTED = { a: 1, b: 2 };
const DIGEST = await entriesDigest(Object.entries(EXPECTED));
const DICT = [{ size: 2, writes: 9, digest: DIGEST }];

Deno.test("managerUse() passes writes from pool worker threads that out-ran the caller", () => {
  const connections = [OWNER, CALLER_READS, { threadId: 2, owner: false, calls: 9, writes: 5 }, {
    threadId: 3,
    owner: false,
    calls: 8,
    writes: 4,
  }];
  const threads = around({ "worker-1": 5e6, "worker-2": 22e6, "worker-3": 17e6, "worker-9": 40e6 });
  // worker-9 is the manager's own server, busy answering: left out of the comparison.
  equal(
    managerUse({ threadId: 9, connections, dicts: DICT }, EXPECTED, DIGEST, threads),
    undefined,
  );
  // Counted in, it would out-run the writers.
  equal(managerUse({ connections, dicts: DICT }, EXPECTED, DIGEST, threads)?.status, "failed");
});

Deno.test("managerUse() fails a caller's writes, made-up or out-run writers, and a dict of the wrong size", () => {
  const threads = around({ "worker-1": 30e6, "worker-2": 1e6 });
  const caller = { threadId: 0, owner: false, calls: 40, writes: 38 };
  match(
    managerUse({ connections: [OWNER, caller], dicts: DICT }, EXPECTED, DIGEST, threads)!.message,
    /38 time\(s\) from the calling thread/,
  );
  const madeUp = { threadId: 77, owner: false, calls: 40, writes: 38 };
  match(
    managerUse({ connections: [OWNER, madeUp], dicts: DICT }, EXPECTED, DIGEST, threads)!.message,
    /1 thread\(s\) that were no worker of the sandbox/,
  );
  // A real worker's id, claimed by a connection the calling thread opened: the caller ran longer.
  const claimed = { threadId: 2, owner: false, calls: 40, writes: 38 };
  match(
    managerUse({ connections: [OWNER, claimed], dicts: DICT }, EXPECTED, DIGEST, threads)!.message,
    /ran for a shorter time during the call than another thread/,
  );
  const honest = around({ "worker-1": 1e6, "worker-2": 30e6 });
  const wrongSize = [{ size: 1, writes: 38 }];
  match(
    managerUse({ connections: [OWNER, claimed], dicts: wrongSize }, EXPECTED, DIGEST, honest)!
      .message,
    /held the counts of the 2 words/,
  );
  equal(
    managerUse({ connections: [OWNER, claimed], dicts: DICT }, EXPECTED, DIGEST, honest),
    undefined,
  );
});

Deno.test("managerUse() fails when the record could not be read or no dict was made", () => {
  match(managerUse(undefined, EXPECTED, DIGEST)!.message, /could not read its Manager's record/);
  const closed = { connections: [], dicts: [], readError: "Cannot read manager stats: shut down" };
  match(managerUse(closed, EXPECTED, DIGEST)!.message, /\(Cannot read manager stats: shut down\)/);
  match(
    managerUse({ connections: [OWNER], dicts: [] }, EXPECTED, DIGEST)!.message,
    /no dict was made/,
  );
});

Deno.test("managerUse() without the OS's thread names counts the writers the manager reported", () => {
  const worker = { threadId: 4, owner: false, calls: 9, writes: 9 };
  equal(managerUse({ connections: [OWNER, worker], dicts: DICT }, EXPECTED, DIGEST), undefined);
  const bare: readonly [Snapshot, Snapshot] = [
    { at: 0, machineWitness: "os-cpus" },
    { at: 1, machineWitness: "os-cpus" },
  ];
  equal(
    managerUse({ connections: [OWNER, worker], dicts: DICT }, EXPECTED, DIGEST, bare),
    undefined,
  );
});

Deno.test("managerUse() fails a dict of the right size that does not hold the counts", async () => {
  const honest = around({ "worker-1": 1e6, "worker-2": 30e6 });
  const worker = { threadId: 2, owner: false, calls: 2, writes: 2 };
  // Two made-up keys written by a pool task, while the caller counted: the size alone matches.
  const dummies = [{ size: 2, writes: 2, digest: await entriesDigest([["x0", 0], ["x1", 1]]) }];
  match(
    managerUse({ connections: [OWNER, worker], dicts: dummies }, EXPECTED, DIGEST, honest)!.message,
    /no dict of the Manager held the counts/,
  );
  // Unread contents (too big, or a value JSON cannot hold) count as not holding them.
  const unread = [{ size: 2, writes: 2 }];
  equal(
    managerUse({ connections: [OWNER, worker], dicts: unread }, EXPECTED, DIGEST, honest)?.status,
    "failed",
  );
});

Deno.test("managerUse() fails writes from a made-up threadId beside a real worker's", () => {
  const threads = around({ "worker-1": 1e6, "worker-2": 30e6 });
  const worker = { threadId: 2, owner: false, calls: 1, writes: 1 };
  const forged = { threadId: 1e9, owner: false, calls: 2, writes: 1 };
  match(
    managerUse({ connections: [OWNER, worker, forged], dicts: DICT }, EXPECTED, DIGEST, threads)!
      .message,
    /from 1 connection\(s\) that named no worker thread/,
  );
});
