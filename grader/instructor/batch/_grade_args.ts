/**
 * The `grade` command's arguments: parsing and validating them into the batch's options, each
 * wrong flag a one-line error naming it (exit code 2).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { escapeControl } from "../../report/_escape.ts";

/** The `grade` command's usage line. */
export const USAGE =
  "deno task grade DIR [--out OUT] [--force] [--retime] [--jobs N] [--timeout SECONDS] " +
  "[--budget SECONDS] [--max-file-kib N] [--max-submission-kib N] [--sweep]";

/** The batch's options the command line gives. */
export interface GradeArgs {
  /** The folder of submissions. */
  dir: string;
  /** The batch's options, as `gradeBatch` takes them. */
  options: {
    out?: string;
    force: boolean;
    jobs?: number;
    sweep: boolean;
    retime: boolean;
    budgetSeconds?: number;
    fileBytes?: number;
    submissionBytes?: number;
    timeoutMs?: number;
  };
}

/**
 * Parses the `grade` command's arguments; on a wrong one, says why on stderr.
 *
 * @param args The command-line arguments.
 * @returns The folder and options, `"help"` when help was printed, or `"usage"` after an error.
 *
 * @example Usage
 * ```ts
 * import { parseGradeArgs } from "./_grade_args.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const parsed = parseGradeArgs(["subs", "--jobs", "2", "--max-file-kib", "4"]);
 * deepEqual(parsed, {
 *   dir: "subs",
 *   options: {
 *     out: undefined,
 *     force: false,
 *     jobs: 2,
 *     sweep: false,
 *     retime: false,
 *     fileBytes: 4096,
 *   },
 * });
 * const error = console.error;
 * console.error = () => {};
 * try {
 *   equal(parseGradeArgs(["--jobs", "0", "subs"]), "usage");
 * } finally {
 *   console.error = error;
 * }
 * ```
 */
export function parseGradeArgs(args: string[]): GradeArgs | "help" | "usage" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        force: { type: "boolean", default: false },
        jobs: { type: "string" },
        timeout: { type: "string" },
        budget: { type: "string" },
        "max-file-kib": { type: "string" },
        "max-submission-kib": { type: "string" },
        retime: { type: "boolean", default: false },
        sweep: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`error: ${(error as Error).message}: usage: ${USAGE}`);
    return "usage";
  }
  if (parsed.values.help) {
    console.log(`usage: ${USAGE}`);
    return "help";
  }
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined || extra.length > 0) {
    console.error(`error: give exactly one folder of submissions: usage: ${USAGE}`);
    return "usage";
  }
  const jobs = parsed.values.jobs === undefined ? undefined : Number(parsed.values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    console.error(`error: --jobs must be a positive integer: received ${parsed.values.jobs}`);
    return "usage";
  }
  const timeout = parsed.values.timeout === undefined ? undefined : Number(parsed.values.timeout);
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    console.error(
      `error: --timeout must be a positive number of seconds: received ${parsed.values.timeout}`,
    );
    return "usage";
  }
  const budget = positiveFlag(parsed.values.budget, "--budget", "a positive number of seconds");
  const fileKib = positiveFlag(
    parsed.values["max-file-kib"],
    "--max-file-kib",
    "a positive integer",
  );
  const submissionKib = positiveFlag(
    parsed.values["max-submission-kib"],
    "--max-submission-kib",
    "a positive integer",
  );
  if (budget === null || fileKib === null || submissionKib === null) return "usage";
  if (
    [fileKib, submissionKib].some((kib) => kib !== undefined && !Number.isInteger(kib))
  ) {
    console.error("error: --max-file-kib and --max-submission-kib must be positive integers");
    return "usage";
  }
  return {
    dir,
    options: {
      out: parsed.values.out,
      force: parsed.values.force,
      jobs,
      sweep: parsed.values.sweep,
      retime: parsed.values.retime,
      ...(budget === undefined ? {} : { budgetSeconds: budget }),
      ...(fileKib === undefined ? {} : { fileBytes: fileKib * 1024 }),
      ...(submissionKib === undefined ? {} : { submissionBytes: submissionKib * 1024 }),
      ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    },
  };
}

/** A positive number flag: `undefined` when absent, `null` (after saying why) when wrong. */
function positiveFlag(
  value: string | undefined,
  name: string,
  what: string,
): number | null | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (Number.isFinite(number) && number > 0) return number;
  console.error(`error: ${name} must be ${what}: received ${escapeControl(value)}`);
  return null;
}
