/**
 * The batch's progress: a cli-progress bar on a terminal (submissions done, the current student,
 * time left), plain lines otherwise (one per student graded).
 *
 * @module
 */
// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import process from "node:process";
import type { BatchEvent } from "./_types.ts";
import { escapeId } from "../../report/_escape.ts";

/** Renders batch events; `stop()` ends the bar before the summary is printed. */
export interface BatchProgress {
  /** Renders one event. */
  onEvent(event: BatchEvent): void;
  /** Ends the bar (a no-op for plain lines). */
  stop(): void;
}

/**
 * Makes the progress renderer for this process's terminal.
 *
 * @param tty Whether to draw a bar; default whether stderr is a terminal.
 * @param write Where plain lines go; default stdout.
 * @returns The renderer.
 *
 * @example Usage
 * ```ts
 * import { batchProgress } from "./_progress.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const progress = batchProgress(false, (line) => lines.push(line));
 * const row = { student: "al", score: 3, maxScore: 4, exercises: [] };
 * progress.onEvent({ kind: "graded", row, done: 1, total: 2, seconds: 1.25 });
 * deepEqual(lines, ["[1/2] al: 3 / 4 points (1.3 s)"]);
 * ```
 */
export function batchProgress(
  tty: boolean = Deno.stderr.isTerminal(),
  write: (line: string) => void = console.log,
): BatchProgress {
  if (!tty) {
    return {
      onEvent(event) {
        if (event.kind === "start" && event.reused > 0) {
          write(`resuming: ${event.reused} of ${event.total} already graded (--force regrades)`);
        } else if (event.kind === "graded") {
          write(
            `[${event.done}/${event.total}] ${escapeId(event.row.student)}: ${event.row.score} / ` +
              `${event.row.maxScore} points (${event.seconds.toFixed(1)} s)`,
          );
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({
    format: "grading [{bar}] {value}/{total} | {student} | {phase} | left ~{eta_formatted}",
    stream: process.stderr,
    hideCursor: true,
    etaBuffer: 5,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onEvent(event) {
      if (event.kind === "start") {
        bar.start(event.total, event.reused, { student: "", phase: "" });
        started = true;
      } else if (event.kind === "student" && started) {
        bar.update({ student: escapeId(event.student), phase: event.phase });
      } else if (event.kind === "graded" && started) {
        bar.update(event.done, { student: escapeId(event.row.student), phase: "done" });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
