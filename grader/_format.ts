/**
 * The grader's one formatter of durations, shared by the sandbox's messages, the batch's lanes and
 * every reporter (it decides nothing, so any layer may use it).
 *
 * @module
 */

/**
 * Formats seconds for a person: seconds from 1 s, milliseconds from 1 ms, microseconds below.
 *
 * @param seconds The duration.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { formatSeconds } from "./_format.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(formatSeconds(1.5), "1.5 s");
 * equal(formatSeconds(0.25), "250 ms");
 * ```
 */
export function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${Number(seconds.toFixed(seconds >= 10 ? 1 : 2))} s`;
  if (seconds >= 0.001) return `${Number((seconds * 1000).toFixed(seconds >= 0.01 ? 0 : 1))} ms`;
  return `${Number((seconds * 1e6).toFixed(0))} µs`;
}
