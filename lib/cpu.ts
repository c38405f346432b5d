/**
 * How many CPU cores this process may use, Python's `os.cpu_count()` for parakit.
 *
 * @module
 */
import { availableParallelism } from "node:os";

/**
 * Counts the CPU cores this process may run on: the default number of workers of a `Pool`.
 *
 * @returns The number of cores, at least 1.
 *
 * @example Usage
 * ```ts
 * import { cpuCount } from "./cpu.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(Number.isInteger(cpuCount()) && cpuCount() >= 1);
 * ```
 */
export function cpuCount(): number {
  let count = 0;
  try {
    count = availableParallelism();
  } catch {
    count = navigator.hardwareConcurrency;
  }
  return Number.isInteger(count) && count >= 1 ? count : 1;
}
