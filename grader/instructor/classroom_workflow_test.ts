import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { parse } from "yaml";
import { loadCatalog, parseCatalog } from "../catalog.ts";
import { CLASSROOM_ACTIONS, classroomSteps, classroomWorkflow } from "./classroom_workflow.ts";
import { DENO_VERSION } from "../deno_version.ts";
import { CHECKS as CHECKS_01 } from "../checks/01_guess_run_times.ts";
import { CHECKS as CHECKS_02 } from "../checks/02_try_pymp1.ts";
import { CHECKS as CHECKS_03 } from "../checks/03_explore_structures.ts";
import { KIT_ROOT } from "../_kit_root.ts";

interface Step {
  name: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}

Deno.test("classroomWorkflow() parses as GitHub Classroom's workflow: one graded step per exercise with its points", async () => {
  const catalog = await loadCatalog(KIT_ROOT);
  const workflow = parse(classroomWorkflow(catalog));
  // What GitHub Classroom requires of a workflow it reads scores from.
  equal(workflow.name, "Autograding Tests");
  deepEqual(Object.keys(workflow.jobs), ["run-autograding-tests"]);
  ok(workflow.on.includes("push"));
  const steps: Step[] = workflow.jobs["run-autograding-tests"].steps;
  equal(steps[0]!.uses, CLASSROOM_ACTIONS.checkout);
  ok(steps.some((step) => step.run?.includes(`npm install -g deno@${DENO_VERSION}`)));
  const graders = steps.filter((step) => step.uses === CLASSROOM_ACTIONS.grader);
  // Each exercise's checks, counted from the check lists themselves.
  const points: Record<string, number> = Object.fromEntries(
    [CHECKS_01, CHECKS_02, CHECKS_03].map((checks, index) => [
      catalog.exercises[index]!.slug,
      checks.reduce((sum, check) => sum + check.points, 0),
    ]),
  );
  equal(graders.length, catalog.exercises.length);
  for (const [index, entry] of catalog.exercises.entries()) {
    const step = graders[index]!;
    ok(String(step.with!["test-name"]).includes(entry.slug), String(step.with!["test-name"]));
    ok(String(step.with!["test-name"]).includes(entry.title));
    equal(step.with!.command, `deno task check ${entry.id}`);
    equal(step.with!["max-score"], points[entry.slug]);
    ok(Number(step.with!.timeout) >= 1);
    match(step.id!, /^[a-z0-9]+$/, "the reporter reads <ID>_RESULTS; ids stay letters and digits");
  }
  const reporter = steps.at(-1)!;
  equal(reporter.uses, CLASSROOM_ACTIONS.reporter);
  deepEqual(String(reporter.with!.runners).split(","), graders.map((step) => step.id));
  for (const step of graders) {
    equal(
      reporter.env![`${step.id!.toUpperCase()}_RESULTS`],
      `\${{ steps.${step.id}.outputs.result }}`,
    );
  }
});

Deno.test("classroomSteps() rejects an exercise without checks and a timeout out of range", () => {
  const catalog = parseCatalog({
    version: 1,
    exercises: [{ id: 1, slug: "09_unknown", title: "Unknown", files: ["a.ts"], hint: "None." }],
  });
  throws(() => classroomSteps(catalog), {
    name: "RangeError",
    message: /no checks for exercise 09_unknown/,
  });
  throws(() => classroomSteps(catalog, { points: () => 1, timeoutMinutes: 0 }), RangeError);
  throws(() => classroomSteps(catalog, { points: () => 1, timeoutMinutes: 361 }), RangeError);
  throws(() => classroomWorkflow(catalog, { points: () => 1, denoVersion: "latest" }), RangeError);
});

Deno.test("DENO_VERSION is the version CI and the README install", async () => {
  const ci = await Deno.readTextFile(`${KIT_ROOT}/.ci/run`);
  equal(/^DENO_VERSION=(\S+)$/m.exec(ci)?.[1], DENO_VERSION);
  const readme = await Deno.readTextFile(`${KIT_ROOT}/README.md`);
  const pins = [...readme.matchAll(/npm install -g deno@(\S+)/g)].map((found) => found[1]);
  ok(pins.length > 0);
  deepEqual([...new Set(pins)], [DENO_VERSION]);
});
