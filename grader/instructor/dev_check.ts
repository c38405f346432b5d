/**
 * `deno task dev:check`: the maintainer's proof that the kit is consistent. It checks that the
 * catalog matches the files (every exercise folder listed and every listed one present, each with
 * its `README.md` lesson, a hint, its student files with `// TODO:` marks, and the same files in
 * `solutions/` without them), that the stubs and solutions type-check, that every untouched stub
 * fails its check, and that every solution passes, speedup included. A speedup check that stays
 * `inconclusive` (the machine was too busy to decide, the grader's rule) is measured once more and
 * then reported as a warning, not a failure; on one core it is `skipped`, also a warning.
 *
 * @module
 */
import { join } from "node:path";
import { type Catalog, type CatalogEntry, loadCatalog } from "../catalog.ts";
import type { ExerciseResult } from "../result.ts";
import { checkExercise } from "../runner.ts";
import { KIT_ROOT } from "../_kit_root.ts";

/** One finding of the check. */
export interface Finding {
  /** What was checked: the catalog and files, a stub, or a solution. */
  area: "catalog" | "types" | "stub" | "solution";
  /** `ok`, a `warning` that does not fail the check, or a `problem` that does. */
  level: "ok" | "warning" | "problem";
  /** What was found, in one line. */
  message: string;
}

/** Checks one exercise from `exercises/` or `solutions/`; default: the runner. */
export type DevChecker = (
  entry: CatalogEntry,
  source: "exercises" | "solutions",
  timed: boolean,
) => Promise<ExerciseResult>;

/** Options for {@linkcode devCheck}. */
export interface DevCheckOptions {
  /** The kit to check; default this kit. */
  kitRoot?: string;
  /** How an exercise is checked; default the runner. */
  checker?: DevChecker;
  /** Whether to run the stubs and solutions (not only the files); default `true`. */
  run?: boolean;
  /** Whether to type-check the stubs and solutions with `deno check`; default `true`. */
  typeCheck?: boolean;
  /** Called with each finding as it is made. */
  onFinding?: (finding: Finding) => void;
}

const TODO = "// TODO:";
const SLUG = /^\d{2}_[a-z0-9_]+$/;

/**
 * Runs every check of the kit's consistency and returns the findings; the check passes when none
 * is a `problem`.
 *
 * @param options The kit, the checker, what to run.
 * @returns The findings, in the order they were made.
 *
 * @example Usage
 * ```ts
 * import { devCheck } from "./dev_check.ts";
 * import { equal } from "node:assert/strict";
 *
 * const findings = await devCheck({ kitRoot: "/no/such/kit", run: false });
 * equal(findings[0]?.level, "problem");
 * ```
 */
export async function devCheck(options: DevCheckOptions = {}): Promise<Finding[]> {
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  const findings: Finding[] = [];
  const add = (area: Finding["area"], level: Finding["level"], message: string) => {
    const finding = { area, level, message };
    findings.push(finding);
    options.onFinding?.(finding);
  };
  let catalog: Catalog;
  try {
    catalog = await loadCatalog(kitRoot);
  } catch (error) {
    add("catalog", "problem", (error as Error).message);
    return findings;
  }
  await checkFiles(kitRoot, catalog, add);
  if (options.typeCheck ?? true) await checkTypes(kitRoot, catalog, add);
  if (!(options.run ?? true)) return findings;
  const checker = options.checker ?? runnerChecker(kitRoot);
  for (const entry of catalog.exercises) {
    const stub = await checker(entry, "exercises", false);
    if (stub.status === "passed") {
      add(
        "stub",
        "problem",
        `${entry.slug}: the untouched stub passes its check: ${passing(stub)}`,
      );
    } else {
      add("stub", "ok", `${entry.slug}: the untouched stub fails (${summary(stub)})`);
    }
    let solution = await checker(entry, "solutions", true);
    if (solution.checks.some((check) => check.status === "inconclusive")) {
      solution = await checker(entry, "solutions", true);
    }
    const skipped = solution.checks.filter((check) => check.status === "skipped");
    if (solution.status === "passed" && skipped.length === 0) {
      add("solution", "ok", `${entry.slug}: the solution passes (${summary(solution)})`);
    } else if (solution.status === "passed" || solution.status === "inconclusive") {
      const undecided = solution.checks.filter((check) =>
        check.status === "skipped" || check.status === "inconclusive"
      );
      add(
        "solution",
        "warning",
        `${entry.slug}: the solution passes every check that could be decided; not decided: ${
          undecided.map((check) => `${check.name} (${check.status}: ${check.message})`).join("; ")
        }`,
      );
    } else {
      const failed = solution.checks.filter((check) =>
        check.status !== "passed" && check.status !== "skipped" && check.status !== "inconclusive"
      );
      add(
        "solution",
        "problem",
        `${entry.slug}: the solution fails: ${
          failed.map((check) => `${check.name} (${check.status}: ${check.message})`).join("; ")
        }`,
      );
    }
  }
  return findings;
}

function runnerChecker(kitRoot: string): DevChecker {
  return (entry, source, timed) =>
    checkExercise(entry, { kitRoot, source: { kind: source }, timed });
}

