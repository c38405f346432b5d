import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { CLASSROOM_ACTIONS, WORKFLOW_PATH } from "./classroom_workflow.ts";
import {
  INSTRUCTOR_ONLY,
  INSTRUCTOR_TASKS,
  isShipped,
  release,
  releaseMain,
  ReleaseTargetError,
} from "./release.ts";
import { KIT_ROOT } from "../_kit_root.ts";

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
  // So do lib test tasks that are exercise 3's answers word for word; their loader ships.
  ok(!isShipped("lib/testdata/answer_tasks.ts"));
  ok(isShipped("lib/testdata/answers.ts"));
  ok(isShipped("lib/testdata/shared_tasks.ts"));
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
    "grader/instructor/release.ts": "// instructor\n",
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
  return await runCommand(Deno.execPath(), args, { cwd, env: { NO_COLOR: "1" } });
}

async function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; clearEnv?: boolean },
) {
  const output = await new Deno.Command(command, {
    args,
    ...options,
    stdout: "piped",
    stderr: "piped",
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
    ok(summary.files.every((path) => !path.startsWith("grader/instructor/")));
    const grade = await run(out, "run", "--allow-all", "grader/cli.ts", "grade", "submissions");
    equal(grade.code, 2);
    ok(/deno task grade is not in the student kit/.test(grade.stderr), grade.stderr);
  } finally {
    await Deno.remove(join(out, ".."), { recursive: true });
  }
});

/**
 * Runs a workflow step's command the way GitHub Classroom's command grader does: through a shell,
 * in the repository's root, with only PATH, HOME and FORCE_COLOR set (`wrap` prefixes it, as
 * `taskset -c 0` does to stand in for a one-core runner).
 */
function runStep(kit: string, command: string, wrap: string[] = []) {
  const [program, ...args] = [...wrap, "sh", "-c", command];
  return runCommand(program!, args, {
    cwd: kit,
    clearEnv: true,
    env: {
      PATH: `${join(Deno.execPath(), "..")}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      HOME: Deno.env.get("HOME") ?? "/tmp",
      FORCE_COLOR: "true",
    },
  });
}

Deno.test("release() writes the GitHub Classroom workflow, and its grading commands run in the released kit", async () => {
  const out = join(await Deno.makeTempDir({ prefix: "parakit_release_" }), "kit");
  try {
    const summary = await release(out, { kitRoot: KIT_ROOT });
    ok(summary.files.includes(WORKFLOW_PATH));
    const workflow = parse(await Deno.readTextFile(join(out, WORKFLOW_PATH)));
    const steps: { uses?: string; run?: string; with?: Record<string, string | number> }[] =
      workflow.jobs["run-autograding-tests"].steps;
    const graders = steps.filter((step) => step.uses === CLASSROOM_ACTIONS.grader);
    ok(graders.length > 0);
    // The step that caches the packages works from the released deno.lock.
    const install = steps.find((step) => step.run?.startsWith("deno install"))!;
    const installed = await runStep(out, install.run!);
    equal(installed.code, 0, installed.stderr);
    // The first exercise's step on the untouched stubs: a verdict (1, some check did not pass),
    // with the checks and their messages in the log the student reads; never 2 or 3.
    const first = await runStep(out, String(graders[0]!.with!.command));
    equal(first.code, 1, first.stderr);
    ok(first.stdout.includes("sumRange"), first.stdout);
    // A one-core runner: exercise 2's solution passes its correctness checks and the speedup
    // check is skipped with a message that says why (taskset stands in for such a runner).
    const taskset = await runCommand("taskset", ["-c", "0", "true"], { cwd: out, env: {} })
      .catch(() => undefined);
    if (taskset?.code === 0) {
      const slug = "02_try_pymp1";
      for await (const entry of Deno.readDir(join(KIT_ROOT, "solutions", slug))) {
        if (!entry.isFile) continue;
        await Deno.copyFile(
          join(KIT_ROOT, "solutions", slug, entry.name),
          join(out, "exercises", slug, entry.name),
        );
      }
      const second = graders.find((step) => String(step.with!.command).endsWith(" 2"))!;
      const single = await runStep(out, `${second.with!.command} --json`, ["taskset", "-c", "0"]);
      equal(single.code, 1, single.stderr);
      const result = JSON.parse(single.stdout).exercises[0];
      equal(result.machine.cores, 1);
      const speedup = result.checks.find((check: { name: string }) => /faster/.test(check.name));
      equal(speedup.status, "skipped");
      match(speedup.message, /only one core/);
      ok(
        result.checks.filter((check: { status: string }) => check.status !== "skipped")
          .every((check: { status: string }) => check.status === "passed"),
        single.stdout,
      );
    }
  } finally {
    await Deno.remove(join(out, ".."), { recursive: true });
  }
});
