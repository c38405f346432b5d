/**
 * The instructor's commands, as `grader/cli.ts` runs them: each is its module's `main` function,
 * imported only when asked for, so the student kit (which has no `grader/instructor/`) loads none of
 * them and says that the command is not in it.
 *
 * @module
 */
import { EXIT } from "./_exit.ts";

/** Where each instructor command lives: its module (relative to this file) and its function. */
export const INSTRUCTOR_COMMANDS: Readonly<Record<string, { module: string; main: string }>> = {
  grade: { module: "./instructor/batch/batch.ts", main: "gradeMain" },
  release: { module: "./instructor/release.ts", main: "releaseMain" },
  "dev:check": { module: "./instructor/dev_check.ts", main: "devCheckMain" },
  gradescope: { module: "./instructor/gradescope/bundle.ts", main: "gradescopeMain" },
  "gradescope-run": { module: "./instructor/gradescope/run.ts", main: "gradescopeRunMain" },
};

/** Options for {@linkcode runInstructorCommand}. */
export interface InstructorCommandOptions {
  /** Writes to stderr. */
  err(text: string): void;
  /** The folder that holds `instructor/`; default this grader's. Tests point it elsewhere. */
  graderUrl?: URL;
}

/**
 * Runs an instructor command with its arguments.
 *
 * @param command One of {@linkcode INSTRUCTOR_COMMANDS}' names.
 * @param args The command's arguments.
 * @param options Where errors go.
 * @returns The command's exit code; {@linkcode EXIT}`.usage` when this kit lacks it.
 *
 * @example Usage
 * ```ts
 * import { runInstructorCommand } from "./_instructor_commands.ts";
 * import { EXIT } from "./_exit.ts";
 * import { equal } from "node:assert/strict";
 *
 * const empty = new URL(`file://${Deno.makeTempDirSync()}/`);
 * let said = "";
 * const code = await runInstructorCommand("grade", ["x"], {
 *   err: (text) => void (said += text),
 *   graderUrl: empty,
 * });
 * equal(code, EXIT.usage);
 * equal(said.includes("not in the student kit"), true);
 * ```
 */
export async function runInstructorCommand(
  command: string,
  args: readonly string[],
  options: InstructorCommandOptions,
): Promise<number> {
  const target = INSTRUCTOR_COMMANDS[command];
  if (target === undefined) throw new RangeError(`Cannot run ${command}: no instructor command`);
  const url = new URL(target.module, options.graderUrl ?? new URL(".", import.meta.url));
  try {
    await Deno.stat(url);
  } catch {
    options.err(
      `error: deno task ${command} is not in the student kit: it belongs to the instructor's kit\n`,
    );
    return EXIT.usage;
  }
  const module = await import(url.href) as Record<string, (args: string[]) => Promise<number>>;
  return await module[target.main]!([...args]);
}
