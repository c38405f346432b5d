import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { type ExerciseGrader, gradeBatch, type Submission } from "./batch.ts";
import { type CatalogEntry, loadCatalog } from "../../catalog.ts";
import { type ExerciseResult, exerciseStatus, RESULT_VERSION } from "../../result.ts";
import { KIT_ROOT } from "../../runner.ts";
import { TYPE_CHECK_NAME } from "../../sandbox/typecheck.ts";

const STUDENTS = ["ann", "ben", "cat", "dan"];

/** A class whose every student holds the kit's solutions, in the kit's layout. */
async function solvedClass(students: readonly string[]): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "parakit_batch_typecheck_" });
  await Deno.mkdir(join(root, "submissions"));
  for (const student of students) {
    const cp = await new Deno.Command("cp", {
      args: ["-a", join(KIT_ROOT, "solutions"), join(root, "submissions", student)],
    }).output();
    ok(cp.success, new TextDecoder().decode(cp.stderr));
  }
  return root;
}

function passed(entry: CatalogEntry): ExerciseResult {
  const checks = [{ name: "right", status: "passed" as const, message: "", score: 1, maxScore: 1 }];
  return {
    version: RESULT_VERSION,
    exercise: entry.slug,
    status: exerciseStatus(checks),
    score: 1,
    maxScore: 1,
    checks,
    checkedAt: new Date(0).toISOString(),
    seconds: 0.01,
    machine: { cores: 2, deno: "2.9.6", platform: "linux x86_64" },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A grader that records when each student's shared work, correctness and timed runs happen. */
class Recorder implements ExerciseGrader {
  log: string[] = [];
  preparing = 0;
  timing = 0;
  /** Shared work that ran while a timed run did. */
  overlaps = 0;
  prepared: { student: string; entries: number; cpus: readonly number[] | undefined }[] = [];
  released: string[] = [];

  prepare(
    entries: readonly CatalogEntry[],
    submission: Submission,
    _signal: AbortSignal,
    cpus?: readonly number[],
  ): void {
    this.prepared.push({ student: submission.student, entries: entries.length, cpus });
    this.log.push(`prepare:${submission.student}`);
    this.preparing++;
    if (this.timing > 0) this.overlaps++;
    pause(5).then(() => this.preparing--);
  }

  async correctness(entry: CatalogEntry, submission: Submission) {
    this.log.push(`correctness:${submission.student}`);
    await pause(10);
    return passed(entry);
  }

  async timed(_entry: CatalogEntry, submission: Submission) {
    this.log.push(`timed:${submission.student}`);
    if (this.preparing > 0) this.overlaps++;
    this.timing++;
    try {
      await pause(5);
      return undefined;
    } finally {
      this.timing--;
    }
  }

  release(submission: Submission): Promise<void> {
    this.released.push(submission.student);
    return Promise.resolve();
  }
}

Deno.test("gradeBatch() starts each student's shared work once, in its correctness lane, before its checks", async () => {
  const root = await solvedClass(STUDENTS);
  try {
    const dir = join(root, "submissions");
    const grader = new Recorder();
    const summary = await gradeBatch(dir, { grader, jobs: 1 });
    equal(summary.gradebook.students.length, STUDENTS.length);
    const exercises = (await loadCatalog(KIT_ROOT)).exercises.length;
    deepEqual(
      grader.prepared,
      STUDENTS.map((student) => ({ student, entries: exercises, cpus: undefined })),
    );
    equal(grader.overlaps, 0);
    const at = (event: string) => grader.log.indexOf(event);
    for (const [index, student] of STUDENTS.entries()) {
      ok(at(`prepare:${student}`) < at(`correctness:${student}`), grader.log.join(" "));
      const previous = STUDENTS[index - 1];
      if (previous) ok(at(`prepare:${student}`) > at(`timed:${previous}`), grader.log.join(" "));
    }
    deepEqual(grader.released.toSorted(), STUDENTS);
    // A resumed student's saved exercises are not prepared again; a forced regrade prepares all.
    const again = new Recorder();
    await gradeBatch(dir, { grader: again, jobs: 1 });
    deepEqual(again.prepared, []);
    const forced = new Recorder();
    await gradeBatch(dir, { grader: forced, jobs: 2, force: true });
    equal(forced.prepared.length, STUDENTS.length);
    ok(forced.prepared.every((one) => one.entries === exercises));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() with the runner puts a type error in one exercise's file on that exercise only", async () => {
  const root = await solvedClass(["eve"]);
  try {
    const dir = join(root, "submissions");
    // Exercise 1's guesses.ts no longer type-checks; exercise 2's file is untouched.
    const guesses = join(dir, "eve", "01_guess_run_times", "guesses.ts");
    await Deno.writeTextFile(
      guesses,
      `${await Deno.readTextFile(guesses)}\nexport const typo: number = "one";\n`,
    );
    await Deno.remove(join(dir, "eve", "03_explore_structures"), { recursive: true });
    const summary = await gradeBatch(dir, { timeoutMs: 20_000 });
    const [row] = summary.gradebook.students;
    const typeRows = (slug: string) =>
      row?.exercises.find((result) => result.exercise === slug)?.checks.filter((check) =>
        check.name === TYPE_CHECK_NAME
      ) ?? [];
    const [error, ...more] = typeRows("01_guess_run_times");
    equal(error?.status, "error");
    match(
      error?.message ?? "",
      /^guesses\.ts:\d+:\d+: Type 'string' is not assignable .*\(TS2322\)$/,
    );
    equal(more.length, 0);
    deepEqual(typeRows("02_try_pymp1"), []);
    deepEqual(typeRows("03_explore_structures"), []);
    const second = row?.exercises.find((result) => result.exercise === "02_try_pymp1");
    ok(second?.checks.every((check) => check.status !== "error"), JSON.stringify(second));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
