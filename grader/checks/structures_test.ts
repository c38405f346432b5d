import { match } from "node:assert/strict";
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

Deno.test({
  name:
    "checkExercise() names the Process a join-before-read pipeline left blocked on a full Queue",
  ignore: !HAS_CORPUS,
}, async () => {
  const catalog = await loadCatalog(KIT_ROOT);
  const entry = catalog.exercises.find((e) => e.slug === "03_explore_structures")!;
  const result = await checkExercise(entry, {
    timed: false,
    timeoutMs: 6000,
    memoryMb: 768,
    heapMb: 256,
    cores: 2,
    seed: 42,
    source: { kind: "submission", dir: new URL("ex3_pipeline_join_first", CORPUS).pathname },
  });
  const check = result.checks.find((c) => c.name.startsWith("pipeline: reads before it joins"))!;
  match(check.status, /^timeout$/);
  match(
    check.message,
    /the Process "[^"]+" is still running: it is blocked putting into a full Queue \(\d+ items\) nobody reads, and the call is waiting in its join\(\); read the results before you join/,
  );
});
