/**
 * The GitHub Classroom autograding workflow that `deno task release` writes into the student kit
 * (`.github/workflows/classroom.yml`), generated from the catalog: one
 * `classroom-resources/autograding-command-grader` step per exercise (`deno task check N`, the
 * exercise's points as its max score) and the `autograding-grading-reporter` step over all of
 * them, in the shape GitHub Classroom reads (workflow `Autograding Tests`, one job
 * `run-autograding-tests`).
 *
 * Deno comes from npm at the kit's pinned version ({@linkcode DENO_VERSION}), as the README, CI
 * and the Gradescope bundle install it: one registry for Deno and the kit's packages, and no
 * action to trust beyond checkout and Classroom's own two.
 *
 * A step scores all or nothing: the command grader gives the max score when the command exits 0,
 * so an exercise earns its points when every check passed (a skipped speedup check on a one-core
 * runner, or an inconclusive one on a busy runner, earns nothing until a rerun).
 *
 * @module
 */
import { Document } from "yaml";
import type { Catalog, CatalogEntry } from "../catalog.ts";
import { DENO_VERSION } from "../deno_version.ts";
import { CHECKS_BY_SLUG } from "../runner.ts";

/** Where the workflow lives in the student kit. */
export const WORKFLOW_PATH = ".github/workflows/classroom.yml";

/** The actions the workflow uses, pinned to their major versions as GitHub Classroom writes them. */
export const CLASSROOM_ACTIONS = {
  checkout: "actions/checkout@v4",
  grader: "classroom-resources/autograding-command-grader@v1",
  reporter: "classroom-resources/autograding-grading-reporter@v1",
} as const;

/** One exercise's grading step. */
export interface ClassroomStep {
  /** The step's id (letters and digits only: the reporter reads `<ID>_RESULTS`). */
  id: string;
  /** The test's name, as students and GitHub Classroom see it. */
  testName: string;
  /** The command: `deno task check N`. */
  command: string;
  /** Minutes before the step is stopped. */
  timeout: number;
  /** The points a passing exercise earns: the sum of its checks' points. */
  maxScore: number;
}

/** Options of {@linkcode classroomSteps} and {@linkcode classroomWorkflow}. */
export interface ClassroomWorkflowOptions {
  /** The Deno version to install. Default {@linkcode DENO_VERSION}. */
  denoVersion?: string;
  /**
   * Minutes each exercise's step may take. Default 10 (the command grader's own default): an
   * exercise takes well under a minute on a quiet 2-core machine, its timed runs included.
   */
  timeoutMinutes?: number;
  /** The points of an exercise. Default {@linkcode exercisePoints}. */
  points?: (entry: CatalogEntry) => number;
}

const DEFAULTS = { denoVersion: DENO_VERSION, timeoutMinutes: 10 } as const;

/**
 * The points an exercise is worth: the sum of its checks' points (`grader/checks/*.ts`).
 *
 * @param entry The exercise's catalog entry.
 * @returns The points.
 * @throws {RangeError} If the grader has no checks for the exercise.
 *
 * @example Usage
 * ```ts
 * import { exercisePoints } from "./classroom_workflow.ts";
 * import { loadCatalog } from "../catalog.ts";
 * import { ok } from "node:assert/strict";
 *
 * const catalog = await loadCatalog(new URL("../..", import.meta.url).pathname);
 * ok(exercisePoints(catalog.exercises[0]!) > 0);
 * ```
 */
export function exercisePoints(entry: CatalogEntry): number {
  const checks = CHECKS_BY_SLUG[entry.slug];
  if (checks === undefined) {
    throw new RangeError(
      `Cannot write the GitHub Classroom workflow: the grader has no checks for exercise ${entry.slug}`,
    );
  }
  return checks.reduce((sum, check) => sum + check.points, 0);
}

/**
 * The grading steps of a catalog, one per exercise, in catalog order.
 *
 * @param catalog The catalog.
 * @param options The timeout and how points are counted.
 * @returns The steps.
 * @throws {RangeError} If the timeout is not a whole number of minutes from 1 to 360 (the
 * command grader's limit), or an exercise has no checks.
 *
 * @example Usage
 * ```ts
 * import { classroomSteps } from "./classroom_workflow.ts";
 * import { parseCatalog } from "../catalog.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const catalog = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_guess", title: "Guess", files: ["a.ts"], hint: "Look." }],
 * });
 * deepEqual(classroomSteps(catalog, { points: () => 3 }), [{
 *   id: "exercise1",
 *   testName: "Exercise 1: Guess (01_guess)",
 *   command: "deno task check 1",
 *   timeout: 10,
 *   maxScore: 3,
 * }]);
 * ```
 */
