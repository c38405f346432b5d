import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import {
  type BatchEvent,
  BatchInputError,
  type ExerciseGrader,
  findSubmissions,
  gradeBatch,
  gradeMain,
  SAVED_FILE,
} from "./batch.ts";
import { exerciseStatus, GradebookSchema, RESULT_VERSION } from "../../result.ts";
import { GradescopeResultsSchema } from "../../report/gradescope.ts";
import type { CatalogEntry } from "../../catalog.ts";
import { KIT_ROOT, sourceDir } from "../../runner.ts";
import type { CheckResult, ExerciseResult } from "../../result.ts";

const FIXTURES = new URL("../../testdata/submissions/", import.meta.url).pathname;
const STUDENTS = [
  "Zoë van der Berg",
  "bob_wrong",
  "carol_hangs",
  "dave_crashes",
  "erin_floods",
  "frank_oom",
  "gus_links",
  "hana_both",
];

async function copyFixtures(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "parakit_batch_" });
  const dir = join(root, "submissions");
  const cp = await new Deno.Command("cp", { args: ["-a", FIXTURES, dir] }).output();
  ok(cp.success, new TextDecoder().decode(cp.stderr));
  return root;
}

function result(entry: CatalogEntry, checks: CheckResult[]): ExerciseResult {
  return {
    version: RESULT_VERSION,
    exercise: entry.slug,
    status: exerciseStatus(checks),
    score: checks.reduce((n, c) => n + c.score, 0),
    maxScore: checks.reduce((n, c) => n + c.maxScore, 0),
    checks,
    checkedAt: new Date(0).toISOString(),
    seconds: 0.01,
    machine: { cores: 2, deno: "2.9.6", platform: "linux x86_64" },
  };
}

/**
 * A fake grader that records what ran at once: exercise 1 passes when the submission's sum_range.ts
 * holds "BigInt(lo)", the others fail; exercise 2 has a timed check. "gus_links" makes the grader
 * throw, as a grader bug would.
 */
class FakeGrader implements ExerciseGrader {
  calls: string[] = [];
  running = 0;
  /** The exercises each student has in its correctness phase now. */
  students = new Map<string, number>();
  /** The most students in their correctness phase at once (one per lane). */
  maxCorrectness = 0;
  timedOverlaps = 0;
  throwFor = new Set(["gus_links"]);

