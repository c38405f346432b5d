/**
 * The exercises' checks, one module an exercise, listed by folder name: the runner, the sweep and
 * the Classroom workflow look an exercise's checks up here.
 *
 * @example Usage
 * ```ts
 * import { CHECKS_BY_SLUG } from "./mod.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(CHECKS_BY_SLUG["02_try_pymp1"]!.length > 0);
 * ```
 *
 * @module
 */
import type { CheckSpec } from "./check.ts";
import { CHECKS as CHECKS_01 } from "./01_guess_run_times.ts";
import { CHECKS as CHECKS_02 } from "./02_try_pymp1.ts";
import { CHECKS as CHECKS_03 } from "./03_explore_structures.ts";

/** Each exercise's checks, by folder name. */
export const CHECKS_BY_SLUG: Readonly<Record<string, readonly CheckSpec[]>> = {
  "01_guess_run_times": CHECKS_01,
  "02_try_pymp1": CHECKS_02,
  "03_explore_structures": CHECKS_03,
};
