/**
 * Exercise 1's checks: the three guesses are recorded (each shown beside the time the lesson's
 * program takes on this machine, informational only, so the verdict never flips from run to run),
 * and `sumRange` is exact on edge cases, at both ends of [lo, hi), on negative numbers and past 2^53.
 *
 * @module
 */
import { formatSeconds } from "../_format.ts";
import { STEADY_JIT_FLAGS } from "../sandbox/sandbox.ts";
import { answerOf, type CheckContext, type CheckSpec, type Outcome, show } from "./check.ts";
import { diagnoseSum } from "./_shared.ts";

const GUESSES = [
  ["serial", "the serial sum"],
  ["parallelWithAlloc", "parallel, including allocation"],
  ["straightParallel", "straight parallel"],
] as const;

/** The `ulim` the lesson's program is measured at; its times are scaled to the lesson's 1e9. */
export const LESSON_ULIM = 100_000_000;
/** The lesson's `ulim`. */
const LESSON_FULL_ULIM = 1_000_000_000;

/** The lesson program's three times on this machine, in seconds, scaled to ulim = 1e9. */
export interface LessonTimes {
  /** `sum(range(1, ulim))`. */
  serial: number;
  /** The tasks of 1000 numbers, building the list included. */
  parallelWithAlloc: number;
  /** The same tasks again. */
  straightParallel: number;
}

/**
 * Runs the lesson's program (`exercises/01_guess_run_times/pymp1.ts`, the kit's own file, never a
 * student's) at {@linkcode LESSON_ULIM} in a subprocess that may only read the kit, and scales its
 * three times to the lesson's ulim of 1e9 (each part's work grows linearly with ulim).
 *
 * @param kitRoot The kit's root.
 * @param timeoutMs How long it may take.
 * @returns The times, or the reason they could not be measured.
 *
 * @example Usage
 * ```ts
 * import { measureLessonProgram } from "./01_guess_run_times.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(await measureLessonProgram("/no/such/kit", 1000), "the lesson's program pymp1.ts is missing");
 * ```
 */
export async function measureLessonProgram(
  kitRoot: string,
  timeoutMs: number,
): Promise<LessonTimes | string> {
  const script = `${kitRoot}/exercises/01_guess_run_times/pymp1.ts`;
  try {
    await Deno.stat(script);
  } catch {
    return "the lesson's program pymp1.ts is missing";
  }
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-config",
      "--no-lock",
      "--no-prompt",
      `--allow-read=${kitRoot}`,
      `--v8-flags=${STEADY_JIT_FLAGS}`,
      script,
      "--json",
      `--ulim=${LESSON_ULIM}`,
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  });
  try {
    const output = await command.output();
    const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
    if (!output.success) {
      const error = new TextDecoder().decode(output.stderr).trim().split("\n")[0] ?? "";
      return `pymp1.ts failed (exit code ${output.code}${error ? `: ${error}` : ""})`;
    }
    const data = JSON.parse(lines.at(-1) ?? "{}") as Partial<LessonTimes>;
    const scale = LESSON_FULL_ULIM / LESSON_ULIM;
    if (
      typeof data.serial !== "number" || typeof data.parallelWithAlloc !== "number" ||
      typeof data.straightParallel !== "number"
    ) {
      return "pymp1.ts did not print its three times";
    }
    return {
      serial: data.serial * scale,
      parallelWithAlloc: data.parallelWithAlloc * scale,
      straightParallel: data.straightParallel * scale,
    };
  } catch (error) {
    return `pymp1.ts could not be run: ${(error as Error).message}`;
  }
}

async function readGuesses(context: CheckContext): Promise<Outcome | Record<string, unknown>> {
  const sandbox = await context.sandbox();
  const answer = answerOf(
    await sandbox.student(
      { op: "get", file: "guesses.ts", name: "guesses" },
      { timeoutMs: context.timeoutMs },
    ),
  );
  if (!answer.ok) return answer.outcome;
  if (typeof answer.value !== "object" || answer.value === null) {
    return {
      status: "failed",
      message: `guesses.ts exports guesses = ${
        show(answer.value)
      }: it must be an object { serial, parallelWithAlloc, straightParallel }`,
    };
  }
  return answer.value as Record<string, unknown>;
}

