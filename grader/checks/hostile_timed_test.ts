// The timed checks against submissions that fake the work, in a real sandbox. Their verdicts rest
// on the operating system's CPU accounting (not on the times), so they hold on a busy machine: a
// sleep uses no CPU, and a burn of a fixed time does not grow with the work.
import { equal, notEqual } from "node:assert/strict";
import { loadCatalog } from "../catalog.ts";
import { checkExercise, KIT_ROOT } from "../runner.ts";

const CORPUS = new URL("../testdata/corpus/", import.meta.url);
const HAS_CORPUS = (() => {
  try {
    return Deno.statSync(CORPUS).isDirectory;
  } catch {
    return false;
  }
})();
const catalog = await loadCatalog(KIT_ROOT);

async function timedCheck(fixture: string, slug: string, name: string) {
  const entry = catalog.exercises.find((e) => e.slug === slug)!;
  const result = await checkExercise(entry, {
    timed: true,
    cores: 2,
    seed: 42,
    source: { kind: "submission", dir: new URL(fixture, CORPUS).pathname },
  });
  return result.checks.find((check) => check.name === name)!;
}

Deno.test({
  name: "countPrimes from a remembered sieve and a sleep fails its speedup: no CPU was spent",
  ignore: !HAS_CORPUS,
}, async () => {
  const check = await timedCheck(
    "ex3_memo_sleep",
    "03_explore_structures",
    "countPrimes: faster than the serial count",
  );
  equal(check.status, "failed", check.message);
});

Deno.test({
  name: "parallelSum burning a fixed calibrated time beside closed forms never passes its speedup",
  ignore: !HAS_CORPUS,
}, async () => {
  const check = await timedCheck(
    "ex2_calibrated_burn",
    "02_try_pymp1",
    "parallelSum: faster than the serial sum",
  );
  notEqual(check.status, "passed", check.message);
  console.log(check.status, check.message);
});
