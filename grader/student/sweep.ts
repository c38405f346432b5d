/**
 * The sweep's commands: `deno task sweep N` ({@linkcode sweepCommand}) and `deno task check N
 * --sweep` ({@linkcode checkWithSweep}), and the chart they save to `.parakit/sweep-NN.svg`.
 *
 * @module
 */
import type { CatalogEntry } from "../catalog.ts";
import { sweepChartSvg } from "../report/svg.ts";
import { renderSweepTerminal } from "../report/sweep_terminal.ts";
import type { ExerciseResult, Sweep } from "../result.ts";
import { KIT_ROOT } from "../runner.ts";
import { SandboxFailure } from "../sandbox/sandbox.ts";
import type { SweepOptions } from "../measure/sweep.ts";
import {
  canSweep,
  SWEEP_TARGETS,
  SweepAnswerError,
  sweepExercise,
  type SweepExerciseOptions,
  withSweep,
} from "../measure/sweep_exercise.ts";
import { EXIT } from "../_exit.ts";

/**
 * Where a sweep's chart goes: `.parakit/sweep-NN.svg` in the kit's root.
 *
 * @param entry The exercise.
 * @param kitRoot The kit's root.
 * @returns The file's path.
 *
 * @example Usage
 * ```ts
 * import { sweepSvgPath } from "./sweep.ts";
 * import { equal } from "node:assert/strict";
 *
 * const entry = { id: 2, slug: "02_try_pymp1", title: "T", files: ["a.ts"], hint: "h" };
 * equal(sweepSvgPath(entry, "/kit"), "/kit/.parakit/sweep-02.svg");
 * ```
 */
export function sweepSvgPath(entry: CatalogEntry, kitRoot: string = KIT_ROOT): string {
  return `${kitRoot}/.parakit/sweep-${String(entry.id).padStart(2, "0")}.svg`;
}

/**
 * Draws a sweep as SVG and writes it to {@linkcode sweepSvgPath}, creating `.parakit/`.
 *
 * @param sweep The sweep.
 * @param entry The exercise it measured.
 * @param kitRoot The kit's root.
 * @returns The path written.
 *
 * @example Usage
 * ```ts
 * import { writeSweepSvg } from "./sweep.ts";
 * import { ok } from "node:assert/strict";
 *
 * const kit = await Deno.makeTempDir();
 * const entry = { id: 2, slug: "02_try_pymp1", title: "T", files: ["a.ts"], hint: "h" };
 * const step = { spread: 0, pairs: 5, seconds: 1, referenceSeconds: 1, inconclusive: false };
 * const sweep = { cores: 1, inconclusive: false, points: [{ ...step, workers: 1, speedup: 1 }] };
 * const path = await writeSweepSvg(sweep, entry, kit);
 * ok((await Deno.readTextFile(path)).startsWith("<svg"));
 * await Deno.remove(kit, { recursive: true });
 * ```
 */
export async function writeSweepSvg(
  sweep: Sweep,
  entry: CatalogEntry,
  kitRoot: string = KIT_ROOT,
): Promise<string> {
  const path = sweepSvgPath(entry, kitRoot);
  const svg = await sweepChartSvg(sweep, { title: `${entry.slug}: speedup against workers` });
  await Deno.mkdir(`${kitRoot}/.parakit`, { recursive: true });
  await Deno.writeTextFile(path, svg);
  return path;
}

/** Where the sweep's command-line output goes (the CLI's `CliIo` fits). */
export interface SweepIo {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  /** Whether to colour stdout. */
  color: boolean;
  /** Whether stderr is a terminal (progress lines go there). */
  progress: boolean;
}

/** Options of {@linkcode sweepCommand} and {@linkcode checkWithSweep}. */
export interface SweepCommandOptions extends SweepExerciseOptions {
  /** Where output goes. */
  io: SweepIo;
  /** `sweep N --json`: print the sweep's data as JSON on stdout instead of the chart. */
  json?: boolean;
}

function progressOf(entry: CatalogEntry, io: SweepIo): SweepOptions["onPair"] {
  if (!io.progress) return undefined;
  return (index, total, workers) =>
    io.err(
      `\r\x1b[2K${entry.slug} sweep: pair ${index + 1} (at most ${total}), ${workers} workers`,
    );
}

/** Writes the sweep's SVG and returns its path, relative to the kit when inside it. */
async function saveChart(sweep: Sweep, entry: CatalogEntry, kitRoot: string): Promise<string> {
  const path = await writeSweepSvg(sweep, entry, kitRoot);
  return path.startsWith(`${kitRoot}/`) ? path.slice(kitRoot.length + 1) : path;
}

