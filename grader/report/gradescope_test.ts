import { deepEqual, equal, match, ok } from "node:assert/strict";
import { gradescopeResults, GradescopeResultsSchema } from "./gradescope.ts";
import { fakeCheck, fakeExercise, fakeGradebook, fakeStudent } from "./_fake_results.ts";

Deno.test("gradescopeResults() gives one test per check, in order, valid against its schema", () => {
  for (const row of fakeGradebook().students) {
    const results = GradescopeResultsSchema.parse(gradescopeResults(row));
    equal(results.score, row.score);
    deepEqual(
      results.tests.map((test) => test.name),
      row.exercises.flatMap((result) => result.checks.map((c) => `${result.exercise}: ${c.name}`)),
    );
    equal(results.tests.reduce((sum, test) => sum + test.score, 0), row.score);
  }
});

Deno.test("gradescopeResults() gives every test a status, passed only where the check passed", () => {
  const row = fakeStudent("s", [
    fakeExercise("02_try_pymp1", [
      fakeCheck("a", "passed"),
      fakeCheck("b", "timeout"),
      fakeCheck("c", "skipped", { message: "Speedup not checked: 1 core" }),
      fakeCheck("d", "inconclusive"),
      fakeCheck("e", "out-of-memory"),
    ]),
  ]);
  const tests = gradescopeResults(row).tests;
  deepEqual(tests.map((test) => test.status), ["passed", "failed", "failed", "failed", "failed"]);
  deepEqual(tests.map((test) => test.number), ["1.1", "1.2", "1.3", "1.4", "1.5"]);
  equal(tests[2]?.output, "skipped: Speedup not checked: 1 core");
  match(tests[3]?.output ?? "", /^inconclusive/);
  equal(tests[2]?.max_score, 0);
});

Deno.test("gradescopeResults() records the machine, thresholds and the student's output", () => {
  const row = fakeGradebook().students[1]!;
  row.exercises[1]!.output = "hello from bob";
  const results = gradescopeResults(row, { visibility: "after_published" });
  ok(results.output.includes("2 cores, Deno 2.9.6, linux x86_64, load 0.40"), results.output);
  ok(results.output.includes("parallelSum is faster ≥ 1.50×"), results.output);
  ok(results.output.includes("hello from bob"), results.output);
  equal(results.visibility, "after_published");
  ok(results.tests.every((test) => test.visibility === "after_published"));
  ok(results.tests[2]?.output.includes("speedup 1.10×, threshold 1.50×"));
});

Deno.test("gradescopeResults() survives JSON: no undefined fields reach the file", () => {
  const results = gradescopeResults(fakeGradebook().students[2]!);
  const parsed = GradescopeResultsSchema.parse(JSON.parse(JSON.stringify(results)));
  equal(parsed.tests.length, results.tests.length);
});
