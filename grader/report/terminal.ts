/**
 * The terminal report: renders result data for a student, deciding nothing. One line per check
 * (✔/✘ and its status), a speedup bar against the threshold for timed checks, the times, and the
 * student's output. The exercise's hint is not shown here: `deno task hint N` gives it on request. Colours only when asked (on a TTY, never
 * with `NO_COLOR`: see {@linkcode useColor}).
 *
 * @module
 */
import { styleText } from "node:util";
import type { CheckResult, CheckStatus, ExerciseResult, Measurements } from "../result.ts";
import { renderSweepTerminal } from "./sweep_terminal.ts";
import { escapeControl } from "./_escape.ts";
import { formatSeconds } from "../_format.ts";

/** Options of {@linkcode renderExercise}. */
export interface TerminalOptions {
  /** Whether to colour the text. Default `false`. */
  color?: boolean;
  /** The exercise's title, shown beside its folder name. */
  title?: string;
  /** Lines of the student's output shown at most. Default 20. */
  outputLines?: number;
}

type Style = Parameters<typeof styleText>[0];

const MARKS: Record<CheckStatus, string> = {
  passed: "✔",
  failed: "✘",
  error: "✘",
  timeout: "✘",
  "out-of-memory": "✘",
  crashed: "✘",
  inconclusive: "?",
  skipped: "-",
};

const STYLES: Record<CheckStatus, Style> = {
  passed: "green",
  failed: "red",
  error: "red",
  timeout: "red",
  "out-of-memory": "red",
  crashed: "red",
  inconclusive: "yellow",
  skipped: "gray",
};

const BAR_WIDTH = 30;

/**
 * Whether a report written to stdout should be coloured: stdout is a terminal and `NO_COLOR` is
 * not set (https://no-color.org).
 *
 * @returns `true` to colour.
 *
 * @example Usage
 * ```ts
 * import { useColor } from "./terminal.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(typeof useColor(), "boolean");
 * ```
 */
export function useColor(): boolean {
  let noColor = false;
  try {
    noColor = (Deno.env.get("NO_COLOR") ?? "") !== "";
  } catch {
    noColor = false;
  }
  return !noColor && Deno.stdout.isTerminal();
}

function paint(color: boolean, style: Style, text: string): string {
  return color ? styleText(style, text, { validateStream: false }) : text;
}

/**
 * Draws a speedup against its threshold: a bar of the speedup, with `│` at the threshold.
 *
 * @param speedup The measured speedup.
 * @param scale The speedup needed (`threshold`) and the speedup the full bar stands for (`full`).
 * @returns The bar, {@linkcode BAR_WIDTH} characters wide.
 *
 * @example Usage
 * ```ts
 * import { speedupBar } from "./terminal.ts";
 * import { equal } from "node:assert/strict";
 *
 * const bar = speedupBar(1.5, { threshold: 1.4, full: 3 });
 * equal(bar.length, 30);
 * equal(bar[14], "│");
 * ```
 */
export function speedupBar(
  speedup: number,
  scale: { threshold: number; full: number },
): string {
  const { threshold, full } = scale;
  const cells = (value: number) =>
    Math.max(0, Math.min(BAR_WIDTH, Math.round((value / full) * BAR_WIDTH)));
  const filled = cells(speedup);
  const mark = Math.min(BAR_WIDTH - 1, cells(threshold));
  let bar = "";
  for (let i = 0; i < BAR_WIDTH; i++) {
    if (i === mark) bar += "│";
    else bar += i < filled ? "█" : "·";
  }
  return bar;
}

function timingLine(m: Measurements, status: CheckStatus, color: boolean): string | undefined {
  if (m.speedup === undefined || m.threshold === undefined) return undefined;
  const scale = Math.max(m.threshold * 1.5, m.speedup * 1.1, m.cores ?? 0);
  const bar = speedupBar(m.speedup, { threshold: m.threshold, full: scale });
  const times = m.referenceSeconds !== undefined && m.seconds !== undefined
    ? `  serial ${formatSeconds(m.referenceSeconds)} · yours ${formatSeconds(m.seconds)}`
    : "";
  return `      ${paint(color, STYLES[status], bar)} ${
    m.speedup.toFixed(2)
  }× (needs ${m.threshold}×${m.workers ? `, ${m.workers} workers` : ""}${
    m.cores ? `, ${m.cores} cores` : ""
  })${times}`;
}

function checkLines(check: CheckResult, color: boolean): string[] {
  const mark = paint(color, STYLES[check.status], MARKS[check.status]);
  const status = check.status === "passed"
    ? ""
    : ` ${paint(color, STYLES[check.status], check.status)}`;
  const lines = [`  ${mark} ${check.name}${status}`];
  if (check.message) lines.push(`      ${paint(color, "dim", escapeControl(check.message))}`);
  const timing = check.measurements
    ? timingLine(check.measurements, check.status, color)
    : undefined;
  if (timing) lines.push(timing);
  return lines;
}

/**
 * Renders one exercise's result for the terminal.
 *
 * @param result The result data.
 * @param options Colour, title.
 * @returns The report, lines joined with `\n`, ending without a newline.
 *
 * @example Usage
 * ```ts
 * import { renderExercise } from "./terminal.ts";
 * import { match } from "node:assert/strict";
 *
 * const text = renderExercise({
 *   version: 1,
 *   exercise: "01_guess_run_times",
 *   status: "failed",
 *   score: 0,
 *   maxScore: 1,
 *   checks: [{ name: "sumRange", status: "failed", message: "off by one", score: 0, maxScore: 1 }],
 *   checkedAt: "2026-01-01T00:00:00Z",
 *   seconds: 1,
 *   machine: { cores: 2, deno: "2.9.6", platform: "linux-x86_64" },
 * });
 * match(text, /✘ sumRange failed/);
 * match(text, /off by one/);
 * ```
 */
export function renderExercise(result: ExerciseResult, options: TerminalOptions = {}): string {
  const color = options.color ?? false;
  const lines: string[] = [];
  const title = options.title ? ` · ${options.title}` : "";
  lines.push(paint(color, "bold", `${result.exercise}${title}`));
  for (const check of result.checks) lines.push(...checkLines(check, color));
  const verdict = result.status === "passed"
    ? paint(color, "green", "passed")
    : paint(color, result.status === "inconclusive" ? "yellow" : "red", result.status);
  lines.push(
    `  ${verdict} · ${result.score}/${result.maxScore} points · ${
      formatSeconds(result.seconds)
    } · ${result.machine.cores} cores`,
  );
  if (result.sweep) {
    const sweep = renderSweepTerminal(result.sweep, { color }).split("\n");
    lines.push(
      "",
      `  scaling sweep on ${result.sweep.cores} cores`,
      ...sweep.map((line) => `  ${line}`),
    );
  }
  if (result.output) {
    const all = result.output.trimEnd().split("\n");
    const shown = all.slice(0, options.outputLines ?? 20);
    lines.push(paint(color, "dim", "  your code printed:"));
    // The student's output is shown, never obeyed: ESC, BEL, CR... appear escaped.
    for (const line of shown) lines.push(`  │ ${escapeControl(line, { line: true })}`);
    if (all.length > shown.length) lines.push(`  │ [... ${all.length - shown.length} more lines]`);
  }
  return lines.join("\n");
}
