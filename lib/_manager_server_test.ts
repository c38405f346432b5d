import { equal, throws } from "node:assert/strict";
import { Manager } from "./manager.ts";
import { Client } from "./_client.ts";
import { CONNECTION_CAPACITY } from "./_manager_protocol.ts";
import { encodeItem, Ring } from "./_ring.ts";
import { ctxOf } from "./_mutex.ts";
import { runBlocking } from "./_wait.ts";

/** A connection of this thread's own to `manager`, opened by hand as hostile code could. */
function rawConnection(manager: Manager): { requests: Ring; client: Client } {
  const state = (manager as unknown as Record<
    symbol,
    () => { state: { id: string; status: SharedArrayBuffer } }
  >)[Symbol.for("parakit.share")]!().state;
  const made = Client.create(state.status);
  made.client.connect(state.id);
  return { requests: new Ring(made.buffers.requests), client: made.client };
}

Deno.test("the manager's server drops a connection that never reads its answers, and serves the rest", async () => {
  await using manager = new Manager();
  const dict = manager.dict<string, number>();
  const { requests } = rawConnection(manager);
  const call = encodeItem({ id: 5, target: 0, op: "stats", args: [] }, "flood");
  let sent = 0;
  const ctx = ctxOf({ timeout: 100 }, "flood");
  while (runBlocking(requests.put(call, ctx, false), 100).ok) sent++;
  // More calls than the request ring holds: the server took some, then stuck on a full answer ring.
  equal(sent > CONNECTION_CAPACITY / call.length, true);
  // Its answer ring fills and stays full: the server waits a while, then drops it.
  dict.set("after", 1);
  equal(dict.get("after"), 1);
  equal(manager.stats().objects[0]!.writes, 1);
});

Deno.test("the manager's server shuts down for its owner only, not for a raw request from a copy", async () => {
  await using manager = new Manager();
  const { client } = rawConnection(manager);
  throws(() => client.call(0, "shutdown", [], "shut down"), /only the isolate that made it/);
  equal(manager.running, true);
  manager.dict().set("still", 1);
  equal(manager.stats().objects.length, 1);
});
