/**
 * The batch's boundary, tried as a hostile class would: each hostile submission beside an honest
 * one, graded end to end with the runner on a kit that holds exercise 1 only (so it stays quick).
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { type BatchEvent, gradeBatch } from "./batch.ts";
import { INGEST_CHECK, KIT_ROOT } from "../../runner.ts";
import type { StudentResult } from "../../result.ts";
import { TEXT_CAPS } from "../../result.ts";

const CORPUS = join(KIT_ROOT, "grader", "testdata", "corpus");
const HAS_CORPUS = await Deno.stat(CORPUS).then(() => true, () => false);
const HAS_SOLUTIONS = await Deno.stat(join(KIT_ROOT, "solutions")).then(() => true, () => false);
const SLUG = "01_guess_run_times";

/** A kit with exercise 1 only: the catalog's first entry and a copy of lib/. */
async function smallKit(root: string): Promise<string> {
  const kit = join(root, "kit");
  await Deno.mkdir(join(kit, "exercises"), { recursive: true });
  const catalog = JSON.parse(await Deno.readTextFile(join(KIT_ROOT, "exercises", "catalog.json")));
  catalog.exercises = catalog.exercises.slice(0, 1);
  await Deno.writeTextFile(join(kit, "exercises", "catalog.json"), JSON.stringify(catalog));
  const cp = await new Deno.Command("cp", { args: ["-a", join(KIT_ROOT, "lib"), kit] }).output();
  ok(cp.success);
  return kit;
}

async function student(dir: string, name: string, files: Record<string, string>): Promise<void> {
  await Deno.mkdir(join(dir, name, SLUG), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await Deno.writeTextFile(join(dir, name, SLUG, file), text);
  }
}

async function honest(dir: string, name: string): Promise<void> {
  const from = join(CORPUS, "passing", SLUG);
  await student(dir, name, {
    "guesses.ts": await Deno.readTextFile(join(from, "guesses.ts")),
    "sum_range.ts": await Deno.readTextFile(join(from, "sum_range.ts")),
  });
}

const GUESSES =
  "export const guesses = { serial: 1, parallelWithAlloc: 6, straightParallel: 5 };\n";

/** Spins 16 threads (and the calling one) for as long as the sandbox lives. */
const SPINNER = `const { Worker } = await import("node:worker_threads");
for (let i = 0; i < 16; i++) new Worker("while (true) {}", { eval: true });
export function sumRange(_lo: number, _hi: number): bigint {
  while (true) { /* the calling thread too */ }
}
`;

/** Every call ends just under the limit with the right answer. */
const JUST_UNDER = `export function sumRange(lo: number, hi: number): bigint {
  const until = Date.now() + 1000;
  while (Date.now() < until) { /* just under the call's limit */ }
  let total = 0n;
  for (let i = lo; i < hi; i++) total += BigInt(i);
  return total;
}
`;

function hasRawControl(text: string): boolean {
  return text.includes("\u0007") || text.includes("\u001b");
}

function statuses(row: StudentResult | undefined): Record<string, string> {
  return Object.fromEntries((row?.exercises[0]?.checks ?? []).map((c) => [c.name, c.status]));
}

