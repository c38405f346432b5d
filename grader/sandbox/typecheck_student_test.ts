import { deepEqual, equal, match } from "node:assert/strict";
import { KIT_ROOT } from "../runner.ts";
import {
  typeCheck,
  type TypeCheckExercise,
  type TypeCheckReport,
  typeCheckResults,
  typeCheckStudent,
} from "./typecheck.ts";

/** A student's folder: one sub-folder per exercise, each with its files. */
async function student(
  exercises: Record<string, Record<string, string>>,
): Promise<{ dir: string; exercises: TypeCheckExercise[] }> {
  const dir = await Deno.makeTempDir({ prefix: "parakit-typecheck-student-test-" });
  const list: TypeCheckExercise[] = [];
  for (const [slug, files] of Object.entries(exercises)) {
    await Deno.mkdir(`${dir}/${slug}`);
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${slug}/${name}`, text);
    }
    list.push({ slug, sourceDir: `${dir}/${slug}`, files: Object.keys(files) });
  }
  return { dir, exercises: list };
}

/** A report without its time, to compare. */
function timeless(report: TypeCheckReport | undefined): unknown {
  return report && { ...report, seconds: 0 };
}

const HONEST = 'import { cpus } from "node:os";\nexport const n: number = cpus().length;\n';
const WRONG = (type: string) => `export const value: ${type} = 1;\n`;

Deno.test("typeCheckStudent() puts a type error in one exercise's file on that exercise only", async () => {
  const { dir, exercises } = await student({
    "01_a": { "a.ts": WRONG("string"), "helper.ts": HONEST },
    "02_b": { "b.ts": HONEST },
    "03_c": { "c.ts": HONEST, "d.ts": `${HONEST}export const flag: boolean = "yes";\n` },
  });
  try {
    const reports = await typeCheckStudent({ kitRoot: KIT_ROOT, exercises });
    deepEqual([...reports.keys()], ["01_a", "02_b", "03_c"]);
    const a = reports.get("01_a");
    equal(a?.kind, "checked");
    if (a?.kind !== "checked") return;
    deepEqual(a.diagnostics.map((d) => [d.file, d.line, d.code]), [["a.ts", 1, "TS2322"]]);
    deepEqual(timeless(reports.get("02_b")), { kind: "checked", diagnostics: [], seconds: 0 });
    const [c] = typeCheckResults(reports.get("03_c")!);
    match(
      c?.message ?? "",
      /^d\.ts:3:\d+: Type 'string' is not assignable to type 'boolean' \(TS2322\)$/,
    );
    equal(typeCheckResults(reports.get("03_c")!).length, 1);
    // Exactly what each exercise's own check says.
    for (const exercise of exercises) {
      deepEqual(
        timeless(reports.get(exercise.slug)),
        timeless(await typeCheck({ kitRoot: KIT_ROOT, ...exercise })),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("typeCheckStudent() still types the other exercises when one does not parse", async () => {
  // A parse error stops deno check before it types anything: the shared run says nothing of the
  // others, so each is checked alone.
  const { dir, exercises } = await student({
    "01_a": { "a.ts": "export function f( {\n  return 1\n}\n" },
    "02_b": { "b.ts": WRONG("bigint") },
    "03_c": { "c.ts": HONEST },
  });
  try {
    const reports = await typeCheckStudent({ kitRoot: KIT_ROOT, exercises });
    match(typeCheckResults(reports.get("01_a")!)[0]?.message ?? "", /^a\.ts:2:\d+: SyntaxError: /);
    match(typeCheckResults(reports.get("02_b")!)[0]?.message ?? "", /^b\.ts:1:\d+: .*\(TS2322\)$/);
    deepEqual(timeless(reports.get("03_c")), { kind: "checked", diagnostics: [], seconds: 0 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("typeCheckStudent() checks alone an exercise that declares for the whole program", async () => {
  // Checked together, 01_a's global would declare the name 02_b uses without declaring it.
  const { dir, exercises } = await student({
    "01_a": { "a.ts": "declare global {\n  var shared: number;\n}\nexport {};\n" },
    "02_b": { "b.ts": "shared = 3;\nexport {};\n" },
  });
  try {
    const reports = await typeCheckStudent({ kitRoot: KIT_ROOT, exercises });
    deepEqual(timeless(reports.get("01_a")), { kind: "checked", diagnostics: [], seconds: 0 });
    match(
      typeCheckResults(reports.get("02_b")!)[0]?.message ?? "",
      /^b\.ts:1:1: Cannot find name 'shared' \(TS2304\)$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("typeCheckStudent() does not let one exercise import another's file", async () => {
  // Alone, the other exercise's folder is not in the copy: the import is not found, as in the
  // sandbox, which holds only the exercise's own files.
  const { dir, exercises } = await student({
    "01_a": { "a.ts": 'import { n } from "../02_b/b.ts";\nexport const m: number = n;\n' },
    "02_b": { "b.ts": HONEST },
  });
  try {
    const reports = await typeCheckStudent({ kitRoot: KIT_ROOT, exercises });
    match(typeCheckResults(reports.get("01_a")!)[0]?.message ?? "", /^a\.ts:1:\d+: .*\(TS2307\)$/);
    deepEqual(timeless(reports.get("02_b")), { kind: "checked", diagnostics: [], seconds: 0 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("typeCheckStudent() reports a refused import and a missing folder on their own exercises", async () => {
  const { dir, exercises } = await student({
    "01_a": { "a.ts": 'import z from "/dev/zero";\nexport const y = z;\n' },
    "02_b": { "b.ts": WRONG("string") },
  });
  try {
    const all = [...exercises, { slug: "03_c", sourceDir: `${dir}/03_c`, files: ["c.ts"] }];
    const reports = await typeCheckStudent({ kitRoot: KIT_ROOT, exercises: all });
    equal(reports.get("01_a")?.kind, "refused");
    match(typeCheckResults(reports.get("02_b")!)[0]?.message ?? "", /^b\.ts:1:\d+: .*\(TS2322\)$/);
    equal(typeCheckResults(reports.get("02_b")!).length, 1);
    deepEqual(timeless(reports.get("03_c")), {
      kind: "unchecked",
      reason: "no student file to check",
      seconds: 0,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
