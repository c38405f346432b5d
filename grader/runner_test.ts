import { deepEqual, equal, match, ok } from "node:assert/strict";
import { loadCatalog } from "./catalog.ts";
import {
  checkExercise,
  type CheckExerciseOptions,
  INGEST_CHECK,
  KIT_ROOT,
  sourceDir,
} from "./runner.ts";
import { ExerciseResultSchema } from "./result.ts";

const CORPUS = new URL("./testdata/corpus/", import.meta.url);
const catalog = await loadCatalog(KIT_ROOT);
const first = catalog.exercises[0]!;

function isDirectory(path: string | URL): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** A released student kit has no solutions/: the tests that need them are ignored there. */
const HAS_SOLUTIONS = isDirectory(`${KIT_ROOT}/solutions`);

/**
 * The fixture corpus holds complete solutions (its passing submissions), so it is instructor-only
 * and a released student kit lacks it: the tests that read it are ignored there.
 */
const HAS_CORPUS = isDirectory(CORPUS);

/**
 * Short limits: a hanging fixture ends in about two seconds; nothing is timed. No type check (a
 * second of compiler per run, which the parallel suite cannot spare beside 2-second limits): the
 * type check has its own tests (typecheck_test.ts) and the syntax-error test below turns it on.
 */
const FAST: CheckExerciseOptions = {
  typeCheck: false,
  timed: false,
  timeoutMs: 2000,
  memoryMb: 768,
  heapMb: 256,
  cores: 2,
  seed: 42,
};

interface Expected {
  status: string;
  checks: Record<string, string>;
  /** A longer call limit for a fixture whose honest-looking work is heavy (a 120 MB string). */
  timeoutMs?: number;
}

for (
  const fixture of [...(HAS_CORPUS ? Deno.readDirSync(CORPUS) : [])].filter((e) => e.isDirectory)
    .map((e) => e.name)
    .sort()
) {
  const expected = JSON.parse(
    Deno.readTextFileSync(new URL(`${fixture}/expected.json`, CORPUS)),
  ) as Record<string, Expected>;
  for (const [slug, want] of Object.entries(expected)) {
    Deno.test(`checkExercise() gives fixture ${fixture} its verdicts on ${slug}`, async () => {
      const entry = catalog.exercises.find((e) => e.slug === slug)!;
      const result = await checkExercise(entry, {
        ...FAST,
        // Exercise 3's counter starts 4 pool workers, each loading lib: about 1.4 s here on a quiet
        // machine, past 2 s when the machine is loaded; its hanging fixtures take the longer limit.
        ...(slug.startsWith("03_") ? { timeoutMs: 6000 } : {}),
        ...(want.timeoutMs ? { timeoutMs: want.timeoutMs } : {}),
        source: { kind: "submission", dir: new URL(fixture, CORPUS).pathname },
      });
      ExerciseResultSchema.parse(result);
      const got = Object.fromEntries(result.checks.map((check) => [check.name, check.status]));
      deepEqual(got, want.checks, JSON.stringify(result.checks, null, 2));
      equal(result.status, want.status);
    });
  }
}

Deno.test({
  name: "checkExercise() names the file, line and column of a syntax error once",
  ignore: !HAS_CORPUS,
}, async () => {
  const result = await checkExercise(first, {
    ...FAST,
    typeCheck: true,
    source: { kind: "submission", dir: new URL("syntax_error", CORPUS).pathname },
  });
  // The type check names it once, with its column; the checks that load the file point there.
  match(result.checks[0]!.message, /^sum_range\.ts:3:32: SyntaxError: Expected '\)'/);
  equal(result.checks.filter((check) => /SyntaxError/.test(check.message)).length, 1);
  match(result.checks[4]!.message, /^The same error as "type check" above$/);
});

Deno.test({
  name: "checkExercise() keeps output that imitates a verdict apart from the verdict",
  ignore: !HAS_CORPUS,
}, async () => {
  const result = await checkExercise(first, {
    ...FAST,
    source: { kind: "submission", dir: new URL("imitates_verdict", CORPUS).pathname },
  });
  equal(result.status, "failed");
  match(result.output ?? "", /✔ all checks passed/);
});

Deno.test({
  name: "checkExercise() explains a number total that loses precision past 2^53",
  ignore: !HAS_CORPUS,
}, async () => {
  const result = await checkExercise(first, {
    ...FAST,
    source: { kind: "submission", dir: new URL("number_sum", CORPUS).pathname },
  });
  match(result.checks[6]!.message, /MAX_SAFE_INTEGER/);
});

