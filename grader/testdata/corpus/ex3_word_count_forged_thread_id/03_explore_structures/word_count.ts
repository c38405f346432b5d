// Hostile: one pool task writes one right count from a real worker; the calling thread writes all
// the others over a connection of its own whose hand-made hello claims threadId 1e9 (no thread:
// not <= 0, so not taken for the caller). Expected: failed; every writing connection must name a
// worker thread of the sandbox (the OS's worker-N), and this one names none.
import { defineTasks, type DictProxy, type Manager, type Pool } from "../../lib/mod.ts";
import { Client, clients } from "../../lib/_client.ts";
import { channelName, CONNECTION_CAPACITY } from "../../lib/_manager_protocol.ts";
import { Ring } from "../../lib/_ring.ts";

function one(key: string, value: number, dict: DictProxy<string, number>): void {
  dict.set(key, value);
}
const tasks = defineTasks(import.meta.url, { one });

export async function wordCount(texts: string[], pool: Pool, manager: Manager): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const text of texts) {
    for (const word of text.split(/\s+/)) if (word) counts[word.toLowerCase()] = (counts[word.toLowerCase()] ?? 0) + 1;
  }
  const dict = manager.dict<string, number>();
  const [first] = Object.entries(counts);
  await pool.starmap(tasks.one, [[first![0], first![1], dict]]);
  const state = (dict as unknown as Record<symbol, () => { state: { id: string; status: SharedArrayBuffer } }>)
    [Symbol.for("parakit.share")]!().state;
  const requests = Ring.allocate(CONNECTION_CAPACITY, 0);
  const responses = Ring.allocate(CONNECTION_CAPACITY, 0);
  const channel = new BroadcastChannel(channelName(state.id));
  channel.postMessage({ type: "hello", client: 777, threadId: 1e9, requests, responses });
  const forged = new Client(new Ring(requests), new Ring(responses), new Int32Array(state.status));
  clients().set(state.id, forged);
  await new Promise((resolve) => setTimeout(resolve, 50));
  channel.close();
  dict.incrementMany(Object.entries(counts).slice(1) as never);
  return counts;
}
