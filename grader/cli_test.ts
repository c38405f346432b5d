import { deepEqual, equal, match, ok } from "node:assert/strict";
import { EXIT, main } from "./cli.ts";
import { captureIo } from "./testdata/capture_io.ts";
import { loadCatalog } from "./catalog.ts";
import { KIT_ROOT } from "./runner.ts";

const capture = captureIo;

const FAST = { timed: false, timeoutMs: 2000, memoryMb: 768, heapMb: 256, cores: 2 };

/**
 * A throwaway kit: the catalog, exercise 1's untouched stub (the tests' own copy in
 * `testdata/stubs/`, so they hold once the student has solved the live `exercises/`), lib, and
 * optionally solutions.
 */
async function tempKit(withSolutions: boolean): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "parakit-kit-" });
  const copy = async (path: string) => {
    const info = await Deno.stat(`${KIT_ROOT}/${path}`);
    if (info.isFile) {
      await Deno.mkdir(`${root}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
      await Deno.copyFile(`${KIT_ROOT}/${path}`, `${root}/${path}`);
      return;
    }
    for await (const entry of Deno.readDir(`${KIT_ROOT}/${path}`)) {
      if (entry.isFile) await copy(`${path}/${entry.name}`);
    }
  };
  await copy("exercises/catalog.json");
  await Deno.mkdir(`${root}/exercises/01_guess_run_times`, { recursive: true });
  for (const file of ["guesses.ts", "sum_range.ts"]) {
    await Deno.copyFile(
      `${KIT_ROOT}/grader/testdata/stubs/01_guess_run_times/${file}`,
      `${root}/exercises/01_guess_run_times/${file}`,
    );
  }
  await copy("lib");
  if (withSolutions) await copy("solutions/01_guess_run_times");
  return root;
}

/** A released student kit has no solutions/: the tests that need them are ignored there. */
const HAS_SOLUTIONS = (() => {
  try {
    return Deno.statSync(`${KIT_ROOT}/solutions`).isDirectory;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "main() check exits 1 on the stub, 0 on the solution, and records progress",
  ignore: !HAS_SOLUTIONS,
}, async () => {
  const kit = await tempKit(true);
  try {
    const io = capture();
    equal(await main(["check", "1"], { kitRoot: kit, io, runner: FAST }), EXIT.failed);
    match(io.stdout.join(""), /✘ sumRange: empty and one-number ranges error/);
    // The hint is given on request only: the report points to it.
    match(io.stdout.join(""), /\n {2}stuck\? deno task hint 1\n/);
    ok(!io.stdout.join("").includes("hint:"));
    equal(await main(["check", "01", "--solution"], { kitRoot: kit, io, runner: FAST }), 0);
    const list = capture();
    equal(await main(["list"], { kitRoot: kit, io: list }), 0);
    match(list.stdout.join(""), /01_guess_run_times .* failed 0\/7/);
    match(list.stdout.join(""), /02_try_pymp1 .* not checked yet/);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("main() check --json prints only the result data on stdout", async () => {
  const kit = await tempKit(false);
  try {
    const io = capture();
    equal(
      await main(["check", "01_guess_run_times", "--json"], { kitRoot: kit, io, runner: FAST }),
      1,
    );
    const report = JSON.parse(io.stdout.join(""));
    equal(report.version, 1);
    equal(report.exercises.length, 1);
    equal(report.exercises[0].exercise, "01_guess_run_times");
    equal(report.exercises[0].status, "failed");
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("main() check --solution in a kit without solutions/ is a usage error", async () => {
  const kit = await tempKit(false);
  try {
    const io = capture();
    equal(await main(["check", "1", "--solution"], { kitRoot: kit, io, runner: FAST }), 2);
    match(io.stderr.join(""), /^error: this kit has no solutions\//);
    deepEqual(io.stdout, []);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("main() reports bad usage on one line with exit code 2", async () => {
  for (
    const args of [["check", "7"], ["check"], ["check", "1", "--bogus"], [
      "check",
      "1",
      "--seed",
      "-3",
    ], [
      "frobnicate",
    ], []]
  ) {
    const io = capture();
    equal(await main(args, { io }), EXIT.usage, args.join(" "));
    const text = io.stderr.join("");
    ok(!/\n\s+at /.test(text), `no stack trace: ${text}`);
  }
  const io = capture();
  await main(["check", "7"], { io });
  equal(io.stderr.join(""), "error: no exercise 7: exercises are 1-3 (deno task list)\n");
});

Deno.test("main() list rejects an extra argument with exit code 2", async () => {
  const io = capture();
  equal(await main(["list", "extra"], { io }), EXIT.usage);
  equal(io.stdout.join(""), "");
  equal(
    io.stderr.join(""),
    "error: unexpected argument extra: deno task list takes no argument\n",
  );
});

Deno.test("main() hint prints the first hint, and the more explicit ones with --more", async () => {
  const catalog = await loadCatalog(KIT_ROOT);
  const entry = catalog.exercises[1]!;
  const io = capture();
  equal(await main(["hint", "2"], { io }), 0);
  const first = io.stdout.join("");
  match(first, /^02_try_pymp1 · /);
  ok(first.includes(entry.hint));
  match(first, /deno task hint 2 --more/);
  ok(entry.more?.length, "exercise 2 has further hints");
  ok(entry.more!.every((hint) => !first.includes(hint)));
  const more = capture();
  equal(await main(["hint", "2", "--more"], { io: more }), 0);
  ok(entry.more!.every((hint) => more.stdout.join("").includes(hint)));
});

Deno.test("main() answers a wrong option with the kit's own one-line usage", async () => {
  for (
    const [args, want] of [
      [["check", "1", "--bogus"], "error: unknown option --bogus: usage: deno task check N|all"],
      [["check", "1", "--seed"], "error: --seed needs a value: usage: deno task check N|all"],
      [["check", "1", "--json=yes"], "error: --json takes no value: usage: deno task check N|all"],
      [["list", "-x"], "error: unknown option -x: usage: deno task list (deno task list --help)"],
    ] as const
  ) {
    const io = capture();
    equal(await main(args, { io }), EXIT.usage, args.join(" "));
    const text = io.stderr.join("");
    ok(text.startsWith(want), text);
    equal(text.split("\n").length, 2, text);
    ok(!/'--'|"|To specify/.test(text), `no parser advice: ${text}`);
  }
});

Deno.test("main() --help lists instructor options only in the instructor's kit", async () => {
  const student = await tempKit(false);
  // An instructor's kit is one with solutions/ (a released kit has none to copy).
  const instructor = await tempKit(false);
  await Deno.mkdir(`${instructor}/solutions`);
  try {
    const io = capture();
    equal(await main(["--help"], { kitRoot: student, io }), 0);
    ok(!io.stdout.join("").includes("--solution"), io.stdout.join(""));
    match(io.stdout.join(""), /deno task hint N \[--more\]/);
    const both = capture();
    equal(await main(["--help"], { kitRoot: instructor, io: both }), 0);
    match(both.stdout.join(""), /--solution/);
  } finally {
    await Deno.remove(student, { recursive: true });
    await Deno.remove(instructor, { recursive: true });
  }
});

Deno.test("main() exits 3 when the kit's catalog is broken", async () => {
  const kit = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${kit}/exercises`);
    await Deno.writeTextFile(`${kit}/exercises/catalog.json`, "{ not json");
    const io = capture();
    equal(await main(["list"], { kitRoot: kit, io }), EXIT.internal);
    match(io.stderr.join(""), /^error: Cannot parse the catalog/);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});