  async correctness(entry: CatalogEntry, submission: { student: string; exercisesDir: string }) {
    this.running++;
    this.students.set(submission.student, (this.students.get(submission.student) ?? 0) + 1);
    this.maxCorrectness = Math.max(this.maxCorrectness, this.students.size);
    try {
      this.calls.push(`c:${submission.student}:${entry.id}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (this.throwFor.has(submission.student)) throw new Error("grader bug");
      const folder = await sourceDir(
        entry,
        { kind: "submission", dir: submission.exercisesDir },
        KIT_ROOT,
      );
      const source = await Deno.readTextFile(
        join(folder, entry.files[0] === "guesses.ts" ? "sum_range.ts" : entry.files[0]!),
      ).catch(() => "");
      const passed = entry.id === 1 && source.includes("BigInt(lo)");
      const check: CheckResult = {
        name: "exact",
        status: passed ? "passed" : "failed",
        message: "",
        score: passed ? 1 : 0,
        maxScore: 1,
      };
      return result(entry, [check]);
    } finally {
      this.running--;
      const left = this.students.get(submission.student)! - 1;
      if (left === 0) this.students.delete(submission.student);
      else this.students.set(submission.student, left);
    }
  }

  async timed(entry: CatalogEntry, submission: { student: string }, correctness: ExerciseResult) {
    if (this.running > 0) this.timedOverlaps++;
    this.running++;
    try {
      if (entry.id !== 2) return undefined;
      this.calls.push(`t:${submission.student}:${entry.id}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const speedup: CheckResult = {
        name: "faster",
        status: "failed",
        message: "Not faster",
        score: 0,
        maxScore: 1,
        measurements: { speedup: 1.1, threshold: 1.5 },
      };
      return result(entry, [...correctness.checks, speedup]);
    } finally {
      this.running--;
    }
  }
}

Deno.test("findSubmissions() lists student folders of both layouts, skipping files and hidden folders", async () => {
  const submissions = await findSubmissions(FIXTURES);
  deepEqual(submissions.map((s) => s.student), STUDENTS);
  const bob = submissions.find((s) => s.student === "bob_wrong")!;
  equal(bob.exercisesDir, join(FIXTURES, "bob_wrong"));
  const zoe = submissions.find((s) => s.student === "Zoë van der Berg")!;
  equal(zoe.exercisesDir, join(FIXTURES, "Zoë van der Berg"));
});

Deno.test("gradeBatch() finds exercise folders beside an exercises/ folder that lacks them", async () => {
  const root = await copyFixtures();
  try {
    const summary = await gradeBatch(join(root, "submissions"), { grader: new FakeGrader() });
    const hana = summary.gradebook.students.find((row) => row.student === "hana_both")!;
    equal(hana.exercises[0]!.status, "passed");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() gives every student a row and writes every file, whatever happened", async () => {
  const root = await copyFixtures();
  try {
    const grader = new FakeGrader();
    const events: BatchEvent[] = [];
    const summary = await gradeBatch(join(root, "submissions"), {
      grader,
      jobs: 2,
      onEvent: (event) => events.push(event),
    });
    const out = join(root, "gradebook");
    equal(summary.out, out);
    deepEqual(summary.gradebook.students.map((row) => row.student), STUDENTS);
    deepEqual(summary.graderFailures, ["gus_links"]);
    const zoe = summary.gradebook.students[0]!;
    equal(zoe.score, 1);
    deepEqual(zoe.exercises.map((r) => r.exercise), [
      "01_guess_run_times",
      "02_try_pymp1",
      "03_explore_structures",
    ]);
    deepEqual(zoe.exercises[1]!.checks.map((c) => c.name), ["exact", "faster"]);
    const gus = summary.gradebook.students.find((row) => row.student === "gus_links")!;
    ok(gus.exercises.every((r) => r.checks[0]!.status === "crashed"));
    ok(gus.exercises[0]!.checks[0]!.message.includes("grader bug"));
    // Files: gradebook.json valid, csv with a row per student, a report, results.json per student.
    const gradebook = GradebookSchema.parse(
      JSON.parse(await Deno.readTextFile(join(out, "gradebook.json"))),
    );
    equal(gradebook.students.length, STUDENTS.length);
    const csv = (await Deno.readTextFile(join(out, "gradebook.csv"))).trimEnd().split("\n");
    equal(csv[0], "student,score,max_score,01_guess_run_times,02_try_pymp1,03_explore_structures");
    equal(csv[1], "Zoë van der Berg,1,4,1,0,0");
    equal(csv.length, STUDENTS.length + 1);
    ok((await Deno.readTextFile(join(out, "report.html"))).includes("Zoë van der Berg"));
    for (const student of STUDENTS) {
      const results = GradescopeResultsSchema.parse(
        JSON.parse(await Deno.readTextFile(join(out, student, "results.json"))),
      );
      equal(results.score, summary.gradebook.students.find((r) => r.student === student)!.score);
    }
    // Scheduling: correctness two students at once (each one's exercises together), timed runs
    // never beside anything.
    equal(grader.maxCorrectness, 2);
    equal(grader.timedOverlaps, 0);
    equal(summary.timing.graded, STUDENTS.length);
    ok(summary.timing.correctnessSeconds > 0 && summary.timing.timedSeconds > 0);
    const graded = events.filter((e) => e.kind === "graded");
    equal(graded.length, STUDENTS.length);
    equal(graded.at(-1)?.kind === "graded" && graded.at(-1)?.done, STUDENTS.length);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() resumes without regrading, regrades a changed submission, and --force regrades all", async () => {
  const root = await copyFixtures();
  try {
    const dir = join(root, "submissions");
    await gradeBatch(dir, { grader: new FakeGrader(), jobs: 2 });
    // Rerun: only the student on whom the grader failed is graded again.
    const again = new FakeGrader();
    again.throwFor.clear();
    const second = await gradeBatch(dir, { grader: again, jobs: 2 });
    deepEqual(new Set(again.calls.map((call) => call.split(":")[1])), new Set(["gus_links"]));
    equal(second.timing.reused, STUDENTS.length - 1);
    deepEqual(second.graderFailures, []);
    // A changed submission is regraded.
    await Deno.writeTextFile(
      join(dir, "bob_wrong", "exercises", "01_guess_run_times", "sum_range.ts"),
      "export function sumRange(lo: number, hi: number): bigint { return BigInt(lo) * 0n + BigInt(hi) * 0n; }\n",
    );
    const third = new FakeGrader();
    const rerun = await gradeBatch(dir, { grader: third, jobs: 2 });
    deepEqual(new Set(third.calls.map((call) => call.split(":")[1])), new Set(["bob_wrong"]));
    equal(rerun.gradebook.students.find((r) => r.student === "bob_wrong")!.score, 1);
    // --force regrades everyone.
    const fourth = new FakeGrader();
    await gradeBatch(dir, { grader: fourth, jobs: 1, force: true });
    equal(new Set(fourth.calls.map((call) => call.split(":")[1])).size, STUDENTS.length);
    equal(fourth.maxCorrectness, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** A grader whose timed result for one student holds a NaN measurement (a forged pool statistic). */
class NanGrader extends FakeGrader {
  override async timed(
    entry: CatalogEntry,
    submission: { student: string },
    correctness: ExerciseResult,
  ) {
    const timed = await super.timed(entry, submission, correctness);
    if (!timed || submission.student !== STUDENTS[1]) return timed;
    const checks = timed.checks.map((check) =>
      check.measurements
        ? { ...check, measurements: { ...check.measurements, speedup: NaN } }
        : check
    );
    return { ...timed, checks };
  }
}

Deno.test("gradeBatch() turns one row's result that fits no schema into a grader failure and writes the gradebook", async () => {
  const root = await copyFixtures();
  try {
    const summary = await gradeBatch(join(root, "submissions"), {
      grader: new NanGrader(),
      jobs: 2,
    });
    deepEqual(summary.gradebook.students.map((row) => row.student), STUDENTS);
    ok(summary.graderFailures.includes(STUDENTS[1]!));
    const row = summary.gradebook.students.find((r) => r.student === STUDENTS[1])!;
    ok(row.exercises.some((e) => /did not fit the result schema/.test(e.checks[0]!.message)));
    await Deno.stat(join(root, "gradebook", "gradebook.json"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() stopped midway keeps the finished students and resumes after them", async () => {
  const root = await copyFixtures();
  try {
    const dir = join(root, "submissions");
    const controller = new AbortController();
    const grader = new FakeGrader();
    await rejects(
      gradeBatch(dir, {
        grader,
        jobs: 1,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.kind === "graded" && event.done === 2) controller.abort();
        },
      }),
      { name: "AbortError" },
    );
    const out = join(root, "gradebook");
    await rejects(Deno.stat(join(out, "gradebook.json")), Deno.errors.NotFound);
    const saved = JSON.parse(await Deno.readTextFile(join(out, STUDENTS[0]!, SAVED_FILE)));
    equal(saved.complete, true);
    const rest = new FakeGrader();
    const summary = await gradeBatch(dir, { grader: rest, jobs: 2 });
    equal(summary.timing.reused, 2);
    ok(!rest.calls.some((call) => call.includes(STUDENTS[0]!) || call.includes(STUDENTS[1]!)));
    equal(summary.gradebook.students.length, STUDENTS.length);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() keeps inconclusive timings on a rerun; --retime times only those again", async () => {
  const root = await copyFixtures();
  try {
    const dir = join(root, "submissions");
    class Busy extends FakeGrader {
      verdict: CheckResult["status"] = "inconclusive";
      override async timed(
        entry: CatalogEntry,
        submission: { student: string },
        correctness: ExerciseResult,
      ) {
        const result = await super.timed(entry, submission, correctness);
        if (!result) return result;
        const checks = result.checks.map((check) =>
          check.name === "faster" ? { ...check, status: this.verdict } : check
        );
        return { ...result, checks, status: exerciseStatus(checks) };
      }
    }
    const busy = new Busy();
    busy.throwFor.clear();
    const first = await gradeBatch(dir, { grader: busy, jobs: 2 });
    deepEqual(first.inconclusive, STUDENTS);
    // A plain rerun keeps them: a submission that makes its timing inconclusive is not retimed
    // on every rerun of the batch.
    const kept = new Busy();
    const again = await gradeBatch(dir, { grader: kept, jobs: 2 });
    deepEqual(kept.calls, []);
    deepEqual(again.inconclusive, STUDENTS);
    const quiet = new Busy();
    quiet.throwFor.clear();
    quiet.verdict = "failed";
    const second = await gradeBatch(dir, { grader: quiet, jobs: 2, retime: true });
    deepEqual(second.inconclusive, []);
    deepEqual(quiet.calls.filter((call) => call.startsWith("c:")), []);
    deepEqual(
      quiet.calls.sort(),
      STUDENTS.map((student) => `t:${student}:2`).sort(),
    );
    const third = new Busy();
    await gradeBatch(dir, { grader: third, jobs: 2 });
    deepEqual(third.calls, []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() skips an OUT inside DIR, follows a linked student folder, refuses a clash", async () => {
  const root = await copyFixtures();
  try {
    const dir = join(root, "submissions");
    // The instructor's link to a repo kept elsewhere is followed; a link to a classmate's folder
    // (what an archive can unpack to) is refused, and the student still gets a row.
    const zoe = join(dir, "Zoë van der Berg");
    await Deno.mkdir(join(root, "elsewhere"));
    await Deno.rename(zoe, join(root, "elsewhere", "zoe"));
    await Deno.symlink(join(root, "elsewhere", "zoe"), zoe);
    await Deno.symlink(zoe, join(dir, "zoe_copier"));
    const first = await gradeBatch(dir, { grader: new FakeGrader(), out: join(dir, "grades") });
    const byId = new Map(first.gradebook.students.map((row) => [row.student, row]));
    equal(byId.get("Zoë van der Berg")?.exercises[0]?.status, "passed");
    equal(byId.get("zoe_copier")?.exercises[0]?.status, "failed");
    const again = await gradeBatch(dir, { grader: new FakeGrader(), out: join(dir, "grades") });
    ok(!again.gradebook.students.some((row) => row.student === "grades"));
    equal(again.gradebook.students.length, STUDENTS.length + 1);
    await Deno.mkdir(join(dir, "report.html"));
    await rejects(gradeBatch(dir, { grader: new FakeGrader() }), {
      name: "BatchInputError",
      message: /named like a gradebook file: report.html/,
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() refuses two student folders that one disk may take for one, and a gradebook name in another case", async () => {
  for (const [first, second] of [["José", "Jose\u0301"], ["alice", "Alice"]]) {
    const root = await copyFixtures();
    try {
      const dir = join(root, "submissions");
      // The honest batch grades; a twin stops it before anything is written.
      await gradeBatch(dir, { grader: new FakeGrader(), out: join(root, "honest") });
      await Deno.mkdir(join(dir, first!));
      await Deno.mkdir(join(dir, second!));
      await rejects(gradeBatch(dir, { grader: new FakeGrader(), out: join(root, "twins") }), {
        name: "BatchInputError",
        message: /differ only in case or Unicode form/,
      });
      equal(await Deno.stat(join(root, "twins")).then(() => true, () => false), false);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  }
  const root = await copyFixtures();
  try {
    await Deno.mkdir(join(root, "submissions", "Report.HTML"));
    await rejects(gradeBatch(join(root, "submissions"), { grader: new FakeGrader() }), {
      name: "BatchInputError",
      message: /named like a gradebook file: Report.HTML/,
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() refuses a missing folder and a folder without submissions", async () => {
  const empty = await Deno.makeTempDir({ prefix: "parakit_batch_empty_" });
  try {
    await rejects(gradeBatch(join(empty, "nope"), { grader: new FakeGrader() }), BatchInputError);
    await rejects(gradeBatch(empty, { grader: new FakeGrader() }), {
      name: "BatchInputError",
      message: /^No submission folders in /,
    });
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

const SOLUTIONS = new URL("../../../solutions/", import.meta.url).pathname;
const HAS_SOLUTIONS = await Deno.stat(SOLUTIONS).then(() => true, () => false);

Deno.test({
  name: HAS_SOLUTIONS
    ? "gradeBatch() with the runner grades the fixture class end to end, each failure in its own row"
    : "gradeBatch() with the runner (IGNORED: this kit has no solutions/ to build a passing student)",
  ignore: !HAS_SOLUTIONS,
  async fn() {
    const root = await copyFixtures();
    try {
      const dir = join(root, "submissions");
      // The passing student is the kit's own solutions, in the kit layout.
      await Deno.mkdir(join(dir, "alice_solution"));
      const cp = await new Deno.Command("cp", {
        args: ["-a", SOLUTIONS, join(dir, "alice_solution", "exercises")],
      }).output();
      ok(cp.success, new TextDecoder().decode(cp.stderr));
      const summary = await gradeBatch(dir, { jobs: 2, timeoutMs: 5_000 });
      const rows = new Map(summary.gradebook.students.map((row) => [row.student, row]));
      deepEqual([...rows.keys()], ["Zoë van der Berg", "alice_solution", ...STUDENTS.slice(1)]);
      deepEqual(summary.graderFailures, []);
      for (const row of rows.values()) equal(row.exercises.length, 3);
      // One scale for the whole class: a student stopped before the timed checks is scored out of
      // the same points as one who reached them.
      deepEqual(
        new Set([...rows.values()].map((row) => row.maxScore)),
        new Set([rows.get("alice_solution")!.maxScore]),
      );
      const first = (student: string) => rows.get(student)!.exercises[0]!;
      const sumChecks = (student: string) =>
        first(student).checks.filter((check) => check.name.startsWith("sumRange"));
      const statuses = (student: string) => new Set(sumChecks(student).map((c) => c.status));
      equal(first("alice_solution").status, "passed");
      equal(first("Zoë van der Berg").status, "passed");
      // An exercises/ folder without the exercise does not hide the exercise folder beside it.
      equal(first("hana_both").status, "passed");
      ok(statuses("bob_wrong").has("failed"));
      deepEqual(statuses("carol_hangs"), new Set(["timeout"]));
      deepEqual(statuses("dave_crashes"), new Set(["crashed"]));
      ok(first("dave_crashes").checks.some((c) => c.status === "error"));
      equal(first("erin_floods").status, "passed");
      ok((first("erin_floods").output ?? "").includes("adding"));
      // Out of memory within about a second here; a very slow machine may reach the time limit first.
      const frank = [...statuses("frank_oom")];
      ok(frank.every((s) => s === "out-of-memory" || s === "timeout"), frank.join());
      deepEqual(statuses("gus_links"), new Set(["error"]));
      // Every result records the machine it ran on.
      for (const row of rows.values()) {
        for (const result of row.exercises) ok(result.machine.cores >= 1 && result.machine.deno);
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("gradeMain() refuses a budget or a cap that is not a positive number", async () => {
  equal(await gradeMain(["--budget", "0", "submissions"]), 2);
  equal(await gradeMain(["--max-file-kib", "1.5", "submissions"]), 2);
  equal(await gradeMain(["--max-submission-kib", "x", "submissions"]), 2);
});

Deno.test({
  name: "gradeBatch() pins each correctness lane to cores of its own when there are several",
  ignore: Deno.build.os !== "linux" || navigator.hardwareConcurrency < 2,
}, async () => {
  const root = await copyFixtures();
  try {
    class Pinned extends FakeGrader {
      seen: (readonly number[] | undefined)[] = [];
      busy: { student: string; cpus: readonly number[] | undefined }[] = [];
      overlaps = 0;
      override async correctness(
        entry: CatalogEntry,
        submission: { student: string; exercisesDir: string },
        _signal?: AbortSignal,
        cpus?: readonly number[],
      ) {
        // A student's exercises share its lane; another student's never shares a core with it.
        const clash = this.busy.some((other) =>
          other.student !== submission.student && other.cpus?.some((cpu) => cpus?.includes(cpu))
        );
        if (clash) this.overlaps++;
        this.seen.push(cpus);
        const mine = { student: submission.student, cpus };
        this.busy.push(mine);
        try {
          return await super.correctness(entry, submission);
        } finally {
          this.busy.splice(this.busy.indexOf(mine), 1);
        }
      }
    }
    const two = new Pinned();
    two.throwFor.clear();
    await gradeBatch(join(root, "submissions"), { grader: two, jobs: 2, force: true });
    ok(two.seen.every((cpus) => cpus?.length === 1), JSON.stringify(two.seen));
    equal(two.overlaps, 0);
    const one = new Pinned();
    one.throwFor.clear();
    await gradeBatch(join(root, "submissions"), { grader: one, jobs: 1, force: true });
    ok(one.seen.every((cpus) => cpus === undefined));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
