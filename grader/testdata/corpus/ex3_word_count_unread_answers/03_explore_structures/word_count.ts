// Hostile only to the grader: the pool's tasks merge the counts honestly, then the calling thread
// opens a connection of its own and sends calls whose answers (400 kB each) it never reads, which
// filled the answer ring, stopped the Manager's server, and hung the harness's read of its record
// until the call's time limit (timeout). Expected: wordCount passed (the work is honest); the
// server drops a connection that leaves its answers unread and serves the harness's read.
import { defineTasks, type DictProxy, type Manager, type Pool } from "../../lib/mod.ts";
import { channelName, CONNECTION_CAPACITY } from "../../lib/_manager_protocol.ts";
import { encodeItem, Ring } from "../../lib/_ring.ts";
function countInto(text: string, counts: DictProxy<string, number>): void {
  const local: Record<string, number> = {};
  for (const word of text.split(/\s+/)) if (word) local[word.toLowerCase()] = (local[word.toLowerCase()] ?? 0) + 1;
  counts.incrementMany(local);
}
const tasks = defineTasks(import.meta.url, { countInto });
export async function wordCount(texts: string[], pool: Pool, manager: Manager): Promise<Record<string, number>> {
  const counts = manager.dict<string, number>();
  await pool.starmap(tasks.countInto, texts.map((text) => [text, counts]));
  const result = counts.toObject();
  const state = (counts as unknown as Record<symbol, () => { state: { id: string } }>)[Symbol.for("parakit.share")]!().state;
  const requests = Ring.allocate(CONNECTION_CAPACITY, 0);
  const responses = Ring.allocate(CONNECTION_CAPACITY, 0);
  const channel = new BroadcastChannel(channelName(state.id));
  channel.postMessage({ type: "hello", client: 999, threadId: 0, requests, responses });
  await new Promise((resolve) => setTimeout(resolve, 100));
  channel.close();
  const ring = new Ring(requests);
  // A value of 400 kB (object 2: the server numbers objects in order), then three reads of it:
  // their answers overflow the 1 MiB answer ring, which this thread never reads.
  const big = "x".repeat(400_000);
  const calls = [
    { id: 1, target: 0, op: "create", args: ["value", big] },
    ...[2, 3, 4].map((id) => ({ id, target: 2, op: "get", args: [] })),
  ];
  for (const call of calls) while (ring.tryPut(encodeItem(call, "flood"), false) === "wait");
  return result;
}
