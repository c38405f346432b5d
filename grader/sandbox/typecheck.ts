/**
 * The type check that runs before an exercise's checks: `deno check` of the student's files, with
 * the kit's compiler options, on a private copy laid out like the kit (the student files and
 * `lib/`), loading nothing from outside (no remote, no npm, its own empty `DENO_DIR`). Each error
 * becomes a check result with status `error` that names file, line and column; an exercise with one
 * is not `passed` (`exerciseStatus`).
 *
 * `deno check` has no permission system: it reads any file a module names. So before it runs,
 * every import of the copied files is read with TypeScript's parser and one that leaves the copy
 * (or hides itself behind an escape) is refused, and `deno check` is not run at all. Its memory is
 * capped too (Linux), and its time. The copy and the subprocess are `_typecheck_run.ts`'s; reading
 * its output and turning a report into results is `_typecheck_report.ts`'s, re-exported here.
 *
 * {@linkcode typeCheckStudent} checks a student's exercises in one `deno check` (one subprocess,
 * not one per exercise: most of its second is loading `lib/` and the compiler) and gives each
 * exercise the diagnostics of its own files; an exercise whose files could change how the others
 * type-check is checked alone (`_typecheck_scope.ts`).
 *
 * @module
 */
import { refusedImports } from "./_typecheck_imports.ts";
import {
  parseDiagnostics,
  type TypeCheckReport,
  type TypeDiagnostic,
} from "./_typecheck_report.ts";
import {
  copyExercise,
  type DenoCheckLimits,
  outputText,
  prepareCopy,
  runDenoCheck,
} from "./_typecheck_run.ts";
import { checkRoot } from "./_typecheck_slot.ts";
import { checkedAlone } from "./_typecheck_scope.ts";

export type { RefusedImport } from "./_typecheck_imports.ts";
export {
  formatDiagnostic,
  parseDiagnostics,
  repeatedError,
  TYPE_CHECK_NAME,
  type TypeCheckReport,
  typeCheckResults,
  type TypeDiagnostic,
} from "./_typecheck_report.ts";

/** Options of {@linkcode typeCheck}. */
export interface TypeCheckOptions extends DenoCheckLimits {
  /** The kit's root: its `lib/` is copied beside the files and its `compilerOptions` are used. */
  kitRoot: string;
  /** The exercise folder's name (`01_guess_run_times`). */
  slug: string;
  /** The folder that holds the student files. */
  sourceDir: string;
  /** The student files (the catalog's `files`); missing ones are left to the checks to report. */
  files: readonly string[];
}

/**
 * Type-checks an exercise's student files as `deno check` would in the kit, on a private copy.
 *
 * @param options The files, the kit, a time limit.
 * @returns The errors found, the imports refused before `deno check` ran (a file outside the
 * copy, an escaped specifier), or why nothing could be said (no student file, a timeout, too much
 * memory, `deno check` failing without a diagnostic).
 *
 * @example Usage
 * ```ts ignore
 * import { typeCheck } from "./typecheck.ts";
 * const report = await typeCheck({ kitRoot, slug: "01_guess_run_times", sourceDir, files });
 * ```
 */
export async function typeCheck(options: TypeCheckOptions): Promise<TypeCheckReport> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  await using slot = await checkRoot(options.kitRoot);
  const root = slot.root;
  const exerciseDir = `${root}/exercises/${options.slug}`;
  const roots = await copyExercise(options.sourceDir, options.files, exerciseDir);
  if (roots.length === 0) {
    return { kind: "unchecked", reason: "no student file to check", seconds: seconds() };
  }
  await prepareCopy(options.kitRoot, root);
  const refused = await refusedImports(root, roots, exerciseDir);
  if (refused.length > 0) return { kind: "refused", imports: refused, seconds: seconds() };
  const run = await runDenoCheck(root, roots, options);
  if (run.failure) return { kind: "unchecked", reason: run.failure, seconds: seconds() };
  const text = outputText(run.output);
  const diagnostics = parseDiagnostics(text, root, options.slug);
  if (run.output.success || diagnostics.length > 0) {
    return { kind: "checked", diagnostics, seconds: seconds() };
  }
  const last = text.trim().split("\n").at(-1) ?? `exit code ${run.output.code}`;
  return { kind: "unchecked", reason: `deno check failed: ${last}`, seconds: seconds() };
}

