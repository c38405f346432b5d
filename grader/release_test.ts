import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import {
  INSTRUCTOR_ONLY,
  INSTRUCTOR_TASKS,
  isShipped,
  release,
  releaseMain,
  ReleaseTargetError,
} from "./release.ts";

const KIT_ROOT = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(/\/$/, "");

Deno.test("isShipped() keeps the student's kit and drops solutions, instructor tools and local state", () => {
  ok(isShipped("exercises/02_try_pymp1/parallel_sum.ts"));
  ok(isShipped("lib/pool.ts"));
  ok(isShipped("grader/cli.ts"));
  ok(isShipped("solutionsX/a.ts"));
  for (const path of INSTRUCTOR_ONLY) ok(!isShipped(path.endsWith("/") ? `${path}x.ts` : path));
  ok(!isShipped(".git/config"));
  ok(!isShipped(".parakit/progress.json"));
  ok(!isShipped("gradebook/gradebook.csv"));
  // Benchmarks that hold an answer (the exact parallel sum) stay with the instructor.
  ok(!isShipped("bench/pool_exact_sum.ts"));
  ok(!isShipped("bench/_tasks.ts"));
});

async function fakeKit(): Promise<string> {
  const kit = await Deno.makeTempDir({ prefix: "parakit_fakekit_" });
  const files: Record<string, string> = {
    "deno.json": JSON.stringify({
      tasks: { check: "echo check", grade: "echo grade", release: "echo r", "dev:check": "echo d" },
    }),
    "README.md": "# Kit\n\nRun `deno task check 1`.\n\n<!-- instructor-only -->\n" +
      "Grade with `deno task grade DIR`.\n<!-- /instructor-only -->\n\nRun `deno task watch`.\n",
    "exercises/01_x/a.ts": "export const a = 1;\n",
    "solutions/01_x/a.ts": "export const a = 2;\n",
    "grader/release.ts": "// instructor\n",
    "grader/cli.ts": "// student\n",
    ".parakit/progress.json": "{}",
  };
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(kit, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(kit, path), text);
  }
  await Deno.chmod(join(kit, "exercises/01_x/a.ts"), 0o755);
  return kit;
}

Deno.test("release() copies a kit without its solutions, instructor tasks and instructor text", async () => {
  const kit = await fakeKit();
  const out = join(await Deno.makeTempDir({ prefix: "parakit_release_" }), "student kit");
  try {
    const summary = await release(out, { kitRoot: kit });
    deepEqual(summary.files, ["README.md", "deno.json", "exercises/01_x/a.ts", "grader/cli.ts"]);
    deepEqual(summary.missingTasks, ["watch"]);
    const config = JSON.parse(await Deno.readTextFile(join(out, "deno.json")));
    deepEqual(Object.keys(config.tasks), ["check"]);
    equal(
      await Deno.readTextFile(join(out, "README.md")),
      "# Kit\n\nRun `deno task check 1`.\n\nRun `deno task watch`.\n",
    );
    equal((await Deno.stat(join(out, "exercises/01_x/a.ts"))).mode! & 0o777, 0o755);
    await rejects(Deno.stat(join(out, "solutions")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(kit, { recursive: true });
    await Deno.remove(join(out, ".."), { recursive: true });
  }
});

Deno.test("release() refuses an OUT that is not empty or not a folder, and writes nothing", async () => {
  const kit = await fakeKit();
  const dir = await Deno.makeTempDir({ prefix: "parakit_release_" });
  try {
    await Deno.writeTextFile(join(dir, "keep.txt"), "mine");
    await rejects(release(dir, { kitRoot: kit }), ReleaseTargetError);
    deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["keep.txt"]);
    await rejects(release(join(dir, "keep.txt"), { kitRoot: kit }), {
      name: "ReleaseTargetError",
      message: /is not a folder/,
    });
    equal(await releaseMain([dir]), 2);
    equal(await releaseMain([]), 2);
    // An empty folder is fine.
    await Deno.mkdir(join(dir, "empty"));
    await release(join(dir, "empty"), { kitRoot: kit });
  } finally {
    await Deno.remove(kit, { recursive: true });
    await Deno.remove(dir, { recursive: true });
  }
});

async function run(cwd: string, ...args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("release() of this kit stands alone: no solutions, its commands work, --solution says why not", async () => {
  const out = join(await Deno.makeTempDir({ prefix: "parakit_release_" }), "kit");
  try {
    const summary = await release(out, { kitRoot: KIT_ROOT });
    ok(summary.files.includes("exercises/catalog.json"));
    // The README's commands work in the student kit: instructor-only ones sit between markers.
    deepEqual(
      summary.missingTasks,
      [],
      "README.md names tasks the student kit lacks: wrap that text in " +
        "<!-- instructor-only --> ... <!-- /instructor-only -->",
    );
    ok(summary.files.every((path) => !path.startsWith("solutions/")));
    const config = JSON.parse(await Deno.readTextFile(join(out, "deno.json")));
    for (const task of INSTRUCTOR_TASKS) equal(config.tasks[task], undefined, task);
    const fmt = await run(out, "fmt", "--check", "deno.json");
    equal(fmt.code, 0, fmt.stderr);
    const check = await run(out, "check", "grader/cli.ts");
    equal(check.code, 0, check.stderr);
    const solution = await run(out, "task", "-q", "check", "1", "--solution");
    equal(solution.code, 2);
    ok(/no solutions/.test(solution.stderr), solution.stderr);
    equal(solution.stderr.trim().split("\n").length, 1, solution.stderr);
    const list = await run(out, "task", "-q", "list");
    equal(list.code, 0, list.stderr);
    ok(list.stdout.includes("01_guess_run_times") || list.stdout.includes("Guess"), list.stdout);
  } finally {
    await Deno.remove(join(out, ".."), { recursive: true });
  }
});
