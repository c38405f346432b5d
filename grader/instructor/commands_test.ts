import { equal, ok } from "node:assert/strict";
import { EXIT, main } from "../cli.ts";
import { INSTRUCTOR_COMMANDS } from "../_instructor_commands.ts";
import { RELEASE_EXIT } from "./release.ts";
import { GRADESCOPE_EXIT } from "./gradescope/bundle.ts";
import { GRADE_EXIT } from "./batch/batch.ts";

const silent = { out: () => {}, err: () => {}, color: false, progress: false };

Deno.test("grader/cli.ts runs the instructor's commands, with their exit codes", async () => {
  // Both refuse a bad argument before doing anything (their usage goes to stderr).
  equal(await main(["release"], { io: silent }), RELEASE_EXIT.usage);
  equal(await main(["gradescope", "not-a-zip"], { io: silent }), GRADESCOPE_EXIT.usage);
});

Deno.test("every instructor command's exit codes are the one table's", async () => {
  const values = new Set<number>(Object.values(EXIT));
  for (const table of [RELEASE_EXIT, GRADESCOPE_EXIT, GRADE_EXIT]) {
    for (const code of Object.values(table)) ok(values.has(code), String(code));
  }
  for (const [name, { module, main: fn }] of Object.entries(INSTRUCTOR_COMMANDS)) {
    const loaded = await import(new URL(`../${module}`, import.meta.url).href);
    equal(typeof loaded[fn], "function", name);
  }
});
