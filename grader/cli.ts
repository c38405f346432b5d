/**
 * The student's commands: `check N|all [--json] [--solution]`, `watch [N]`, `hint N [--more]` and
 * `list`,
 * with the exit codes of the contract: 0 every check passed, 1 some did not, 2 bad usage or input,
 * 3 the grader itself failed. Arguments in, a command run, result data rendered; nothing here
 * decides a verdict. This file parses and dispatches: the commands live in `student/` (`check.ts`,
 * `hint.ts`, `list.ts`, `watch.ts`, `sweep.ts`) and `_instructor_commands.ts`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { EXIT } from "./_exit.ts";
import { INSTRUCTOR_COMMANDS, runInstructorCommand } from "./_instructor_commands.ts";
import { type Catalog, CatalogError, loadCatalog } from "./catalog.ts";
import { kitRequirement, tooOld } from "./deno_version.ts";
import { useColor } from "./report/terminal.ts";
import { type CheckExerciseOptions, KIT_ROOT, type Source } from "./runner.ts";
import { SWEEP_TARGETS } from "./measure/sweep_exercise.ts";
import { type CliIo, hasFolder, pickExercise, UsageError } from "./student/_command.ts";
import { runChecks } from "./student/check.ts";
import { hintText } from "./student/hint.ts";
import { list } from "./student/list.ts";
import { sweepCommand } from "./student/sweep.ts";
import { watchCommand } from "./student/watch.ts";

/** The exit codes of the contract: one table for every command (grader/_exit.ts). */
export { EXIT };

/** A user's mistake, and where the CLI writes (grader/student/_command.ts). */
export { type CliIo, UsageError };

/** A user's mistake: one line on stderr, exit code 2, no stack trace. */
/** Each student command's one-line usage, shown by `--help` and after a usage mistake. */
const STUDENT_USAGE: Readonly<Record<string, string>> = {
  check: "deno task check N|all [--json] [--sweep] [--seed N]",
  sweep: "deno task sweep N [--json]",
  watch: "deno task watch [N]",
  hint: "deno task hint N [--more]",
  list: "deno task list",
};

const STUDENT_HELP = `usage:
  deno task check N|all [--json]    check exercise N (1, 01 or its folder name), or all of them
                 [--sweep]          ... then sweep its speedup over 1..cores workers
                 [--seed N]         ... replaying the random inputs of a run
  deno task sweep N [--json]        speedup against workers, Amdahl fit, SVG chart
  deno task watch [N]               re-check on every save until Ctrl-C
  deno task hint N [--more]         a hint for exercise N; --more gives the more explicit ones
  deno task list                    every exercise with its last result`;

const INSTRUCTOR_HELP = `instructor kit only:
  deno task check N --solution      check the hidden solution (sweep N --solution too)`;

/** How a command is used, for a usage error. */
function usageOf(command: string | undefined): string {
  return STUDENT_USAGE[command ?? ""] ?? STUDENT_HELP.split("\n")[1]!.trim();
}

/**
 * Turns `parseArgs`' error into the kit's one-line usage error.
 *
 * @param error What `parseArgs` threw.
 * @param command The command it was parsing for.
 * @returns The usage error.
 */
function optionError(error: unknown, command: string | undefined): UsageError {
  const message = (error as Error)?.message ?? String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  const missing = /^Option '(-\S*)(?:, -\S+)?(?: <value>)?' argument missing/.exec(message);
  const what = unknown
    ? `unknown option ${unknown[1]}`
    : missing
    ? `${missing[1]} needs a value`
    : /^Option '([^']+)' does not take an argument/.exec(message)
    ? `${/^Option '(?:-\w, )?([^' ]+)/.exec(message)?.[1]} takes no value`
    : `bad option (${message.split(".")[0]})`;
  const help = STUDENT_USAGE[command ?? ""] ? command : "check";
  return new UsageError(`${what}: usage: ${usageOf(command)} (deno task ${help} --help)`);
}

/** Where the CLI writes; replaced in tests. */
const encoder = new TextEncoder();

/** The real terminal. */
export const TERMINAL_IO: CliIo = {
  out: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
  err: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
  color: useColor(),
  progress: Deno.stderr.isTerminal(),
};

/** Options of {@linkcode main}. */
export interface MainOptions {
  /** The kit's root. Default: the kit this grader belongs to. */
  kitRoot?: string;
  /** Where output goes. Default: the terminal. */
  io?: CliIo;
  /** Overrides of the runner's options (tests use short limits). */
  runner?: CheckExerciseOptions;
  /** The Deno version to check against the kit's minimum. Default: the running one. */
  denoVersion?: string;
}

