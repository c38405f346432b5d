import { deepEqual } from "node:assert/strict";
import { runCheckLoop } from "./_runner_checks.ts";
import { RunSandboxes } from "./_runner_sandboxes.ts";
import type { CheckContext, CheckSpec } from "./checks/check.ts";
import type { CheckResult } from "./result.ts";

const entry = { id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" };

Deno.test("runCheckLoop() runs the untimed checks beside the work it is given, and the first timed check only after it", async () => {
  const events: string[] = [];
  const passing = (name: string, timed = false): CheckSpec => ({
    name,
    points: 1,
    timed,
    run: () => {
      events.push(name);
      return Promise.resolve({ status: "passed", message: "ok" });
    },
  });
  const beside = Promise.withResolvers<void>();
  const specs = [passing("untimed one"), passing("untimed two"), passing("timed", true)];
  const results: CheckResult[] = [];
  const loop = runCheckLoop({
    entry,
    specs,
    timed: true,
    sandboxes: new RunSandboxes(() => Promise.reject(new Error("no sandbox"))),
    timedSpecs: specs.filter((spec) => spec.timed),
    untimedSpecs: specs.filter((spec) => !spec.timed),
    context: { kitRoot: ".", timed: true, cores: 2, timeoutMs: 1000, seed: 1 } as CheckContext,
    beforeTimed: beside.promise.then(() => events.push("type check done")),
  }, results);
  // Let the loop run as far as it can while the work beside it is still going.
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 10));
  deepEqual(events, ["untimed one", "untimed two"]);
  beside.resolve();
  await loop;
  deepEqual(events, ["untimed one", "untimed two", "type check done", "timed"]);
  deepEqual(results.map((row) => row.status), ["passed", "passed", "passed"]);
});

Deno.test("runCheckLoop() still runs the timed check when the work beside it failed", async () => {
  const ran: string[] = [];
  const specs: CheckSpec[] = [{
    name: "timed",
    points: 1,
    timed: true,
    run: () => {
      ran.push("timed");
      return Promise.resolve({ status: "passed", message: "ok" });
    },
  }];
  const results: CheckResult[] = [];
  await runCheckLoop({
    entry,
    specs,
    timed: true,
    sandboxes: new RunSandboxes(() => Promise.reject(new Error("no sandbox"))),
    timedSpecs: specs,
    untimedSpecs: [],
    context: { kitRoot: ".", timed: true, cores: 2, timeoutMs: 1000, seed: 1 } as CheckContext,
    beforeTimed: Promise.reject(new Error("deno check could not start")),
  }, results);
  deepEqual(ran, ["timed"]);
});
