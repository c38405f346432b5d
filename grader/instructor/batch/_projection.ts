/**
 * The batch summary's projection: how many submissions a minute this batch graded, and how long a
 * class of a given size would take on this machine; past an hour, where to grade instead (the
 * Gradescope bundle and GitHub Classroom grade each submission on its own machine).
 *
 * @module
 */

/** Options of {@linkcode projectionLine}. */
export interface ProjectionOptions {
  /** The class size to project. Default 300. */
  classSize?: number;
  /** Minutes past which one machine is not enough. Default 60. */
  limitMinutes?: number;
}

/** What {@linkcode projectionLine} reads of a batch's timing. */
export interface ProjectedBatch {
  /** Submissions graded in this run (reused ones cost nothing and are not counted). */
  graded: number;
  /** Wall time of the whole batch, in seconds. */
  totalSeconds: number;
}

const DEFAULTS = { classSize: 300, limitMinutes: 60 } as const;

/**
 * The projection line of a batch's summary.
 *
 * @param batch Submissions graded and the batch's wall time.
 * @param cores The cores the batch ran on.
 * @param options The class size and the minutes one machine may take.
 * @returns The line, or `undefined` when nothing was graded (no rate to project from).
 * @throws {RangeError} If the class size is not a positive integer or the limit not positive.
 *
 * @example Usage
 * ```ts
 * import { projectionLine } from "./_projection.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(
 *   projectionLine({ graded: 10, totalSeconds: 60 }, 2),
 *   "10.0 submissions a minute (10 in 60.0 s): 300 students ≈ 30 min on this machine (2 cores)",
 * );
 * ```
 */
export function projectionLine(
  batch: ProjectedBatch,
  cores: number,
  options: ProjectionOptions = {},
): string | undefined {
  const { classSize, limitMinutes } = { ...DEFAULTS, ...options };
  if (!Number.isInteger(classSize) || classSize < 1) {
    throw new RangeError(
      `Cannot project the batch: classSize must be a positive integer: received ${classSize}`,
    );
  }
  if (!(limitMinutes > 0)) {
    throw new RangeError(
      `Cannot project the batch: limitMinutes must be positive: received ${limitMinutes}`,
    );
  }
  if (!(batch.graded > 0) || !(batch.totalSeconds > 0)) return undefined;
  const perMinute = batch.graded / (batch.totalSeconds / 60);
  const minutes = classSize / perMinute;
  const line = `${perMinute.toFixed(1)} submissions a minute (${batch.graded} in ${
    batch.totalSeconds.toFixed(1)
  } s): ${classSize} students ≈ ${formatMinutes(minutes)} on this machine (${cores} ${
    cores === 1 ? "core" : "cores"
  })`;
  if (minutes <= limitMinutes) return line;
  return `${line}: more than ${limitMinutes} min, so one machine is not enough: grade on ` +
    "Gradescope (deno task gradescope OUT.zip) or GitHub Classroom (the released kit's " +
    ".github/workflows/classroom.yml), each of which grades every submission on its own machine";
}

function formatMinutes(minutes: number): string {
  if (minutes < 1) return "< 1 min";
  if (minutes < 120) return `${Math.round(minutes)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}