/** The command line's options, parsed; a mistake is a usage error. */
function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        solution: { type: "boolean", default: false },
        more: { type: "boolean", default: false },
        sweep: { type: "boolean", default: false },
        seed: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw optionError(error, args.find((arg) => !arg.startsWith("-")));
  }
}

/** `deno task sweep N`: checks that the exercise has a sweep (and the kit its solutions), then runs it. */
async function sweep(
  catalog: Catalog,
  name: string | undefined,
  options: {
    kitRoot: string;
    io: CliIo;
    runner: CheckExerciseOptions;
    solution: boolean;
    json: boolean;
  },
): Promise<number> {
  const { kitRoot, io, runner } = options;
  const flags = options;
  const entry = pickExercise(catalog, name, "sweep");
  if (SWEEP_TARGETS[entry.slug] === undefined) {
    throw new UsageError(
      `exercise ${entry.id} has no timed parallel check to sweep: sweepable exercises are ${
        catalog.exercises.filter((e) => SWEEP_TARGETS[e.slug]).map((e) => e.id).join(", ")
      }`,
    );
  }
  if (flags.solution && !(await hasFolder(`${kitRoot}/solutions`))) {
    throw new UsageError(
      "this kit has no solutions/ (a student kit): --solution works only in the instructor's kit",
    );
  }
  const source: Source = flags.solution ? { kind: "solutions" } : { kind: "exercises" };
  return await sweepCommand(entry, {
    kitRoot,
    source,
    io,
    json: flags.json,
    ...runner,
  });
}

/**
 * Runs one command of the CLI.
 *
 * @param args The command line (`["check", "1", "--json"]`).
 * @param options The kit, where output goes, runner overrides.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts
 * import { main } from "./cli.ts";
 * import { equal } from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), color: false, progress: false };
 * equal(await main(["check", "99"], { io }), 2);
 * ```
 */
export async function main(args: readonly string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? TERMINAL_IO;
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  try {
    // Before anything else: an older Deno fails in ways that look like the student's fault.
    const old = tooOld(options.denoVersion ?? Deno.version.deno, await kitRequirement());
    if (old) throw new UsageError(old);
    const [first, ...rest] = args;
    if (first !== undefined && Object.hasOwn(INSTRUCTOR_COMMANDS, first)) {
      return await runInstructorCommand(first, rest, { err: io.err });
    }
    const parsed = parse(args);
    const [command, name, extra] = parsed.positionals;
    if (parsed.values.help || command === undefined) {
      const instructor = await hasFolder(`${kitRoot}/solutions`);
      const help = instructor ? `${STUDENT_HELP}\n${INSTRUCTOR_HELP}` : STUDENT_HELP;
      (parsed.values.help ? io.out : io.err)(`${help}\n`);
      return parsed.values.help ? EXIT.passed : EXIT.usage;
    }
    if (extra !== undefined) {
      throw new UsageError(`unexpected argument ${extra}: usage: ${usageOf(command)}`);
    }
    let catalog: Catalog;
    try {
      catalog = await loadCatalog(kitRoot);
    } catch (error) {
      if (error instanceof CatalogError) {
        io.err(`error: ${error.message}: the kit is broken; restore exercises/catalog.json\n`);
        return EXIT.internal;
      }
      throw error;
    }
    let runner = options.runner ?? {};
    if (parsed.values.seed !== undefined) {
      const seed = Number(parsed.values.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new UsageError(
          `--seed must be a non-negative integer (the seed a report printed): received ${parsed.values.seed}`,
        );
      }
      runner = { ...runner, seed };
    }
    switch (command) {
      case "check": {
        const entries = name === "all" ? catalog.exercises : [pickExercise(catalog, name, "check")];
        return await runChecks(entries, { ...parsed.values, kitRoot, io, runner });
      }
      case "hint": {
        const entry = pickExercise(catalog, name, "hint");
        io.out(hintText(entry, parsed.values.more));
        return EXIT.passed;
      }
      case "list":
        if (name !== undefined) {
          throw new UsageError(`unexpected argument ${name}: deno task list takes no argument`);
        }
        return await list(catalog, kitRoot, io);
      case "sweep":
        return await sweep(catalog, name, { ...parsed.values, kitRoot, io, runner });
      case "watch":
        return await watchCommand(catalog, name, { kitRoot, io, runner });
      default:
        throw new UsageError(`unknown command ${command}: use check, watch, hint, list or sweep`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    io.err(
      `error: the grader itself failed (please report it): ${(error as Error)?.stack ?? error}\n`,
    );
    return EXIT.internal;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
