/**
 * What a student kit holds of the instructor's kit: the paths never shipped, the instructor's
 * tasks taken out of `deno.json`, the README's instructor-only markers, and the kit's files as git
 * (or a walk) lists them. Used by `release.ts` and the Gradescope bundle; re-exported by
 * `release.ts`.
 *
 * @module
 */
import { join } from "node:path";

/**
 * Paths of the instructor's kit that a student kit never holds: the hidden solutions, the tools
 * that need them or grade a class (batch, release, dev:check, the Gradescope bundle, the class
 * reporters), the batch's fixture submissions and the grader's fixture corpus (its passing
 * submissions are complete solutions). A path ending in `/` is a folder.
 */
export const INSTRUCTOR_ONLY: readonly string[] = [
  "solutions/",
  "grader/instructor/",
  "grader/report/csv.ts",
  "grader/report/csv_test.ts",
  "grader/report/gradescope.ts",
  "grader/report/gradescope_test.ts",
  "grader/report/html.ts",
  "grader/report/html_test.ts",
  "grader/report/_class_stats.ts",
  "grader/report/_html_chart.ts",
  "grader/report/_failure_groups.ts",
  "grader/report/_html_failures.ts",
  "grader/report/_html_failures_test.ts",
  "grader/report/_html_style.ts",
  "grader/report/_html_student.ts",
  "grader/report/_fake_results.ts",
  "grader/testdata/submissions/",
  "grader/testdata/corpus/",
  // The library's benchmarks: the exact parallel sum is exercise 2's answer.
  "bench/",
  // lib tests' tasks that are exercise 3's answers word for word (testdata/answers.ts loads them).
  "lib/testdata/answer_tasks.ts",
];

/** Paths never shipped: version control, local progress, gradebooks, installed packages. */
export const NEVER_SHIPPED: readonly string[] = [
  ".git/",
  ".parakit/",
  "gradebook/",
  "node_modules/",
];

/** The `deno.json` tasks of the instructor's kit only. */
export const INSTRUCTOR_TASKS: readonly string[] = [
  "grade",
  "release",
  "dev:check",
  "gradescope",
  "bench",
];

/** The README markers around instructor-only text, removed with what they enclose. */
export const README_MARKERS = ["<!-- instructor-only -->", "<!-- /instructor-only -->"] as const;

/**
 * Whether a kit path is shipped to students.
 *
 * @param path The path relative to the kit's root, with `/` separators.
 * @returns `false` for instructor-only and never-shipped paths.
 *
 * @example Usage
 * ```ts
 * import { isShipped } from "./_shipped.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(isShipped("exercises/01_guess_run_times/sum_range.ts"), true);
 * equal(isShipped("solutions/01_guess_run_times/sum_range.ts"), false);
 * equal(isShipped("grader/instructor/dev_check.ts"), false);
 * ```
 */
export function isShipped(path: string): boolean {
  return ![...INSTRUCTOR_ONLY, ...NEVER_SHIPPED].some((excluded) =>
    excluded.endsWith("/") ? path.startsWith(excluded) : path === excluded
  );
}

/**
 * Lists a kit's files, relative to its root: the tracked files in a git checkout (as they are in the
 * working tree), else every file outside the never-shipped folders.
 *
 * @param kitRoot The kit's root folder.
 * @returns The paths, with `/` separators, unsorted.
 * @throws {Error} If git cannot list the files of a checkout.
 *
 * @example Usage
 * ```ts
 * import { kitFiles } from "./_shipped.ts";
 * import { ok } from "node:assert/strict";
 *
 * const files = await kitFiles(new URL("../..", import.meta.url).pathname);
 * ok(files.includes("exercises/catalog.json"));
 * ```
 */
export async function kitFiles(kitRoot: string): Promise<string[]> {
  const isGit = await Deno.stat(join(kitRoot, ".git")).then(() => true, () => false);
  if (isGit) {
    const output = await new Deno.Command("git", {
      args: ["-C", kitRoot, "ls-files", "-z"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(
        `Cannot list the kit's files: git ls-files failed: ${
          new TextDecoder().decode(output.stderr).trim()
        }`,
      );
    }
    return new TextDecoder().decode(output.stdout).split("\0").filter((path) => path !== "");
  }
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(join(kitRoot, dir))) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        if (isShipped(`${path}/`)) await walk(path);
      } else {
        files.push(path);
      }
    }
  }
  await walk("");
  return files;
}