function guessCheck(key: (typeof GUESSES)[number][0], label: string): CheckSpec {
  return {
    name: `guess: ${label}`,
    points: 1,
    async run(context) {
      const guesses = await context.memo("guesses", () => readGuesses(context));
      if ("status" in guesses && "message" in guesses && typeof guesses.status === "string") {
        return guesses as Outcome;
      }
      const guess = (guesses as Record<string, unknown>)[key];
      if (typeof guess !== "number" || !Number.isFinite(guess) || guess <= 0) {
        return {
          status: "failed",
          message: `guesses.${key} is ${
            typeof guess === "number" ? guess : show(guess)
          }: write your guess for "${label}" as a positive number of seconds before you run pymp1.ts (any honest guess passes)`,
        };
      }
      if (!context.timed) {
        return {
          status: "passed",
          message: `You guessed ${
            formatSeconds(guess)
          } (recorded; the real times are not measured in this run)`,
        };
      }
      context.progress("running the lesson's program (pymp1.ts) to show the real times");
      const times = await context.memo(
        "lessonTimes",
        () => measureLessonProgram(context.kitRoot, 60_000),
      );
      if (typeof times === "string") {
        return {
          status: "passed",
          message: `You guessed ${
            formatSeconds(guess)
          } (recorded); the real time is not available: ${times}`,
        };
      }
      const measured = times[key];
      const ratio = guess / measured;
      return {
        status: "passed",
        message: `You guessed ${formatSeconds(guess)}; pymp1.ts takes about ${
          formatSeconds(measured)
        } here (your guess is ${
          ratio >= 1 ? `${ratio.toFixed(1)}× too long` : `${(1 / ratio).toFixed(1)}× too short`
        }; measured at ulim = 1e8 and scaled ×10, shown for learning, not graded)`,
        measurements: { seconds: measured },
      };
    },
  };
}

function sumCheck(
  name: string,
  cases: readonly (readonly [number, number])[],
  timeoutFactor = 1,
): CheckSpec {
  return {
    name,
    points: 1,
    async run(context) {
      const sandbox = await context.sandbox();
      for (const [lo, hi] of cases) {
        context.progress(`sumRange(${lo}, ${hi})`);
        const answer = answerOf(
          await sandbox.student(
            { op: "call", file: "sum_range.ts", name: "sumRange", args: [lo, hi] },
            { timeoutMs: context.timeoutMs * timeoutFactor },
          ),
        );
        if (!answer.ok) return answer.outcome;
        const problem = diagnoseSum([lo, hi], answer.value);
        if (problem) return { status: "failed", message: problem };
      }
      return {
        status: "passed",
        message: `Exact on ${cases.map(([lo, hi]) => `[${lo}, ${hi})`).join(", ")}`,
      };
    },
  };
}

/** Exercise 1's checks, in order. */
export const CHECKS: readonly CheckSpec[] = [
  ...GUESSES.map(([key, label]) => guessCheck(key, label)),
  sumCheck("sumRange: empty and one-number ranges", [[5, 5], [5, 3], [0, 0], [7, 8], [-4, -3]]),
  sumCheck("sumRange: both ends of [lo, hi)", [[1, 11], [3, 7], [1, 1001], [0, 5]]),
  sumCheck("sumRange: negative numbers", [[-10, 10], [-100, -50], [-5, 3]]),
  // The last two: two million numbers near ±1e12, where even a block of a million numbers sums
  // past 2^53 (as in exercise 2's random ranges).
  sumCheck("sumRange: exact past 2^53", [
    [1, 200_000_000],
    [-150_000_000, 10],
    [1_000_000_000_000, 1_000_002_000_000],
    [-1_000_002_000_000, -999_999_999_999],
  ], 3),
];
