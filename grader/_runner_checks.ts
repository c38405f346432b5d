/**
 * The runner's check loop: an exercise's checks in declaration order, each given its context (a
 * timed check a fresh sandbox), kept from the correctness phase when it is not timed, skipped when
 * cancelled, off or missing a prerequisite, and its outcome scored and capped into a row.
 *
 * @module
 */
import type { CatalogEntry } from "./catalog.ts";
import type { CheckContext, CheckSpec, Outcome } from "./checks/check.ts";
import { capText, type CheckResult, type ExerciseResult, TEXT_CAPS } from "./result.ts";
import { SandboxFailure } from "./sandbox/sandbox.ts";
import { describeProblems, type IngestProblem } from "./sandbox/ingest.ts";
import { repeatedError, TYPE_CHECK_NAME } from "./sandbox/typecheck.ts";
import type { RunSandboxes } from "./_runner_sandboxes.ts";

/** A progress event: which check of how many is running, and what it is doing. */
export interface ProgressEvent {
  /** The exercise's folder name. */
  exercise: string;
  /** The check's name. */
  check: string;
  /** Its index, 0-based. */
  index: number;
  /** How many checks the exercise has. */
  total: number;
  /** What it is doing now, when it says. */
  detail?: string;
}

/** The name of the check that reports what ingestion refused (links, devices, oversized files). */
export const INGEST_CHECK = "the submitted files are the student's own";

/**
 * The rows a run starts from: the timed phase keeps what the correctness phase found of the files
 * (ingestion, type check); otherwise the ingestion row when ingestion refused something.
 *
 * @param previous The correctness phase's result, in a timed phase.
 * @param problems What ingestion refused.
 * @returns The first rows.
 *
 * @example Usage
 * ```ts
 * import { INGEST_CHECK, startingResults } from "./_runner_checks.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(startingResults(undefined, []).length, 0);
 * const [row] = startingResults(undefined, [{ exercise: "01_a", path: "a.ts", reason: "is a link" }]);
 * equal(row?.name, INGEST_CHECK);
 * equal(row?.status, "error");
 * ```
 */
export function startingResults(
  previous: ExerciseResult | undefined,
  problems: readonly IngestProblem[],
): CheckResult[] {
  if (previous) {
    return previous.checks.filter((check) =>
      check.name === INGEST_CHECK || check.name === TYPE_CHECK_NAME
    );
  }
  return problems.length > 0
    ? [{
      name: INGEST_CHECK,
      status: "error",
      message: capText(describeProblems(problems), TEXT_CAPS.message),
      score: 0,
      maxScore: 0,
    }]
    : [];
}

/** What the check loop runs with. */
export interface CheckLoop {
  /** The exercise. */
  entry: CatalogEntry;
  /** Its checks, in declaration order. */
  specs: readonly CheckSpec[];
  /** The correctness phase's result, in a timed phase: its untimed checks are kept. */
  previous?: ExerciseResult;
  /** Whether timed checks run. */
  timed: boolean;
  /** The run's sandboxes. */
  sandboxes: RunSandboxes;
  /** The checks a timed check's new sandbox is opened for. */
  timedSpecs: readonly CheckSpec[];
  /** The checks an untimed check's new sandbox is opened for. */
  untimedSpecs: readonly CheckSpec[];
  /** What every check's context shares (all but `sandbox`, `progress` and `passed`). */
  context: Omit<CheckContext, "sandbox" | "progress" | "passed">;
  /** Called when a check starts and when it reports what it does. */
  onProgress?: (event: ProgressEvent) => void;
  /** Stops the run. */
  signal?: AbortSignal;
  /**
   * Work still running beside the checks (the type check's `deno check`, a core's worth of CPU):
   * awaited before the first timed check, which needs the machine quiet.
   */
  beforeTimed?: Promise<unknown>;
}

/**
 * Runs the checks in declaration order, pushing each one's row onto `results`.
 *
 * @param loop The checks, sandboxes and context.
 * @param results The rows so far (ingestion, type check); the checks' rows are added.
 * @throws {Error} Only when the grader itself fails, never for student code.
 *
 * @example Usage
 * ```ts
 * import { runCheckLoop } from "./_runner_checks.ts";
 * import { RunSandboxes } from "./_runner_sandboxes.ts";
 * import type { CheckContext } from "./checks/check.ts";
 * import type { CheckResult } from "./result.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const entry = { id: 1, slug: "01_a", title: "A", files: ["a.ts"], hint: "h" };
 * const specs = [
 *   { name: "one", points: 2, run: () => Promise.resolve({ status: "passed" as const, message: "ok" }) },
 *   { name: "two", points: 1, requires: ["one"], timed: true, run: () => Promise.reject(new Error()) },
 * ];
 * const results: CheckResult[] = [];
 * await runCheckLoop({
 *   entry,
 *   specs,
 *   timed: false,
 *   sandboxes: new RunSandboxes(() => Promise.reject(new Error("no sandbox"))),
 *   timedSpecs: [],
 *   untimedSpecs: specs,
 *   context: { kitRoot: ".", timed: false, cores: 2, timeoutMs: 1000, seed: 1 } as CheckContext,
 * }, results);
 * deepEqual(results.map((r) => [r.name, r.status, r.score, r.maxScore]), [
 *   ["one", "passed", 2, 2],
 *   ["two", "skipped", 0, 0],
 * ]);
 * ```
 */
