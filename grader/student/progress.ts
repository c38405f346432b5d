/**
 * The student's progress: the last result of each exercise, kept in `.parakit/progress.json`
 * (ignored by git) and shown by `deno task list`. A missing or unreadable file is an empty
 * progress, never an error.
 *
 * @module
 */
import { z } from "zod";
import { ExerciseStatusSchema } from "../result.ts";

/** The last result of one exercise. */
export const ProgressEntrySchema = z.object({
  /** How it ended. */
  status: ExerciseStatusSchema,
  /** Points earned. */
  score: z.number().nonnegative(),
  /** Points available. */
  maxScore: z.number().nonnegative(),
  /** When it was checked (ISO 8601). */
  checkedAt: z.string(),
});
/** The last result of one exercise. */
export type ProgressEntry = z.infer<typeof ProgressEntrySchema>;

/** `.parakit/progress.json`. */
export const ProgressSchema = z.object({
  /** The file's version. */
  version: z.literal(1),
  /** The last result per exercise folder name. */
  exercises: z.record(z.string(), ProgressEntrySchema),
});
/** `.parakit/progress.json`. */
export type Progress = z.infer<typeof ProgressSchema>;

/**
 * The progress file of a kit.
 *
 * @param kitRoot The kit's root.
 * @returns Its path.
 *
 * @example Usage
 * ```ts
 * import { progressPath } from "./progress.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(progressPath("/kit"), "/kit/.parakit/progress.json");
 * ```
 */
export function progressPath(kitRoot: string): string {
  return `${kitRoot}/.parakit/progress.json`;
}

/**
 * Reads the progress; empty when the file is missing or unreadable.
 *
 * @param path The file.
 * @returns The progress.
 *
 * @example Usage
 * ```ts
 * import { readProgress } from "./progress.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(await readProgress("/no/such/progress.json"), { version: 1, exercises: {} });
 * ```
 */
export async function readProgress(path: string): Promise<Progress> {
  try {
    const parsed = ProgressSchema.safeParse(JSON.parse(await Deno.readTextFile(path)));
    if (parsed.success) return parsed.data;
  } catch {
    // Missing or not JSON: start afresh.
  }
  return { version: 1, exercises: {} };
}

/**
 * Records an exercise's last result, writing the file whole (a temporary file, then a rename).
 *
 * @param path The file.
 * @param result The exercise's folder name and its last result (an `ExerciseResult` will do).
 * @returns Nothing.
 *
 * @example Usage
 * ```ts
 * import { readProgress, recordProgress } from "./progress.ts";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/.parakit/progress.json`;
 * const result = { status: "passed" as const, score: 3, maxScore: 3, checkedAt: "2026-01-01" };
 * await recordProgress(path, { exercise: "01_x", ...result });
 * equal((await readProgress(path)).exercises["01_x"]?.score, 3);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function recordProgress(
  path: string,
  result: ProgressEntry & { exercise: string },
): Promise<void> {
  const progress = await readProgress(path);
  const { status, score, maxScore, checkedAt } = result;
  progress.exercises[result.exercise] = { status, score, maxScore, checkedAt };
  const dir = path.slice(0, path.lastIndexOf("/"));
  await Deno.mkdir(dir, { recursive: true });
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temp, JSON.stringify(progress, null, 2) + "\n");
  await Deno.rename(temp, path);
}