Deno.test({
  name: "gradeBatch() keeps each hostile submission to its own verdict and an honest one passes",
  ignore: !HAS_CORPUS || !HAS_SOLUTIONS,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "parakit_boundary_" });
    try {
      const kit = await smallKit(root);
      const dir = join(root, "submissions");
      await honest(dir, "victim");
      await student(dir, "spinner", { "guesses.ts": GUESSES, "sum_range.ts": SPINNER });
      // A folder name with escape and bell characters: kept exact in the data, escaped in files.
      const odd = "eve\u001b[31m\u0007";
      await honest(dir, odd);
      // A classmate's file, the kit's solutions/, a linked parent folder.
      await student(dir, "copier", { "guesses.ts": GUESSES });
      await Deno.symlink(
        join(dir, "victim", SLUG, "sum_range.ts"),
        join(dir, "copier", SLUG, "sum_range.ts"),
      );
      await Deno.mkdir(join(dir, "solver"));
      await Deno.symlink(join(KIT_ROOT, "solutions", SLUG), join(dir, "solver", SLUG));
      await Deno.mkdir(join(dir, "parent"));
      await Deno.symlink(join(KIT_ROOT, "solutions"), join(dir, "parent", "exercises"));
      // Huge strings in every field, from the corpus.
      const huge = join(CORPUS, "huge_strings", SLUG);
      await student(dir, "huge", {
        "guesses.ts": await Deno.readTextFile(join(huge, "guesses.ts")),
        "sum_range.ts": await Deno.readTextFile(join(huge, "sum_range.ts")),
      });
      // A file over the cap.
      await student(dir, "big", { "guesses.ts": GUESSES, "sum_range.ts": "//".repeat(200_000) });

      const summary = await gradeBatch(dir, { kitRoot: kit, timeoutMs: 4_000 });
      const rows = new Map(summary.gradebook.students.map((row) => [row.student, row]));
      deepEqual(summary.graderFailures, []);

      // The honest students pass, whatever ran beside them.
      equal(
        rows.get("victim")?.exercises[0]?.status,
        "passed",
        JSON.stringify(statuses(rows.get("victim"))),
      );
      equal(rows.get(odd)?.exercises[0]?.status, "passed");
      // The spinner times out on its own calls.
      ok(
        Object.entries(statuses(rows.get("spinner")))
          .filter(([name]) => name.startsWith("sumRange"))
          .every(([, status]) => status === "timeout"),
        JSON.stringify(statuses(rows.get("spinner"))),
      );
      // Links are refused, named, and never followed: nothing of the linked work is graded.
      const linked: [string, string][] = [
        ["copier", `${SLUG}/sum_range.ts`],
        ["solver", SLUG],
        ["parent", "exercises"],
      ];
      for (const [name, path] of linked) {
        const result = rows.get(name)!.exercises[0]!;
        const ingest = result.checks.find((check) => check.name === INGEST_CHECK);
        equal(ingest?.status, "error", name);
        match(ingest!.message, new RegExp(`^${path} is a link`));
        equal(result.status, "failed");
        ok(result.checks.every((c) => c.status !== "passed" || c.name.startsWith("guess")), name);
      }
      const big = rows.get("big")!.exercises[0]!.checks.find((c) => c.name === INGEST_CHECK);
      match(big?.message ?? "", /sum_range\.ts is larger than the cap of 256 KiB a file/);

      // Huge strings are capped where they enter: the row stays small.
      const hugeRow = rows.get("huge")!;
      ok(
        JSON.stringify(hugeRow).length <= TEXT_CAPS.result,
        String(JSON.stringify(hugeRow).length),
      );
      for (const check of hugeRow.exercises[0]!.checks) {
        ok(check.message.length <= TEXT_CAPS.message + 100);
      }
      for (const name of rows.keys()) {
        const results = await Deno.readTextFile(join(summary.out, name, "results.json"));
        ok(results.length < 2 * TEXT_CAPS.result, `${name}: ${results.length}`);
      }

      // The odd id: exact in the data, escaped in what a terminal, spreadsheet or browser shows.
      const csv = await Deno.readTextFile(join(summary.out, "gradebook.csv"));
      ok(csv.includes("eve\\x1b[31m\\x07"));
      for (const file of ["gradebook.csv", "gradebook.json", "report.html"]) {
        const text = await Deno.readTextFile(join(summary.out, file));
        ok(!hasRawControl(text), `${file} holds a raw control character`);
      }
      const results = await Deno.readTextFile(join(summary.out, odd, "results.json"));
      ok(!hasRawControl(results));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "gradeBatch() ends a submission whose calls each end just under their limit at its budget",
  ignore: !HAS_CORPUS,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "parakit_boundary_" });
    try {
      const kit = await smallKit(root);
      const dir = join(root, "submissions");
      await student(dir, "slow", { "guesses.ts": GUESSES, "sum_range.ts": JUST_UNDER });
      const summary = await gradeBatch(dir, { kitRoot: kit, timeoutMs: 5_000, budgetSeconds: 2.5 });
      const result = summary.gradebook.students[0]!.exercises[0]!;
      const spent = result.checks.filter((check) => /whole budget of 2\.5 s/.test(check.message));
      ok(spent.length > 0, JSON.stringify(result.checks, null, 2));
      ok(spent.every((check) => check.status === "timeout"));
      equal(result.status, "failed");
      // Kept as it is on a rerun: not graded (nor held to its limits) again.
      const events: BatchEvent[] = [];
      await gradeBatch(dir, { kitRoot: kit, onEvent: (event) => events.push(event) });
      deepEqual(events.map((event) => event.kind), ["reused", "start"]);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
