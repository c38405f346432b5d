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
    equal(report.kind, "refused");
    const text = JSON.stringify(typeCheckResults(report));
    ok(!text.includes("SECRET_TOKEN"), text);
    match(text, /names a file outside the exercise/);
  } finally {
    await Deno.remove(options.sourceDir, { recursive: true });
    await Deno.remove(outside);
  }
});

/** Each form of import Deno's module graph follows, naming a file outside the private copy. */
const REFUSED: [string, string, string][] = [
  ["a static import of /dev/zero", 'import zero from "/dev/zero";\n', "/dev/zero"],
  ["an export from", 'export * from "/dev/zero";\n', "/dev/zero"],
  ["a side-effect import", 'import "/dev/zero";\n', "/dev/zero"],
  ["an import type", 'import type { X } from "/dev/zero";\n', "/dev/zero"],
  ["a dynamic import", 'await import("/dev/zero");\n', "/dev/zero"],
  ["a template dynamic import", "await import(`/dev/zero`);\n", "/dev/zero"],
  ["a typeof import()", 'type T = typeof import("/dev/zero");\n', "/dev/zero"],
  ["an import = require()", 'import z = require("/dev/zero");\n', "/dev/zero"],
  ["a reference path", '/// <reference path="/dev/zero" />\n', "/dev/zero"],
  ["a reference types", "/// <reference types='/dev/zero' />\n", "/dev/zero"],
  ["a @ts-types comment", '// @ts-types="/dev/zero"\nimport x from "./a.ts";\n', "/dev/zero"],
  [
    "a @deno-types comment",
    '/* @deno-types="/dev/zero" */\nimport x from "./a.ts";\n',
    "/dev/zero",
  ],
  ["a json import", 'import j from "/dev/zero" with { type: "json" };\n', "/dev/zero"],
  ["a text import", 'import t from "/dev/zero" with { type: "text" };\n', "/dev/zero"],
  ["a bytes import", 'import b from "/dev/zero" with { type: "bytes" };\n', "/dev/zero"],
  [
    "a specifier behind comments",
    'import /* a */ z /* b */ from /* c */ "/dev/zero";\n',
    "/dev/zero",
  ],
  [
    "a solutions/ file by absolute path",
    `import { run } from "${KIT_ROOT}/solutions/03_explore_structures/word_count.ts";\n`,
    `${KIT_ROOT}/solutions/03_explore_structures/word_count.ts`,
  ],
  [
    "a solutions/ file by file: URL",
    `import { run } from "file://${KIT_ROOT}/solutions/03_explore_structures/word_count.ts";\n`,
    `file://${KIT_ROOT}/solutions/03_explore_structures/word_count.ts`,
  ],
  ["an upper-case FILE: URL", 'import z from "FILE:///dev/zero";\n', "FILE:///dev/zero"],
  [
    "a relative path climbing out",
    'import p from "../../../../../../../../../../etc/passwd";\n',
    "../../../../../../../../../../etc/passwd",
  ],
  [
    "an import after a regex holding a quote",
    'const r = /"/; import z from "/dev/zero"; //"\n',
    "/dev/zero",
  ],
  [
    "an import after a regex holding a backtick",
    "const r = /`/; import z from '/dev/zero'; //`\n",
    "/dev/zero",
  ],
  [
    "a @ts-types after a regex like a comment",
    'const r = /\\/*/; // @ts-types="/dev/zero"\n',
    "/dev/zero",
  ],
  ["an import defer", 'import defer * as ns from "/dev/zero";\n', "/dev/zero"],
  ["an import source", 'import source s from "/dev/zero";\n', "/dev/zero"],
  [
    "a unicode-escaped specifier",
    'import z from "\\u002fdev\\u002fzero";\n',
    "\\u002fdev\\u002fzero",
  ],
  ["a hex-escaped specifier", 'import z from "./\\x61.ts";\n', "./\\x61.ts"],
  ["a percent-encoded climb", 'import z from "./%2e%2e/%2e%2e/x.ts";\n', "./%2e%2e/%2e%2e/x.ts"],
];

for (const [form, code, specifier] of REFUSED) {
  Deno.test(`typeCheck() refuses ${form} without running deno check`, async () => {
    const options = await fixture({
      "a.ts": "export const a = 1;\n",
      "b.ts": `// line 1\n${code}export const b = 2;\n`,
    });
    try {
      const report = await typeCheck(options);
      // "refused" is returned before deno check is started: nothing was read outside.
      equal(report.kind, "refused", JSON.stringify(report));
      if (report.kind !== "refused") return;
      equal(report.imports.length, 1, JSON.stringify(report.imports));
      deepEqual(
        report.imports.map(({ file, line, specifier }) => ({ file, line, specifier })),
        [{ file: "b.ts", line: 2, specifier }],
      );
      const [result] = typeCheckResults(report);
      equal(result?.status, "error");
      equal(result?.name, "type check");
      ok(result?.message.startsWith(`b.ts:2: cannot import "${specifier}": `), result?.message);
      match(
        result?.message ?? "",
        /import only the exercise's files and \.\.\/\.\.\/lib\/mod\.ts$/,
      );
    } finally {
      await Deno.remove(options.sourceDir, { recursive: true });
    }
  });
}

Deno.test("typeCheck() checks honest imports: lib/, import type, node:, a sibling, prose in comments", async () => {
  const options = await fixture({
    "word_count.ts": [
      'import { Pool } from "../../lib/mod.ts";',
      'import type { Pool as P } from "../../lib/mod.ts";',
      'import { cpus } from "node:os";',
      'import { helper } from "./counter.ts";',
      '// Reading "/dev/zero" would never end: import x from "/dev/zero" is refused.',
      "/* see ../../../../etc/passwd and file:///dev/zero */",
      "export const size = (pool: P): number => cpus().length + helper();",
      "export const kind: unknown = Pool;",
      "",
    ].join("\n"),
    "counter.ts": 'export function helper(): number {\n  return "/dev/zero".length;\n}\n',
  });
  try {
    const report = await typeCheck(options);
    deepEqual({ ...report, seconds: 0 }, { kind: "checked", diagnostics: [], seconds: 0 });
  } finally {
    await Deno.remove(options.sourceDir, { recursive: true });
  }
});

Deno.test("typeCheck() ends deno check past its memory cap (Linux)", {
  ignore: Deno.build.os !== "linux",
}, async () => {
  // A file no earlier run checked (the kept cache answers a repeated one at once, under any cap).
  const unique = `${WORD_COUNT("[text, counts, 'w:']")}\n// ${crypto.randomUUID()}\n`;
  const options = await fixture({ "word_count.ts": unique });
  try {
    // Any deno check is over 1 MB: the cap, not the file, ends it.
    const report = await typeCheck({ ...options, memoryMb: 1 });
    deepEqual({ ...report, seconds: 0 }, {
      kind: "unchecked",
      reason: "deno check used more than 1 MB of memory",
      seconds: 0,
    });
    match(typeCheckResults(report)[0]?.message ?? "", /^Not type-checked: deno check used more/);
  } finally {
    await Deno.remove(options.sourceDir, { recursive: true });
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