function clearProgress(io: SweepIo): void {
  if (io.progress) io.err("\r\x1b[2K");
}

/** The exit codes of `deno task sweep N`. */
export const SWEEP_EXIT = { swept: EXIT.passed, studentFailed: EXIT.failed } as const;

/**
 * `deno task sweep N [--solution] [--json]`: sweeps one exercise, prints the terminal chart and
 * the fit (or, with `json`, the sweep's data), and writes `.parakit/sweep-NN.svg`. The caller checks that the exercise is sweepable
 * ({@linkcode SWEEP_TARGETS}) and turns bad usage into exit code 2.
 *
 * @param entry The exercise.
 * @param options Output, where the files come from, the cores and limits.
 * @returns 0 when a sweep was measured, 1 when the student's code failed, answered wrongly, timed
 * out, crashed or ran out of memory during it (said on stderr in one line).
 * @throws {RangeError} If the exercise has no sweep target.
 *
 * @example Usage
 * ```ts
 * import { sweepCommand } from "./sweep.ts";
 * import { rejects } from "node:assert/strict";
 *
 * const io = { out: () => {}, err: () => {}, color: false, progress: false };
 * const entry = { id: 1, slug: "01_guess_run_times", title: "T", files: ["a.ts"], hint: "h" };
 * await rejects(sweepCommand(entry, { io }), RangeError);
 * ```
 */
export async function sweepCommand(
  entry: CatalogEntry,
  options: SweepCommandOptions,
): Promise<number> {
  try {
    const sweep = await sweepExercise(entry, { onPair: progressOf(entry, options.io), ...options });
    clearProgress(options.io);
    const where = await saveChart(sweep, entry, options.kitRoot ?? KIT_ROOT);
    if (options.json) {
      options.io.out(`${JSON.stringify(sweep, null, 2)}\n`);
    } else {
      options.io.out(
        `${entry.slug}: scaling sweep on ${sweep.cores} cores\n\n${
          renderSweepTerminal(sweep, { color: options.io.color })
        }\n\nChart: ${where}\n`,
      );
    }
    return SWEEP_EXIT.swept;
  } catch (error) {
    if (error instanceof SweepAnswerError || error instanceof SandboxFailure) {
      clearProgress(options.io);
      options.io.err(`error: no sweep for ${entry.slug}: ${error.message}\n`);
      return SWEEP_EXIT.studentFailed;
    }
    throw error;
  }
}

/**
 * `deno task check N --sweep`: adds a sweep to a checked exercise when {@linkcode canSweep} allows
 * it and writes its SVG (the reporters render the sweep from the result). When the exercise cannot
 * be swept yet, or the sweep fails, says why on stderr and returns the result unchanged.
 *
 * @param entry The exercise.
 * @param result Its result, from the runner.
 * @param options Output, where the files come from, the cores and limits.
 * @returns The result, with `sweep` when one was measured.
 *
 * @example Usage
 * ```ts
 * import { checkWithSweep } from "./sweep.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const said: string[] = [];
 * const io = { out: () => {}, err: (t: string) => void said.push(t), color: false, progress: false };
 * const entry = { id: 2, slug: "02_try_pymp1", title: "T", files: ["a.ts"], hint: "h" };
 * const result = {
 *   version: 1 as const, exercise: entry.slug, status: "failed" as const, score: 0, maxScore: 5,
 *   checks: [], checkedAt: "", seconds: 0, machine: { cores: 2, deno: "2", platform: "linux" },
 * };
 * equal(await checkWithSweep(entry, result, { io }), result);
 * deepEqual(said, ["no sweep for 02_try_pymp1: its correctness checks must pass first\n"]);
 * ```
 */
export async function checkWithSweep(
  entry: CatalogEntry,
  result: ExerciseResult,
  options: SweepCommandOptions,
): Promise<ExerciseResult> {
  if (SWEEP_TARGETS[entry.slug] === undefined) return result;
  if (!canSweep(result)) {
    options.io.err(`no sweep for ${entry.slug}: its correctness checks must pass first\n`);
    return result;
  }
  try {
    const swept = await withSweep(entry, result, {
      onPair: progressOf(entry, options.io),
      ...options,
    });
    clearProgress(options.io);
    if (swept.sweep !== undefined) {
      const where = await saveChart(swept.sweep, entry, options.kitRoot ?? KIT_ROOT);
      options.io.err(`sweep chart written to ${where}\n`);
    }
    return swept;
  } catch (error) {
    if (error instanceof SweepAnswerError || error instanceof SandboxFailure) {
      clearProgress(options.io);
      options.io.err(`error: no sweep for ${entry.slug}: ${error.message}\n`);
      return result;
    }
    throw error;
  }
}
