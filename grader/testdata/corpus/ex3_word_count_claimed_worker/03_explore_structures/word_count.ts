// Hostile: the calling thread counts and writes the dict, but first it asks a pool worker for its
// threadId and opens a connection of its own to the manager that claims to be that worker (a
// hand-made hello, from lib's internals), so that the manager's count puts every write on the
// pool worker. Expected: failed, on Linux: the OS's per-thread CPU time (schedstat) shows the
// named worker ran far less during the call than the calling thread that made the round trips.
import { threadId } from "node:worker_threads";
import { defineTasks, type Manager, type Pool } from "../../lib/mod.ts";
import { Client, clients } from "../../lib/_client.ts";
import { channelName, CONNECTION_CAPACITY } from "../../lib/_manager_protocol.ts";
import { Ring } from "../../lib/_ring.ts";

function whoAmI(_: number): number {
  return threadId;
}

const tasks = defineTasks(import.meta.url, { whoAmI });

export async function wordCount(
  texts: string[],
  pool: Pool,
  manager: Manager,
): Promise<Record<string, number>> {
  const [borrowed] = await pool.map(tasks.whoAmI, [0]);
  const dict = manager.dict<string, number>();
  const state = (dict as unknown as Record<symbol, () => { state: { id: string; status: SharedArrayBuffer } }>)
    [Symbol.for("parakit.share")]!().state;
  const requests = Ring.allocate(CONNECTION_CAPACITY, 0);
  const responses = Ring.allocate(CONNECTION_CAPACITY, 0);
  const channel = new BroadcastChannel(channelName(state.id));
  channel.postMessage({ type: "hello", client: 424242, threadId: borrowed, requests, responses });
  const forged = new Client(new Ring(requests), new Ring(responses), new Int32Array(state.status));
  clients().set(state.id, forged);
  await new Promise((resolve) => setTimeout(resolve, 50));
  channel.close();
  for (const text of texts) {
    for (const word of text.split(/\s+/)) if (word) dict.increment(word.toLowerCase());
  }
  return dict.toObject();
}