/** One exercise of {@linkcode TypeCheckStudentOptions}. */
export interface TypeCheckExercise {
  /** The exercise folder's name (`01_guess_run_times`). */
  slug: string;
  /** The folder that holds its student files. */
  sourceDir: string;
  /** Its student files (the catalog's `files`). */
  files: readonly string[];
}

/** Options of {@linkcode typeCheckStudent}. */
export interface TypeCheckStudentOptions extends DenoCheckLimits {
  /** The kit's root: its `lib/` is copied beside the files and its `compilerOptions` are used. */
  kitRoot: string;
  /** The student's exercises. */
  exercises: readonly TypeCheckExercise[];
}

/**
 * Type-checks a student's exercises at once: one private copy, one `deno check` of the exercises
 * that can share it, each exercise given the diagnostics of its own files (and of `lib/`, which
 * every exercise's check would report), so a type error in one exercise's file lands on that
 * exercise only. Its report for each exercise is what {@linkcode typeCheck} would say of it alone:
 * an exercise whose files could change the others' check (`_typecheck_scope.ts`) is checked alone,
 * and when the shared run cannot attribute its outcome (a parse error stops `deno check` before it
 * types anything; it ran out of time or memory; it failed without a diagnostic) each exercise of it
 * is checked alone instead.
 *
 * @param options The exercises, the kit, the limits (each `deno check`'s own).
 * @returns Each exercise's report, by slug.
 *
 * @example Usage
 * ```ts ignore
 * import { typeCheckStudent } from "./typecheck.ts";
 * const reports = await typeCheckStudent({ kitRoot, exercises: [{ slug, sourceDir, files }] });
 * ```
 */
export async function typeCheckStudent(
  options: TypeCheckStudentOptions,
): Promise<Map<string, TypeCheckReport>> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const reports = new Map<string, TypeCheckReport>();
  const alone: TypeCheckExercise[] = [];
  const shared: { exercise: TypeCheckExercise; roots: string[] }[] = [];
  {
    // The slot is freed before the exercises checked alone take theirs.
    await using slot = await checkRoot(options.kitRoot);
    const root = slot.root;
    await prepareCopy(options.kitRoot, root);
    for (const exercise of options.exercises) {
      const exerciseDir = `${root}/exercises/${exercise.slug}`;
      const roots = await copyExercise(exercise.sourceDir, exercise.files, exerciseDir);
      const refused = roots.length > 0 ? await refusedImports(root, roots, exerciseDir) : [];
      if (roots.length === 0) {
        reports.set(exercise.slug, {
          kind: "unchecked",
          reason: "no student file to check",
          seconds: 0,
        });
      } else if (refused.length > 0) {
        reports.set(exercise.slug, { kind: "refused", imports: refused, seconds: seconds() });
      } else if (await checkedAlone(root, roots, exerciseDir)) {
        alone.push(exercise);
      } else {
        shared.push({ exercise, roots });
      }
    }
    if (shared.length > 0) {
      const run = await runDenoCheck(root, shared.flatMap((one) => one.roots), options);
      const text = outputText(run.output);
      const found = shared.map(({ exercise }) => ownDiagnostics(text, root, exercise.slug));
      const attributable = !run.failure && (run.output.success || found.some((d) =>
        d.length > 0
      )) &&
        !found.some((diagnostics) => diagnostics.some((diagnostic) => diagnostic.load));
      for (const [index, { exercise }] of shared.entries()) {
        if (run.cancelled) {
          reports.set(exercise.slug, {
            kind: "unchecked",
            reason: run.failure!,
            seconds: seconds(),
          });
        } else if (attributable) {
          reports.set(exercise.slug, {
            kind: "checked",
            diagnostics: found[index]!,
            seconds: seconds(),
          });
        } else {
          alone.push(exercise);
        }
      }
    }
  }
  const own = await Promise.all(alone.map((exercise) => typeCheck({ ...options, ...exercise })));
  for (const [index, exercise] of alone.entries()) reports.set(exercise.slug, own[index]!);
  return new Map(options.exercises.map((exercise) => [exercise.slug, reports.get(exercise.slug)!]));
}

/**
 * The diagnostics of a shared run that concern one exercise: those in its own files, and those in
 * `lib/` or outside the copy (every exercise's own check would report them too); not those in
 * another exercise's folder.
 */
function ownDiagnostics(text: string, root: string, slug: string): TypeDiagnostic[] {
  return parseDiagnostics(text, root, slug).filter((diagnostic) =>
    !diagnostic.file.startsWith("exercises/")
  );
}
