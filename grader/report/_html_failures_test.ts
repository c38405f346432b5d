import { deepEqual, equal, ok } from "node:assert/strict";
import type { CheckResult, Measurements } from "../result.ts";
import { failureGroups, failureKind } from "./_failure_groups.ts";
import { failureTable, studentLinks } from "./_html_failures.ts";
import { fakeCheck, fakeExercise, fakeGradebook, fakeStudent } from "./_fake_results.ts";

const SPEED = "parallelSum: faster than the serial sum";

function timed(status: CheckResult["status"], measurements: Measurements, message = "m") {
  return fakeCheck(SPEED, status, {
    message,
    measurements: { threshold: 1.4, workers: 2, cores: 2, ...measurements },
  });
}

function kindOf(check: CheckResult, cores = 2): string | undefined {
  const result = fakeExercise("02_try_pymp1", [check]);
  return failureKind(check, { ...result, machine: { ...result.machine, cores } });
}

Deno.test("failureKind() reads why a check failed from its measurements, never from its message", () => {
  // 315× on 2 cores: above 1.5 × 2, the work was skipped.
  equal(kindOf(timed("failed", { speedup: 315 })), "impossible");
  // The interval's lower bound decides, as the verdict does: 3.2× whose bound reaches 2.8× is not
  // impossible on 2 cores (it failed on something else).
  equal(kindOf(timed("failed", { speedup: 3.2, speedupLow: 2.8 })), "failed");
  equal(kindOf(timed("failed", { speedup: 3.4, speedupLow: 3.1 })), "impossible");
  // The bound scales with the cores the check measured on, else the machine's.
  equal(kindOf(timed("failed", { speedup: 5, cores: 4 })), "failed");
  equal(kindOf(fakeCheck(SPEED, "failed", { measurements: { speedup: 5 } }), 4), "failed");
  equal(kindOf(fakeCheck(SPEED, "failed", { measurements: { speedup: 5 } }), 2), "impossible");
  // A sleep: slow, and under half the reference's CPU time.
  equal(kindOf(timed("failed", { speedup: 1.2, workShare: 0.05 })), "not-done");
  equal(kindOf(timed("failed", { speedup: 1.1, workShare: 0.98 })), "below-threshold");
  // A message that claims otherwise changes nothing.
  const claim = "315.00× is more than 2 cores can give: the sum was not computed";
  equal(kindOf(timed("failed", { speedup: 1.1 }, claim)), "below-threshold");
  equal(kindOf(fakeCheck("exact", "failed", { message: claim })), "failed");
  // Statuses.
  equal(kindOf(timed("inconclusive", { speedup: 1.3 })), "inconclusive");
  equal(kindOf(fakeCheck("exact", "error")), "error");
  for (const status of ["crashed", "timeout", "out-of-memory"] as const) {
    equal(kindOf(fakeCheck("exact", status)), "crashed", status);
  }
  equal(kindOf(timed("passed", { speedup: 1.9 })), undefined);
  equal(kindOf(fakeCheck(SPEED, "skipped")), undefined);
});

Deno.test("failureKind() leaves a check that did not run to the not-run table", () => {
  const missing = fakeCheck("exact", "error", {
    message: "parallel_sum.ts is missing or could not be loaded (Module not found)",
  });
  const after = fakeCheck(SPEED, "failed", { message: 'Not run: "exact" must pass first' });
  const result = fakeExercise("02_try_pymp1", [missing, after]);
  equal(failureKind(missing, result), undefined);
  equal(failureKind(after, result), undefined);
});

Deno.test("failureGroups() groups one check by reason, the most common first, with what was measured", () => {
  const speeds: [string, CheckResult][] = [
    ["p1", timed("passed", { speedup: 1.9 })],
    ["p2", timed("passed", { speedup: 1.95 })],
    ["c1", timed("failed", { speedup: 315, speedupLow: 290 }, "315× is too fast")],
    ["c2", timed("failed", { speedup: 40 }, "40× is too fast")],
    ["s1", timed("failed", { speedup: 1.1 }, "1.10×, below")],
    ["s2", timed("failed", { speedup: 1.3 }, "1.30×, below")],
    ["s3", timed("failed", { speedup: 1.2 }, "1.20×, below")],
    ["t1", fakeCheck(SPEED, "timeout")],
    ["t2", fakeCheck(SPEED, "crashed")],
    ["i1", timed("inconclusive", { speedup: 1.35 }, "busy")],
  ];
  const gradebook = fakeGradebook();
  gradebook.students = speeds.map(([id, check]) =>
    fakeStudent(id, [fakeExercise("02_try_pymp1", [check])])
  );
  const groups = failureGroups(gradebook);
  deepEqual(groups.map((group) => [group.kind, group.students]), [
    ["below-threshold", ["s1", "s2", "s3"]],
    ["impossible", ["c1", "c2"]],
    ["crashed", ["t1", "t2"]],
    ["inconclusive", ["i1"]],
  ]);
  deepEqual(groups[0]!.speedups, [1.1, 1.3, 1.2]);
  equal(groups[0]!.message, "1.10×, below");
  deepEqual(groups[2]!.statuses, { timeout: 1, crashed: 1 });
  const html = failureTable(gradebook);
  ok(html.includes("below the threshold (1.40×)"), html);
  ok(html.includes("speedup 1.10–1.30×"));
  ok(html.includes("impossible: faster than the machine allows (above 3× on 2 cores)"));
  ok(html.includes("speedup 40–315×"));
  ok(html.includes("crashed or timed out (1 timeout, 1 crashed)"));
  ok(!/#student=p\d/.test(html), "a pass is no failure");
});

Deno.test("failureGroups() says the work was not done from the CPU share, on any check that records it", () => {
  const gradebook = fakeGradebook();
  const pool = (workShare: number) =>
    fakeCheck("parallelSum: the work runs on the pool's workers", "failed", {
      measurements: { workers: 2, cores: 2, workShare, parallelism: 0.1 },
    });
  gradebook.students = [
    fakeStudent("formula", [fakeExercise("02_try_pymp1", [pool(0.01)])]),
    fakeStudent("one-thread", [fakeExercise("02_try_pymp1", [pool(0.97)])]),
  ];
  deepEqual(failureGroups(gradebook).map((group) => [group.kind, group.students]), [
    ["not-done", ["formula"]],
    ["failed", ["one-thread"]],
  ]);
  ok(failureTable(gradebook).includes("CPU 1% of the reference&#39;s"));
});

Deno.test("studentLinks() links each student to their row, odd names encoded and escaped, the rest folded", () => {
  equal(
    studentLinks(['a"b <i>\u202e']),
    '<a href="#student=a%22b%20%3Ci%3E%5Cu202e">a&quot;b &lt;i&gt;\\u202e</a>',
  );
  const many = studentLinks(Array.from({ length: 10 }, (_, i) => `s${i}`));
  ok(many.includes('<a href="#student=s7">s7</a> <details><summary>and 2 more</summary>'));
  ok(many.endsWith('<a href="#student=s9">s9</a></details>'));
});