Deno.test({
  name: "checkExercise() lets the student's code read neither solutions/ nor the grader",
  ignore: !HAS_CORPUS,
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/${first.slug}`);
    await Deno.copyFile(
      new URL("passing/01_guess_run_times/guesses.ts", CORPUS),
      `${dir}/${first.slug}/guesses.ts`,
    );
    await Deno.writeTextFile(
      `${dir}/${first.slug}/sum_range.ts`,
      `export function sumRange(lo: number, hi: number): bigint {
  const stolen = Deno.readTextFileSync(${
        JSON.stringify(`${KIT_ROOT}/solutions/${first.slug}/sum_range.ts`)
      });
  const grader = Deno.readTextFileSync(${JSON.stringify(`${KIT_ROOT}/grader/runner.ts`)});
  return BigInt(stolen.length + grader.length + lo + hi);
}\n`,
    );
    const result = await checkExercise(first, { ...FAST, source: { kind: "submission", dir } });
    equal(result.checks[3]!.status, "error");
    match(result.checks[3]!.message, /NotCapable: Requires read access/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "checkExercise() takes only the catalog's files and follows no link",
  ignore: !HAS_CORPUS,
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    const folder = `${dir}/exercises/${first.slug}`;
    await Deno.mkdir(folder, { recursive: true });
    await Deno.copyFile(
      new URL("passing/01_guess_run_times/guesses.ts", CORPUS),
      `${folder}/guesses.ts`,
    );
    await Deno.symlink(
      new URL("passing/01_guess_run_times/sum_range.ts", CORPUS).pathname,
      `${folder}/sum_range.ts`,
    );
    await Deno.mkdir(`${dir}/lib`);
    await Deno.writeTextFile(`${dir}/lib/mod.ts`, "throw new Error('not the kit lib');\n");
    equal(await sourceDir(first, { kind: "submission", dir }, KIT_ROOT), folder);
    const result = await checkExercise(first, { ...FAST, source: { kind: "submission", dir } });
    const byName = new Map(result.checks.map((check) => [check.name, check]));
    equal(byName.get(INGEST_CHECK)?.status, "error");
    match(byName.get(INGEST_CHECK)!.message, /sum_range\.ts is a link/);
    equal(byName.get("guess: the serial sum")?.status, "passed");
    equal(byName.get("sumRange: empty and one-number ranges")?.status, "error");
    match(byName.get("sumRange: empty and one-number ranges")!.message, /Module not found/);
    equal(result.status, "failed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "checkExercise() does not follow an exercise folder that is a link",
  ignore: !HAS_CORPUS,
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.symlink(new URL(`passing/${first.slug}`, CORPUS).pathname, `${dir}/${first.slug}`);
    const result = await checkExercise(first, { ...FAST, source: { kind: "submission", dir } });
    equal(result.checks[0]!.name, INGEST_CHECK);
    match(result.checks[0]!.message, /01_guess_run_times is a link/);
    ok(result.checks.slice(1).every((check) => check.status === "error"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkExercise() fails exercise 1's untouched stub", async () => {
  // The tests' own copy of the stub: the live exercises/ may hold the student's answers.
  const stubs = new URL("./testdata/stubs/", import.meta.url).pathname;
  const stub = await checkExercise(first, { ...FAST, source: { kind: "submission", dir: stubs } });
  equal(stub.status, "failed");
  equal(stub.score, 0);
  match(stub.checks[3]!.message, /TODO/);
});

Deno.test({
  name: "checkExercise() passes exercise 1's solution",
  ignore: !HAS_SOLUTIONS,
}, async () => {
  const solution = await checkExercise(first, { ...FAST, source: { kind: "solutions" } });
  equal(solution.status, "passed", JSON.stringify(solution.checks, null, 2));
  equal(solution.score, solution.maxScore);
  ok(solution.maxScore > 0);
});

Deno.test("checkExercise() skips timed checks when timing is off", async () => {
  const second = catalog.exercises[1]!;
  const result = await checkExercise(second, { ...FAST, source: { kind: "exercises" } });
  const timed = result.checks.find((check) => check.name.includes("faster"));
  equal(timed?.status, "skipped");
  equal(timed?.maxScore, 0);
  const rows = result.checks.reduce((sum, check) => sum + check.maxScore, 0);
  equal(result.maxScore, rows, "the exercise's points are the sum of its checks' points");
});

Deno.test("checkExercise() with a previous result runs only the timed checks", async () => {
  const second = catalog.exercises[1]!;
  const correctness = await checkExercise(second, { ...FAST, source: { kind: "exercises" } });
  const marked = {
    ...correctness,
    checks: correctness.checks.map((check) =>
      check.status === "skipped" ? check : { ...check, message: `kept: ${check.message}` }
    ),
  };
  const timed = await checkExercise(second, {
    ...FAST,
    timed: true,
    source: { kind: "exercises" },
    previous: marked,
  });
  deepEqual(timed.checks.map((check) => check.name), correctness.checks.map((c) => c.name));
  for (const [i, check] of timed.checks.entries()) {
    if (correctness.checks[i]!.status === "skipped") {
      // The timed check runs in this phase, never kept. On the untouched stub its parallel sum
      // failed, so it says why it cannot run; once the student solved the exercise (a released
      // kit's tests run on the student's own files) it is measured.
      ok(!check.message.startsWith("kept:"), check.message);
      const solved = correctness.checks.every((c) =>
        c.status === "passed" || c.status === "skipped"
      );
      if (!solved) match(check.message, /must pass first/);
    } else {
      deepEqual(check, marked.checks[i]);
    }
  }
});

Deno.test({
  name: "checkExercise() reports a student file over the cap on the row, and takes nothing of it",
  ignore: !HAS_CORPUS,
}, async () => {
  const result = await checkExercise(first, {
    ...FAST,
    fileBytes: 100,
    source: { kind: "submission", dir: new URL("passing", CORPUS).pathname },
  });
  equal(result.checks[0]!.name, INGEST_CHECK);
  match(result.checks[0]!.message, /sum_range\.ts is larger than the cap of 100 bytes a file/);
  equal(result.status, "failed");
});