export async function runCheckLoop(loop: CheckLoop, results: CheckResult[]): Promise<void> {
  const { entry, specs, previous, timed, sandboxes } = loop;
  for (const [index, spec] of specs.entries()) {
    const report = (detail?: string) =>
      loop.onProgress?.({
        exercise: entry.slug,
        check: spec.name,
        index,
        total: specs.length,
        ...(detail ? { detail } : {}),
      });
    const kept = previous && !spec.timed
      ? previous.checks.find((check) => check.name === spec.name)
      : undefined;
    if (kept) {
      results.push(kept);
      continue;
    }
    report();
    // A timed check gets a fresh sandbox: the correctness checks' inputs (numbers near 1e12, say)
    // leave type feedback in the student's workers that can slow their code down by half.
    const fresh = (spec.timed ?? false) && timed;
    if (fresh) {
      await loop.beforeTimed?.catch(() => {});
      await sandboxes.collect();
    }
    const outcome = await runOne(spec, {
      ...loop.context,
      sandbox: () => sandboxes.sandbox(fresh, fresh ? loop.timedSpecs : loop.untimedSpecs),
      progress: report,
      passed: (name) => results.some((r) => r.name === name && r.status === "passed"),
    }, { timed, signal: loop.signal, results });
    results.push(checkRow(spec, outcome, results));
  }
}

/**
 * Points the checks' rows at the type check's when they repeat its error: the type check runs
 * beside the checks and its rows come first, so a check that met the same syntax error says so
 * ("The same error as "type check" above") once the type check has answered, as do the checks that
 * pointed at that check.
 *
 * @param checks The checks' rows, in order; changed in place.
 * @param typeRows The type check's rows.
 *
 * @example Usage
 * ```ts
 * import { pointAtTypeCheck } from "./_runner_checks.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const row = (name: string, message: string) =>
 *   ({ name, status: "error" as const, message, score: 0, maxScore: 1 });
 * const checks = [
 *   row("loads", "a.ts:3 threw SyntaxError: Unexpected token"),
 *   row("runs", 'The same error as "loads" above'),
 * ];
 * pointAtTypeCheck(checks, [row("type check", "a.ts:3:9: SyntaxError: Unexpected token")]);
 * deepEqual(checks.map((c) => c.message), [
 *   'The same error as "type check" above',
 *   'The same error as "type check" above',
 * ]);
 * ```
 */
export function pointAtTypeCheck(checks: CheckResult[], typeRows: readonly CheckResult[]): void {
  const moved = new Map<string, string>();
  for (const [index, row] of checks.entries()) {
    if (row.status !== "error") continue;
    const pointed = /^The same error as "(.*)" above$/.exec(row.message)?.[1];
    const target = pointed !== undefined
      ? moved.get(pointed)
      : repeatedError(row.message, typeRows)?.name;
    if (target === undefined) continue;
    moved.set(row.name, target);
    checks[index] = { ...row, message: `The same error as "${target}" above` };
  }
}

/** A check's row from its outcome: scored, its message capped (or pointing at the same error). */
function checkRow(spec: CheckSpec, outcome: Outcome, results: readonly CheckResult[]): CheckResult {
  const repeated = outcome.status === "error" ? repeatedError(outcome.message, results) : undefined;
  return {
    name: spec.name,
    status: outcome.status,
    // Messages carry the student's error names, messages and values: capped where they enter.
    message: repeated
      ? `The same error as "${repeated.name}" above`
      : capText(outcome.message, TEXT_CAPS.message),
    score: outcome.status === "passed" ? spec.points : 0,
    maxScore: outcome.status === "skipped" ? 0 : spec.points,
    ...(outcome.measurements ? { measurements: outcome.measurements } : {}),
  };
}

async function runOne(
  spec: CheckSpec,
  context: CheckContext,
  run: { timed: boolean; signal?: AbortSignal; results: readonly CheckResult[] },
): Promise<Outcome> {
  if (run.signal?.aborted) {
    // A submission's spent budget ends its run with the reason the batch gave.
    const reason = run.signal.reason;
    if (reason instanceof SandboxFailure) return { status: reason.status, message: reason.message };
    return { status: "skipped", message: "Not run: the check was cancelled" };
  }
  if (spec.timed && !run.timed) {
    return { status: "skipped", message: "Not timed in this run (timed checks are off)" };
  }
  for (const name of spec.requires ?? []) {
    const earlier = run.results.find((r) => r.name === name);
    if (earlier?.status !== "passed") {
      return {
        status: "failed",
        message: `Not run: "${name}" must pass first (nothing is timed until it is right)`,
      };
    }
  }
  try {
    return await spec.run(context);
  } catch (error) {
    if (error instanceof SandboxFailure) {
      if (run.signal?.aborted) {
        const reason = run.signal.reason;
        if (reason instanceof SandboxFailure) {
          return { status: reason.status, message: reason.message };
        }
        return { status: "skipped", message: "Not finished: the check was cancelled" };
      }
      return { status: error.status, message: error.message };
    }
    throw error;
  }
}
