/**
 * `deno task check N|all`: checks exercises one after another, prints each report (or the JSON of
 * them all), records the student's progress, and returns the exit code.
 *
 * @module
 */
import type { CatalogEntry } from "../catalog.ts";
import { EXIT } from "../_exit.ts";
import { renderJson } from "../report/json.ts";
import { renderExercise } from "../report/terminal.ts";
import type { ExerciseResult } from "../result.ts";
import { checkExercise, type CheckExerciseOptions, type Source } from "../runner.ts";
import { type CliIo, hasFolder, UsageError } from "./_command.ts";
import { progressPath, recordProgress } from "./progress.ts";
import { checkWithSweep } from "./sweep.ts";

/** Options of {@linkcode runChecks}. */
export interface CheckCommandOptions {
  /** The kit's root. */
  kitRoot: string;
  /** Where output goes. */
  io: CliIo;
  /** Overrides of the runner's options. Default: none. */
  runner?: CheckExerciseOptions;
  /** Print the results as JSON instead of reports. Default: false. */
  json?: boolean;
  /** Check the hidden solutions (the instructor's kit only). Default: false. */
  solution?: boolean;
  /** Sweep the speedup after the checks. Default: false. */
  sweep?: boolean;
}

/**
 * Checks the exercises, prints what they show, and returns the exit code.
 *
 * @param entries The exercises, in order.
 * @param options The kit, where output goes, the runner's overrides and the flags.
 * @returns {@linkcode EXIT}`.passed` when every exercise passed, else `EXIT.failed`.
 * @throws {UsageError} When `solution` is asked of a kit with no `solutions/`.
 *
 * @example Usage
 * ```ts
 * import { runChecks } from "./check.ts";
 * import { UsageError } from "./_command.ts";
 * import { rejects } from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t), color: false, progress: false };
 * const kitRoot = await Deno.makeTempDir();
 * await rejects(runChecks([], { kitRoot, io, solution: true }), UsageError);
 * await Deno.remove(kitRoot);
 * ```
 */
export async function runChecks(
  entries: readonly CatalogEntry[],
  options: CheckCommandOptions,
): Promise<number> {
  const { kitRoot, io, runner = {} } = options;
  const flags = { json: false, solution: false, sweep: false, ...options };
  const source: Source = flags.solution ? { kind: "solutions" } : { kind: "exercises" };
  if (flags.solution && !(await hasFolder(`${kitRoot}/solutions`))) {
    throw new UsageError(
      "this kit has no solutions/ (a student kit): --solution works only in the instructor's kit",
    );
  }
  const results: ExerciseResult[] = [];
  for (const entry of entries) {
    let result = await checkExercise(entry, {
      kitRoot,
      source,
      ...runner,
      onProgress: io.progress
        ? (event) => {
          const detail = event.detail ? `: ${event.detail}` : "";
          const line = `${event.exercise} [${
            event.index + 1
          }/${event.total}] ${event.check}${detail}`;
          io.err(`\r\x1b[2K${line.slice(0, 100)}`);
        }
        : undefined,
    });
    if (io.progress) io.err("\r\x1b[2K");
    if (flags.sweep) {
      result = await checkWithSweep(entry, result, { kitRoot, source, io, ...runner });
    }
    results.push(result);
    if (!flags.solution) {
      await recordProgress(progressPath(kitRoot), result).catch(() => {});
    }
    if (!flags.json) {
      const stuck = result.status === "passed" || flags.solution
        ? ""
        : `\n  stuck? deno task hint ${entry.id}`;
      io.out(`${renderExercise(result, { color: io.color, title: entry.title })}${stuck}\n\n`);
    }
  }
  if (flags.json) io.out(renderJson(results) + "\n");
  else if (results.length > 1) {
    const passed = results.filter((result) => result.status === "passed").length;
    const score = results.reduce((sum, result) => sum + result.score, 0);
    const maxScore = results.reduce((sum, result) => sum + result.maxScore, 0);
    io.out(`${passed} of ${results.length} exercises passed · ${score}/${maxScore} points\n`);
  }
  return results.every((result) => result.status === "passed") ? EXIT.passed : EXIT.failed;
}
