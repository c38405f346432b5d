/**
 * The scaling sweep's part of the result schema (`deno task sweep N`, `check N --sweep`): its
 * steps and Amdahl's fit. Re-exported by `result.ts`, whose `ExerciseResultSchema` holds a sweep.
 *
 * @module
 */
import { z } from "zod";

/** One step of a scaling sweep: the student's parallel code at one worker count. */
export const SweepPointSchema = z.object({
  /** How many workers the student's code was given. */
  workers: z.number().int().positive(),
  /** The median of reference ÷ student over the interleaved pairs of this step. */
  speedup: z.number().nonnegative(),
  /** The relative spread of the speedup over the pairs. */
  spread: z.number().nonnegative(),
  /** How many interleaved (reference, student) pairs were measured. */
  pairs: z.number().int().nonnegative(),
  /** The student's median time, in seconds. */
  seconds: z.number().nonnegative(),
  /** The reference (serial) median time, in seconds. */
  referenceSeconds: z.number().nonnegative(),
  /** `true` when the timing's inconclusive rule held: the step was too noisy to trust. */
  inconclusive: z.boolean(),
  /** The tasks the pool ran in one call (median over the pairs), where the pool reports it. */
  tasks: z.number().int().nonnegative().optional(),
  /** The average time of one task inside the workers, in seconds (median over the pairs). */
  taskSeconds: z.number().nonnegative().optional(),
});
/** One step of a scaling sweep. */
export type SweepPoint = z.infer<typeof SweepPointSchema>;

/** Amdahl's law fitted to a sweep (`grader/measure/amdahl.ts`). */
export const AmdahlFitSchema = z.object({
  /** The serial fraction f, by least squares on 1/speedup, clamped to [0, 1]. */
  serialFraction: z.number().min(0).max(1),
  /** The same before clamping (below 0 for a superlinear speedup). */
  rawSerialFraction: z.number(),
  /** The root-mean-square relative error of the fitted curve at the fitted steps. */
  rmsError: z.number().nonnegative(),
  /** The Karp–Flatt metric per step with at least 2 processors (p = min(workers, cores)). */
  karpFlatt: z.array(z.object({ workers: z.number().int().positive(), value: z.number() })),
  /** The core count the projection is for. */
  projectCores: z.number().int().positive(),
  /** The most Amdahl's law allows on `projectCores` cores with this f. */
  projectedSpeedup: z.number().positive(),
  /** `true` when task-dispatch overhead, not the serial fraction, bends the curve. */
  overhead: z.boolean(),
  /** What showed the overhead, when `overhead` is set. */
  overheadReason: z.string().optional(),
  /** The fit in words: "Your code is ≈ 6% serial; on 16 cores it could reach at most ≈ 8.4×." */
  message: z.string(),
});
/** Amdahl's law fitted to a sweep. */
export type AmdahlFit = z.infer<typeof AmdahlFitSchema>;

/** A scaling sweep (`deno task sweep N`, `check N --sweep`): speedup against workers, and its fit. */
export const SweepSchema = z.object({
  /** How many cores the student's code could use. */
  cores: z.number().int().positive(),
  /** The steps, by worker count: 1, 2, ... cores, then 2 × cores (oversubscribed). */
  points: z.array(SweepPointSchema),
  /** Amdahl's law fitted to the points; absent when fewer than 2 cores left nothing to fit. */
  fit: AmdahlFitSchema.optional(),
  /**
   * `true` when any step was inconclusive, or the machine was busy before the sweep began (at least
   * 0.75 of each core in use by other work): the fit is then a rough guide only.
   */
  inconclusive: z.boolean(),
  /** The cores in use just before the sweep began (sampled from the kernel's CPU counters). */
  load: z.number().nonnegative().optional(),
});
/** A scaling sweep and its fit. */
export type Sweep = z.infer<typeof SweepSchema>;
