import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { devCheck, type DevChecker, type Finding } from "./dev_check.ts";
import type { CatalogEntry } from "../catalog.ts";
import {
  type CheckResult,
  type ExerciseResult,
  exerciseStatus,
  RESULT_VERSION,
} from "../result.ts";

const CATALOG = {
  version: 1,
  exercises: [
    { id: 1, slug: "01_alpha", title: "A", files: ["a.ts"], hint: "Do a." },
    { id: 2, slug: "02_beta", title: "B", files: ["b.ts", "c.ts"], hint: "Do b." },
  ],
};

/** A small kit: good unless `spoil` names what to break. */
async function fakeKit(spoil: string[] = []): Promise<string> {
  const kit = await Deno.makeTempDir({ prefix: "parakit_devcheck_" });
  const files: Record<string, string> = {
    "exercises/catalog.json": JSON.stringify(CATALOG),
    "exercises/01_alpha/README.md": "# A",
    "exercises/01_alpha/a.ts": "// TODO: write a\nexport const a = 0;\n",
    "exercises/01_alpha/demo.ts": "export const demo = 1;\n",
    "exercises/02_beta/README.md": "# B",
    "exercises/02_beta/b.ts": "// TODO: write b\nexport const b = 0;\n",
    "exercises/02_beta/c.ts": "// TODO: write c\nexport const c = 0;\n",
    "solutions/01_alpha/a.ts": "export const a = 1;\n",
    "solutions/02_beta/b.ts": "export const b = 1;\n",
    "solutions/02_beta/c.ts": "export const c = 1;\n",
  };
  if (spoil.includes("readme")) delete files["exercises/02_beta/README.md"];
  if (spoil.includes("todo")) files["exercises/02_beta/c.ts"] = "export const c = 0;\n";
  if (spoil.includes("solution")) delete files["solutions/02_beta/b.ts"];
  if (spoil.includes("stray")) {
    files["exercises/03_gamma/README.md"] = "# G";
    files["solutions/02_beta/extra.ts"] = "export {};\n";
  }
  if (spoil.includes("types")) files["solutions/01_alpha/a.ts"] = "export const a: number = 'x';\n";
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(kit, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(kit, path), text);
  }
  return kit;
}

function result(entry: CatalogEntry, statuses: CheckResult["status"][]): ExerciseResult {
  const checks = statuses.map((status, i): CheckResult => ({
    name: `check ${i}`,
    status,
    message: status,
    score: status === "passed" ? 1 : 0,
    maxScore: status === "skipped" ? 0 : 1,
  }));
  return {
    version: RESULT_VERSION,
    exercise: entry.slug,
    status: exerciseStatus(checks),
    score: checks.reduce((n, c) => n + c.score, 0),
    maxScore: checks.length,
    checks,
    checkedAt: "",
    seconds: 0,
    machine: { cores: 2, deno: "2.9.6", platform: "linux" },
  };
}

/** Stubs fail and solutions pass, unless a plan says otherwise for an exercise and source. */
function fakeChecker(plan: Record<string, CheckResult["status"][][]> = {}): DevChecker & {
  calls: string[];
} {
  const calls: string[] = [];
  const checker = (entry: CatalogEntry, source: "exercises" | "solutions", timed: boolean) => {
    calls.push(`${entry.slug}:${source}:${timed}`);
    const queue = plan[`${entry.slug}:${source}`];
    const statuses = queue?.shift() ??
      (source === "exercises" ? ["error", "failed"] : ["passed", "passed"]);
    return Promise.resolve(result(entry, statuses as CheckResult["status"][]));
  };
  return Object.assign(checker, { calls });
}

function problems(findings: Finding[]): string[] {
  return findings.filter((f) => f.level === "problem").map((f) => f.message);
}

Deno.test("devCheck() passes a consistent kit: stubs fail, solutions pass, timed for solutions only", async () => {
  const kit = await fakeKit();
  try {
    const checker = fakeChecker();
    const findings = await devCheck({ kitRoot: kit, checker });
    deepEqual(problems(findings), []);
    deepEqual(findings.map((f) => `${f.area}:${f.level}`), [
      "catalog:ok",
      "types:ok",
      "stub:ok",
      "solution:ok",
      "stub:ok",
      "solution:ok",
    ]);
    deepEqual(checker.calls, [
      "01_alpha:exercises:false",
      "01_alpha:solutions:true",
      "02_beta:exercises:false",
      "02_beta:solutions:true",
    ]);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("devCheck() names every mismatch between the catalog and the files", async () => {
  const kit = await fakeKit(["readme", "todo", "solution", "stray"]);
  try {
    const findings = await devCheck({ kitRoot: kit, run: false, typeCheck: false });
    deepEqual(
      problems(findings).sort(),
      [
        'exercises/02_beta/c.ts has no "// TODO:" mark where the student edits',
        "exercises/02_beta/README.md (the lesson) is missing",
        "exercises/03_gamma/ is not in exercises/catalog.json: list it or remove it",
        'solutions/02_beta/extra.ts is not a student file of the catalog: add it to "files" or remove it',
        "solutions/02_beta/b.ts is missing",
      ].sort(),
    );
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("devCheck() fails on a solution that does not type-check", async () => {
  const kit = await fakeKit(["types"]);
  try {
    const findings = await devCheck({ kitRoot: kit, run: false });
    const types = findings.find((f) => f.area === "types")!;
    equal(types.level, "problem");
    ok(types.message.includes("solutions/01_alpha/a.ts"), types.message);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("devCheck() fails on a stub that passes and on a solution that fails", async () => {
  const kit = await fakeKit();
  try {
    const checker = fakeChecker({
      "01_alpha:exercises": [["passed", "passed"]],
      "02_beta:solutions": [["passed", "timeout"]],
    });
    const found = problems(await devCheck({ kitRoot: kit, checker, typeCheck: false }));
    equal(found.length, 2);
    ok(found[0]!.startsWith("01_alpha: the untouched stub passes its check"), found[0]!);
    ok(found[1]!.startsWith("02_beta: the solution fails: check 1 (timeout"), found[1]!);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("devCheck() measures an inconclusive solution once more, then warns instead of failing", async () => {
  const kit = await fakeKit();
  try {
    const retried = fakeChecker({ "01_alpha:solutions": [["passed", "inconclusive"]] });
    const first = await devCheck({ kitRoot: kit, checker: retried, typeCheck: false });
    deepEqual(problems(first), []);
    equal(retried.calls.filter((c) => c === "01_alpha:solutions:true").length, 2);
    equal(first.filter((f) => f.level === "warning").length, 0);
    const stuck = fakeChecker({
      "01_alpha:solutions": [["passed", "inconclusive"], ["passed", "inconclusive"]],
      "02_beta:solutions": [["passed", "skipped"]],
    });
    const second = await devCheck({ kitRoot: kit, checker: stuck, typeCheck: false });
    deepEqual(problems(second), []);
    const warnings = second.filter((f) => f.level === "warning").map((f) => f.message);
    equal(warnings.length, 2);
    ok(warnings[0]!.includes("check 1 (inconclusive"), warnings[0]!);
    ok(warnings[1]!.includes("check 1 (skipped"), warnings[1]!);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});
