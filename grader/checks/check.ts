/**
 * What a check is: a name, its points, and a function that turns sandbox observations into an
 * outcome. The runner runs an exercise's checks in declaration order and makes the result data.
 *
 * This file is the checks' face: the check types and reply helpers live in `_spec.ts`, the
 * machine's load in `_load.ts`, the speedup check in `_speedup.ts` (measuring) and
 * `_speedup_verdict.ts` (deciding); everything is imported from here.
 *
 * @module
 */
export {
  type Answer,
  answerOf,
  type CheckContext,
  type CheckSpec,
  faultOutcome,
  type Outcome,
  show,
} from "./_spec.ts";
export { BUSY_LOAD_PER_CORE, currentLoad, LOAD_WINDOW_MS, loadAverage } from "./_load.ts";
export { measureSpeedup } from "./_speedup.ts";
export { type SpeedupObservation, type SpeedupPlan } from "./_speedup_verdict.ts";
