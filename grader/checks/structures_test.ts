import { equal, match } from "node:assert/strict";
import { checkExercise } from "../runner.ts";
import { loadCatalog } from "../catalog.ts";

const KIT_ROOT = new URL("../../", import.meta.url).pathname;
const CORPUS = new URL("../testdata/corpus/", import.meta.url);
/** The corpus is instructor-only: a released kit lacks it. */
const HAS_CORPUS = (() => {
  try {
    return Deno.statSync(CORPUS).isDirectory;
  } catch {
    return false;
  }
})();
/** The OS's thread list is Linux's /proc. */
const HAS_PROC = (() => {
  try {
    return Deno.statSync("/proc/self/task").isDirectory;
  } catch {
    return false;
  }
})();

/** Exercise 3's checks on a corpus fixture, untimed, with short limits. */
async function checkFixture(fixture: string, options: { typeCheck?: boolean } = {}) {
  const catalog = await loadCatalog(KIT_ROOT);
  const entry = catalog.exercises.find((e) => e.slug === "03_explore_structures")!;
  return await checkExercise(entry, {
    ...options,
    timed: false,
    timeoutMs: 6000,
    memoryMb: 768,
    heapMb: 256,
    cores: 2,
    seed: 42,
    source: { kind: "submission", dir: new URL(fixture, CORPUS).pathname },
  });
}

Deno.test({
  name:
    "checkExercise() names the Process a join-before-read pipeline left blocked on a full Queue",
  ignore: !HAS_CORPUS,
}, async () => {
  const result = await checkFixture("ex3_pipeline_join_first");
  const check = result.checks.find((c) => c.name.startsWith("pipeline: reads before it joins"))!;
  match(check.status, /^timeout$/);
  match(
    check.message,
    /the Process "[^"]+" is still running: it is blocked putting into a full Queue \(\d+ items\) nobody reads, and the call is waiting in its join\(\); read the results before you join/,
  );
});

Deno.test({
  name:
    "checkExercise() fails a pipeline that forges the driver's counts with no Process, from the OS",
  ignore: !HAS_CORPUS || !HAS_PROC,
}, async () => {
  const result = await checkFixture("ex3_pipeline_forged_counts", { typeCheck: false });
  const [small, full] = result.checks.filter((check) => check.name.startsWith("pipeline:"));
  equal(small!.status, "failed");
  match(
    small!.message,
    /^the operating system saw 0 Worker thread\(s\) end during the call: run the producer and the consumer each in its own Process and join both$/,
  );
  // The full call needs the 40-item check passed first (its OS verdict: _pipeline_test.ts).
  equal(full!.status, "failed");
});
