import { equal, ok } from "node:assert/strict";
import { RunSandboxes } from "./_runner_sandboxes.ts";
import type { Sandbox } from "./sandbox/sandbox.ts";

function fakeSandbox(name: string, closed: string[]): Sandbox {
  return {
    name,
    output: "",
    close: () => {
      closed.push(name);
      return Promise.resolve();
    },
  } as unknown as Sandbox;
}

Deno.test("RunSandboxes gives the correctness checks the first sandbox opened ahead, and a timed check the spare", async () => {
  const closed: string[] = [];
  let opened = 0;
  const open = () => Promise.resolve(fakeSandbox(`opened-${++opened}`, closed));
  const sandboxes = new RunSandboxes(open, {
    first: Promise.resolve(fakeSandbox("first", closed)),
    spare: Promise.resolve(fakeSandbox("spare", closed)),
  });
  const first = await sandboxes.sandbox(false, []);
  equal((first as unknown as { name: string }).name, "first");
  equal(await sandboxes.sandbox(false, []), first, "kept for the next correctness check");
  await sandboxes.collect();
  const timed = await sandboxes.sandbox(true, []);
  equal((timed as unknown as { name: string }).name, "spare");
  await sandboxes.close();
  equal(opened, 0, "nothing was opened on demand");
  ok(closed.includes("first") && closed.includes("spare"));
});

Deno.test("RunSandboxes closes a first sandbox that no check used", async () => {
  const closed: string[] = [];
  const sandboxes = new RunSandboxes(() => Promise.resolve(fakeSandbox("new", closed)), {
    first: Promise.resolve(fakeSandbox("first", closed)),
  });
  await sandboxes.close();
  equal(closed.join(","), "first");
});
