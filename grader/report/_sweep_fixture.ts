/**
 * A fixed sweep for the report tests of this folder: 2 cores, steps at 1, 2 and 4 workers given out
 * of order, a fit of f = 7.5%. Private to `grader/report/`.
 *
 * @module
 */
import type { Sweep } from "../result.ts";

const STEP = { spread: 0.04, pairs: 5, seconds: 0.5, referenceSeconds: 0.5, inconclusive: false };

/** The sweep: steady steps, no overhead flagged. */
export const SWEEP_FIXTURE: Sweep = {
  cores: 2,
  inconclusive: false,
  points: [
    { ...STEP, workers: 4, speedup: 1.7 },
    { ...STEP, workers: 1, speedup: 0.97 },
    { ...STEP, workers: 2, speedup: 1.86 },
  ],
  fit: {
    serialFraction: 0.075,
    rawSerialFraction: 0.075,
    rmsError: 0,
    karpFlatt: [{ workers: 2, value: 0.075 }, { workers: 4, value: 0.176 }],
    projectCores: 16,
    projectedSpeedup: 7.5,
    overhead: false,
    message: "Your code is ≈ 7.5% serial; on 16 cores it could reach at most ≈ 7.5×.",
  },
};
