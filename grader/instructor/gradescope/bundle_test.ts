import { deepEqual, equal, ok } from "node:assert/strict";
import { unzipSync } from "fflate";
import { dirname, join } from "node:path";
import { gradescopeBundle, gradescopeMain } from "./bundle.ts";
import { exerciseFolders } from "./run.ts";
import { parseCatalog } from "../../catalog.ts";
import { GradescopeResultsSchema } from "../../report/gradescope.ts";
import { KIT_ROOT } from "../../_kit_root.ts";

const SOLUTIONS = join(KIT_ROOT, "solutions");
const HAS_SOLUTIONS = await Deno.stat(SOLUTIONS).then(() => true, () => false);

Deno.test("gradescopeBundle() holds the scripts, the guide and the kit, never the solutions", async () => {
  const { zip, files } = await gradescopeBundle();
  const entries = Object.keys(unzipSync(zip));
  for (const name of ["setup.sh", "run_autograder", "GRADESCOPE.md"]) ok(entries.includes(name));
  ok(entries.includes("kit/exercises/catalog.json"));
  ok(entries.includes("kit/grader/instructor/gradescope/run.ts"));
  ok(entries.includes("kit/deno.lock"));
  equal(entries.filter((name) => name.startsWith("kit/solutions/")).length, 0);
  equal(entries.filter((name) => name.startsWith("kit/grader/testdata/submissions/")).length, 0);
  // The corpus's passing fixtures are complete solutions too.
  equal(entries.filter((name) => name.startsWith("kit/grader/testdata/corpus/")).length, 0);
  equal(files.length, entries.length - 3);
  const guide = new TextDecoder().decode(unzipSync(zip)["GRADESCOPE.md"]);
  ok(guide.includes("at least 2 CPUs"));
});

Deno.test("gradescopeMain() wants one .zip path", async () => {
  equal(await gradescopeMain([]), 2);
  equal(await gradescopeMain(["bundle.tar"]), 2);
});

Deno.test("exerciseFolders() finds folders, a kit copy, one zip folder, or lays loose files out", async () => {
  const catalog = parseCatalog({
    version: 1,
    exercises: [
      { id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" },
      { id: 2, slug: "02_b", title: "B", files: ["b.ts"], hint: "h" },
    ],
  });
  const root = await Deno.makeTempDir({ prefix: "parakit_gs_layout_" });
  const write = async (path: string) => {
    await Deno.mkdir(dirname(join(root, path)), { recursive: true });
    await Deno.writeTextFile(join(root, path), "export {};\n");
  };
  try {
    await write("folders/01_a/a.ts");
    await write("kit/exercises/02_b/b.ts");
    await write("zipped/my work/exercises/01_a/a.ts");
    await write("loose/a.ts");
    await write("loose/b.ts");
    await write("loose/notes.txt");
    const found = async (name: string) => {
      const { exercisesDir, cleanup } = await exerciseFolders(join(root, name), catalog);
      const a = await Deno.stat(join(exercisesDir, "01_a", "a.ts")).then(() => true, () => false);
      const b = await Deno.stat(join(exercisesDir, "02_b", "b.ts")).then(() => true, () => false);
      const temporary = !exercisesDir.startsWith(root);
      await cleanup();
      return { dir: exercisesDir.replace(root, ""), a, b, temporary };
    };
    equal((await found("folders")).dir, "/folders");
    equal((await found("kit")).dir, "/kit/exercises");
    equal((await found("zipped")).dir, "/zipped/my work/exercises");
    const loose = await found("loose");
    ok(loose.a && loose.b && loose.temporary);
    // A linked exercises/ (to files the student did not write) is not taken for the student's.
    await write("elsewhere/01_a/a.ts");
    await Deno.mkdir(join(root, "linked", "top"), { recursive: true });
    await Deno.symlink(join(root, "elsewhere"), join(root, "linked", "top", "exercises"));
    const linked = await found("linked");
    ok(!linked.a && linked.temporary, JSON.stringify(linked));
    // Loose files follow ingestion's rules: a link or an oversized file is refused and reported.
    await write("hostile/a.ts");
    await Deno.symlink("/etc/hostname", join(root, "hostile", "b.ts"));
    const hostile = await exerciseFolders(join(root, "hostile"), catalog);
    try {
      equal(await Deno.readTextFile(join(hostile.exercisesDir, "01_a", "a.ts")), "export {};\n");
      equal(await Deno.lstat(join(hostile.exercisesDir, "02_b", "b.ts")).catch(() => null), null);
      deepEqual(hostile.problems?.map((p) => [p.exercise, p.path]), [["02_b", "b.ts"]]);
    } finally {
      await hostile.cleanup();
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: HAS_SOLUTIONS
    ? "run_autograder grades a submission laid out like /autograder; on one core speedups are skipped"
    : "run_autograder end to end (IGNORED: this kit has no solutions/ to submit)",
  ignore: !HAS_SOLUTIONS,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "parakit_autograder_" });
    try {
      // Unzip the bundle into ROOT/source, as Gradescope does.
      const { zip } = await gradescopeBundle();
      for (const [name, bytes] of Object.entries(unzipSync(zip))) {
        const path = join(root, "source", name);
        await Deno.mkdir(dirname(path), { recursive: true });
        await Deno.writeFile(path, bytes);
      }
      // The student uploaded loose files: exercise 1 and 2's solutions.
      await Deno.mkdir(join(root, "submission"));
      for (const file of ["01_guess_run_times/guesses.ts", "01_guess_run_times/sum_range.ts"]) {
        await Deno.copyFile(join(SOLUTIONS, file), join(root, "submission", file.split("/")[1]!));
      }
      await Deno.copyFile(
        join(SOLUTIONS, "02_try_pymp1/parallel_sum.ts"),
        join(root, "submission", "parallel_sum.ts"),
      );
      const run = async (script: string, env: Record<string, string>) => {
        const output = await new Deno.Command("bash", {
          args: [join(root, "source", script)],
          env: { AUTOGRADER_ROOT: root, NO_COLOR: "1", ...env },
          stdout: "piped",
          stderr: "piped",
        }).output();
        return `${new TextDecoder().decode(output.stdout)}${
          new TextDecoder().decode(output.stderr)
        }|${output.code}`;
      };
      const setup = await run("setup.sh", {});
      ok(setup.endsWith("|0"), setup);
      const graded = await run("run_autograder", { PARAKIT_CORES: "1" });
      ok(graded.endsWith("|0"), graded);
      const results = GradescopeResultsSchema.parse(
        JSON.parse(await Deno.readTextFile(join(root, "results", "results.json"))),
      );
      const tests = new Map(results.tests.map((test) => [test.name, test]));
      for (const [name, test] of tests) {
        if (name.startsWith("01_guess_run_times")) equal(test.status, "passed", name);
      }
      const speedup = [...tests.values()].find((test) =>
        test.name.startsWith("02_try_pymp1") && /faster/.test(test.name)
      )!;
      ok(speedup, [...tests.keys()].join(", "));
      equal(speedup.status, "failed");
      equal(speedup.max_score, 0);
      ok(speedup.output.startsWith("skipped: "), speedup.output);
      ok(results.score >= 7, String(results.score));
      ok(results.output.includes("1 cores"), results.output.slice(0, 300));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