function summary(result: ExerciseResult): string {
  const counts = new Map<string, number>();
  for (const check of result.checks) counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
  return `${result.score}/${result.maxScore} points; ${
    [...counts].map(([status, count]) => `${count} ${status}`).join(", ")
  }`;
}

function passing(result: ExerciseResult): string {
  return result.checks.filter((check) => check.status === "passed").map((check) => check.name)
    .join(", ");
}

async function listDir(path: string): Promise<Deno.DirEntry[] | undefined> {
  try {
    return await Array.fromAsync(Deno.readDir(path));
  } catch {
    return undefined;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    const info = await Deno.lstat(path);
    return info.isFile ? await Deno.readTextFile(path) : undefined;
  } catch {
    return undefined;
  }
}

async function checkFiles(
  kitRoot: string,
  catalog: Catalog,
  add: (area: Finding["area"], level: Finding["level"], message: string) => void,
): Promise<void> {
  const slugs = new Set(catalog.exercises.map((entry) => entry.slug));
  let problems = 0;
  const problem = (message: string) => {
    problems++;
    add("catalog", "problem", message);
  };
  for (const folder of ["exercises", "solutions"]) {
    const entries = await listDir(join(kitRoot, folder));
    if (!entries) {
      problem(`${folder}/ is missing`);
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory && SLUG.test(entry.name) && !slugs.has(entry.name)) {
        problem(`${folder}/${entry.name}/ is not in exercises/catalog.json: list it or remove it`);
      }
    }
  }
  for (const entry of catalog.exercises) {
    const exercise = join(kitRoot, "exercises", entry.slug);
    const solution = join(kitRoot, "solutions", entry.slug);
    if (!(await readText(join(exercise, "README.md")))?.trim()) {
      problem(`exercises/${entry.slug}/README.md (the lesson) is missing`);
    }
    if (entry.hint.trim() === "") problem(`${entry.slug}: the catalog's hint is empty`);
    for (const file of entry.files) {
      const stub = await readText(join(exercise, file));
      if (stub === undefined) problem(`exercises/${entry.slug}/${file} is missing`);
      else if (!stub.includes(TODO)) {
        problem(`exercises/${entry.slug}/${file} has no "${TODO}" mark where the student edits`);
      }
      const answer = await readText(join(solution, file));
      if (answer === undefined) problem(`solutions/${entry.slug}/${file} is missing`);
      else if (answer.includes(TODO)) {
        problem(`solutions/${entry.slug}/${file} still has a "${TODO}" mark`);
      }
    }
    for (const stray of (await listDir(solution)) ?? []) {
      if (!entry.files.includes(stray.name)) {
        problem(
          `solutions/${entry.slug}/${stray.name} is not a student file of the catalog: ` +
            `add it to "files" or remove it`,
        );
      }
    }
  }
  if (problems === 0) {
    add(
      "catalog",
      "ok",
      `the catalog matches the files: ${catalog.exercises.length} exercises, each with a lesson, ` +
        `a hint, stubs with "${TODO}" and their solutions`,
    );
  }
}

async function checkTypes(
  kitRoot: string,
  catalog: Catalog,
  add: (area: Finding["area"], level: Finding["level"], message: string) => void,
): Promise<void> {
  const files: string[] = [];
  for (const entry of catalog.exercises) {
    for (const folder of ["exercises", "solutions"]) {
      for (const file of entry.files) {
        const path = join(folder, entry.slug, file);
        if (await readText(join(kitRoot, path)) !== undefined) files.push(path);
      }
    }
  }
  if (files.length === 0) return;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", ...files],
    cwd: kitRoot,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (output.success) {
    add("types", "ok", `the ${files.length} stubs and solutions type-check`);
  } else {
    const text = new TextDecoder().decode(output.stderr).trim().split("\n").slice(0, 6).join(" | ");
    add("types", "problem", `the stubs or solutions do not type-check: ${text}`);
  }
}

/**
 * The `dev:check` command: prints one line per finding.
 *
 * @param _args The command-line arguments (none).
 * @returns 0 when no finding is a problem, 1 otherwise.
 *
 * @example Usage
 * ```ts ignore
 * import { devCheckMain } from "./dev_check.ts";
 * Deno.exit(await devCheckMain([])); // runs every stub and solution: about a minute
 * ```
 */
export async function devCheckMain(_args: string[]): Promise<number> {
  const started = performance.now();
  const mark = { ok: "ok  ", warning: "warn", problem: "FAIL" } as const;
  let findings: Finding[];
  try {
    findings = await devCheck({
      onFinding: (finding) =>
        console.log(`${mark[finding.level]} ${finding.area}: ${finding.message}`),
    });
  } catch (error) {
    console.error(`error: the grader failed during dev:check: ${(error as Error)?.stack ?? error}`);
    return 1;
  }
  const problems = findings.filter((finding) => finding.level === "problem").length;
  const warnings = findings.filter((finding) => finding.level === "warning").length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    problems === 0
      ? `dev:check passed in ${seconds} s (${warnings} warning(s))`
      : `dev:check failed in ${seconds} s: ${problems} problem(s), ${warnings} warning(s)`,
  );
  return problems === 0 ? 0 : 1;
}