export function classroomSteps(
  catalog: Catalog,
  options: ClassroomWorkflowOptions = {},
): ClassroomStep[] {
  const timeout = options.timeoutMinutes ?? DEFAULTS.timeoutMinutes;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 360) {
    throw new RangeError(
      `Cannot write the GitHub Classroom workflow: timeoutMinutes must be an integer from 1 to 360: received ${timeout}`,
    );
  }
  const points = options.points ?? exercisePoints;
  return catalog.exercises.map((entry) => ({
    id: `exercise${entry.id}`,
    testName: `Exercise ${entry.id}: ${entry.title} (${entry.slug})`,
    command: `deno task check ${entry.id}`,
    timeout,
    maxScore: points(entry),
  }));
}

/**
 * The workflow file's text: checkout, Deno from npm at the pinned version, the kit's packages
 * cached from its lock file, one command-grader step per exercise and the reporter over all.
 *
 * @param catalog The catalog.
 * @param options The Deno version, the timeout and how points are counted.
 * @returns The YAML text.
 * @throws {RangeError} As {@linkcode classroomSteps}.
 *
 * @example Usage
 * ```ts
 * import { classroomWorkflow } from "./classroom_workflow.ts";
 * import { loadCatalog } from "../catalog.ts";
 * import { parse } from "yaml";
 * import { equal } from "node:assert/strict";
 *
 * const catalog = await loadCatalog(new URL("../..", import.meta.url).pathname);
 * const workflow = parse(classroomWorkflow(catalog));
 * equal(workflow.name, "Autograding Tests");
 * ```
 */
export function classroomWorkflow(
  catalog: Catalog,
  options: ClassroomWorkflowOptions = {},
): string {
  const denoVersion = options.denoVersion ?? DEFAULTS.denoVersion;
  if (!/^\d+\.\d+\.\d+$/.test(denoVersion)) {
    throw new RangeError(
      `Cannot write the GitHub Classroom workflow: denoVersion must look like 2.9.6: received ${denoVersion}`,
    );
  }
  const steps = classroomSteps(catalog, options);
  const graders = steps.map((step) => ({
    name: step.testName,
    id: step.id,
    uses: CLASSROOM_ACTIONS.grader,
    with: {
      "test-name": step.testName,
      command: step.command,
      timeout: step.timeout,
      "max-score": step.maxScore,
    },
  }));
  const workflow = {
    name: "Autograding Tests",
    on: ["push", "repository_dispatch", "workflow_dispatch"],
    permissions: { checks: "write", actions: "read", contents: "read" },
    jobs: {
      "run-autograding-tests": {
        "runs-on": "ubuntu-latest",
        if: "github.actor != 'github-classroom[bot]'",
        steps: [
          { name: "Checkout code", uses: CLASSROOM_ACTIONS.checkout },
          {
            name: `Install Deno ${denoVersion} from npm`,
            run: `npm install -g deno@${denoVersion}\ndeno --version`,
          },
          { name: "Cache the kit's packages (deno.lock)", run: "deno install --frozen" },
          ...graders,
          {
            name: "Autograding Reporter",
            uses: CLASSROOM_ACTIONS.reporter,
            env: Object.fromEntries(
              steps.map((step) => [
                `${step.id.toUpperCase()}_RESULTS`,
                `\${{ steps.${step.id}.outputs.result }}`,
              ]),
            ),
            with: { runners: steps.map((step) => step.id).join(",") },
          },
        ],
      },
    },
  };
  const document = new Document(workflow);
  document.commentBefore = [
    " GitHub Classroom autograding for parakit, written by `deno task release` from",
    " exercises/catalog.json and the grader's checks: do not edit by hand.",
    " Each exercise is one test, worth its checks' points when `deno task check N` exits 0.",
    " The speedup thresholds follow the runner's cores (1.4x on 2 cores); on one core the",
    " speedup checks are skipped, and say so.",
  ].join("\n");
  return document.toString({ lineWidth: 0 });
}
