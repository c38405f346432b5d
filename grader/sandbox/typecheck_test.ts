import { deepEqual, equal, match, ok } from "node:assert/strict";
import { loadCatalog } from "../catalog.ts";
import { checkExercise } from "../runner.ts";
import { KIT_ROOT } from "../runner.ts";
import { typeCheck, type TypeCheckOptions, typeCheckResults } from "./typecheck.ts";

/** A task of three arguments, as exercise 3's word count has, and the lines that call it. */
const WORD_COUNT = (args: string) =>
  `import { defineTasks, type Pool } from "../../lib/mod.ts";

function countInto(text: string, counts: Map<string, number>, tag: string): void {
  for (const word of text.split(" ")) counts.set(tag + word, 1);
}

const tasks = defineTasks(import.meta.url, { countInto });

export async function run(texts: string[], pool: Pool): Promise<void> {
  const counts = new Map<string, number>();
  await pool.starmap(tasks.countInto, texts.map((text) => ${args}));
}
`;

async function fixture(files: Record<string, string>): Promise<TypeCheckOptions> {
  const dir = await Deno.makeTempDir({ prefix: "parakit-typecheck-test-" });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return {
    kitRoot: KIT_ROOT,
    slug: "03_explore_structures",
    sourceDir: dir,
    files: Object.keys(files),
  };
}

Deno.test("typeCheck() names file, line and column of a task given two arguments of three", async () => {
  const options = await fixture({ "word_count.ts": WORD_COUNT("[counts, text]") });
  try {
    const report = await typeCheck(options);
    equal(report.kind, "checked");
    if (report.kind !== "checked") return;
    equal(report.diagnostics.length, 1);
    const [diagnostic] = report.diagnostics;
    equal(diagnostic?.file, "word_count.ts");
    equal(diagnostic?.line, 11);
    equal(diagnostic?.code, "TS2345");
    match(diagnostic?.message ?? "", /Source has 2 element\(s\) but target requires 3/);
    const [result] = typeCheckResults(report);
    equal(result?.status, "error");
    match(result?.message ?? "", /^word_count\.ts:11:\d+: Source has 2 element/);
  } finally {
    await Deno.remove(options.sourceDir, { recursive: true });
  }
});

Deno.test("typeCheck() finds nothing in an honest file", async () => {
  const options = await fixture({ "word_count.ts": WORD_COUNT("[text, counts, 'w:']") });
  try {
    const report = await typeCheck(options);
    deepEqual({ ...report, seconds: 0 }, { kind: "checked", diagnostics: [], seconds: 0 });
    deepEqual(typeCheckResults(report), []);
  } finally {
    await Deno.remove(options.sourceDir, { recursive: true });
  }
});

for (
  const [kind, specifier] of [
    ["npm", "npm:left-pad@1.3.0"],
    ["jsr", "jsr:@std/assert@1"],
    ["https", "https://deno.land/std@0.224.0/assert/mod.ts"],
  ]
) {
  Deno.test(`typeCheck() loads nothing from outside: ${kind} imports are load errors`, async () => {
    const options = await fixture({
      "a.ts": `import * as outside from "${specifier}";\nexport const a: unknown = outside;\n`,
    });
    try {
      const report = await typeCheck(options);
      equal(report.kind, "checked");
      if (report.kind !== "checked") return;
      equal(report.diagnostics.length, 1, JSON.stringify(report.diagnostics));
      const [diagnostic] = report.diagnostics;
      equal(diagnostic?.file, "a.ts");
      equal(diagnostic?.line, 1);
      ok(diagnostic?.load);
      match(diagnostic?.message ?? "", /--no-(npm|remote)/);
    } finally {
      await Deno.remove(options.sourceDir, { recursive: true });
    }
  });
}

Deno.test("typeCheck() quotes nothing of a file outside the exercise that an import reaches", async () => {
  const outside = await Deno.makeTempFile({ prefix: "parakit-secret-", suffix: ".ts" });
  await Deno.writeTextFile(outside, "SECRET_TOKEN_42 SECRET_TOKEN_43 {\n");
  const options = await fixture({ "a.ts": `import "${outside}";\nexport const a = 1;\n` });
  try {
    const report = await typeCheck(options);
    equal(report.kind, "checked");
    const text = JSON.stringify(typeCheckResults(report));
    ok(!text.includes("SECRET_TOKEN"), text);
    match(text, /outside the exercise folder/);
  } finally {
    await Deno.remove(options.sourceDir, { recursive: true });
    await Deno.remove(outside);
  }
});

Deno.test("typeCheck() reports a syntax error as a load error with its column", async () => {
  const options = await fixture({ "a.ts": "export function f( {\n  return 1\n}\n" });
  try {
    const [result] = typeCheckResults(await typeCheck(options));
    equal(result?.status, "error");
    match(result?.message ?? "", /^a\.ts:2:\d+: SyntaxError: /);
  } finally {
    await Deno.remove(options.sourceDir, { recursive: true });
  }
});

Deno.test("typeCheck() says nothing when no student file exists", async () => {
  const report = await typeCheck({
    kitRoot: KIT_ROOT,
    slug: "01_guess_run_times",
    sourceDir: "/no/such/folder",
    files: ["sum_range.ts"],
  });
  equal(report.kind, "unchecked");
  deepEqual(typeCheckResults(report), []);
});

Deno.test("checkExercise() does not pass an exercise whose files run right but do not type-check", async () => {
  const dir = await Deno.makeTempDir({ prefix: "parakit-typecheck-test-" });
  try {
    await Deno.mkdir(`${dir}/01_guess_run_times`);
    await Deno.writeTextFile(
      `${dir}/01_guess_run_times/guesses.ts`,
      "export const guesses = { serial: 1, parallelWithAlloc: 6, straightParallel: 5 };\n",
    );
    // Right at run time (exact, both ends), but declared to return a number.
    await Deno.writeTextFile(
      `${dir}/01_guess_run_times/sum_range.ts`,
      [
        "export function sumRange(lo: number, hi: number): number {",
        "  let total = 0n;",
        "  for (let start = lo; start < hi; start += 1000) {",
        "    let block = 0;",
        "    for (let i = start; i < Math.min(start + 1000, hi); i++) block += i;",
        "    total += BigInt(block);",
        "  }",
        "  return total;",
        "}",
        "",
      ].join("\n"),
    );
    const catalog = await loadCatalog(KIT_ROOT);
    const result = await checkExercise(catalog.exercises[0]!, {
      source: { kind: "submission", dir },
      timed: false,
      timeoutMs: 5000,
      cores: 2,
      seed: 1,
    });
    const typeErrors = result.checks.filter((check) => check.name === "type check");
    equal(typeErrors.length, 1, JSON.stringify(result.checks, null, 2));
    match(
      typeErrors[0]!.message,
      /^sum_range\.ts:8:3: Type 'bigint' is not assignable to type 'number' \(TS2322\)$/,
    );
    ok(
      result.checks.filter((check) => check.name !== "type check").every((c) =>
        c.status === "passed"
      ),
    );
    equal(result.status, "failed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
