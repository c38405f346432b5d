import { deepEqual, equal, ok } from "node:assert/strict";
import { activeChildren } from "./_children.ts";
import { runTaskInWorker } from "./_spawn.ts";
import { tasks } from "./testdata/tasks.ts";

Deno.test("runTaskInWorker() returns the task's result and exits with code 0", async () => {
  const child = runTaskInWorker(tasks.square, [7]);
  ok(activeChildren().some((info) => info.id === child.info.id && info.kind === "process"));
  const result = await child.result;
  ok(result?.ok);
  deepEqual(result.values, [49]);
  equal((await child.exited).code, 0);
  ok(!activeChildren().some((info) => info.id === child.info.id));
});

Deno.test("runTaskInWorker() reports a thrown error and exits with code 1", async () => {
  const child = runTaskInWorker(tasks.fail, [3]);
  const result = await child.result;
  equal(result?.ok, false);
  if (result?.ok === false) {
    equal(result.error.name, "TypeError");
    equal(result.error.message, "Cannot take 3: it is odd");
    ok(result.error.stack?.includes("tasks.ts"));
  }
  equal((await child.exited).code, 1);
});

Deno.test("runTaskInWorker() reports the code a task passes to Deno.exit()", async () => {
  const child = runTaskInWorker(tasks.exitWith, [5]);
  equal(await child.result, undefined);
  equal((await child.exited).code, 5);
});

Deno.test("runTaskInWorker() reports an uncaught error outside the task", async () => {
  const child = runTaskInWorker(tasks.throwLater, ["boom"]);
  equal(await child.result, undefined);
  const exit = await child.exited;
  equal(exit.code, 1);
  equal(exit.error?.message, "boom");
});
