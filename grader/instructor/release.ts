/**
 * `deno task release OUT`: writes the student kit, everything of this kit but `solutions/` and the
 * instructor-only files ({@linkcode INSTRUCTOR_ONLY}), with the instructor's tasks taken out of
 * `deno.json`, the README's instructor-only blocks taken out, and the GitHub Classroom
 * autograding workflow ({@linkcode WORKFLOW_PATH}) generated from the catalog. In a git checkout the kit is the
 * tracked files (as they are in the working tree), so nothing the instructor tried locally leaks;
 * elsewhere it is every file but the ones never shipped ({@linkcode NEVER_SHIPPED}).
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCatalog } from "../catalog.ts";
import { classroomWorkflow, WORKFLOW_PATH } from "./classroom_workflow.ts";
import { KIT_ROOT } from "../_kit_root.ts";
import { EXIT } from "../_exit.ts";
import {
  INSTRUCTOR_ONLY,
  INSTRUCTOR_TASKS,
  isShipped,
  kitFiles,
  NEVER_SHIPPED,
  README_MARKERS,
} from "./_shipped.ts";

export { INSTRUCTOR_ONLY, INSTRUCTOR_TASKS, isShipped, kitFiles, NEVER_SHIPPED, README_MARKERS };

/** Exit codes of `deno task release` (CONTRACT.md). */
export const RELEASE_EXIT = { ok: EXIT.passed, usage: EXIT.usage, failed: EXIT.internal } as const;

/** Raised when OUT cannot be used (exit code 2). */
export class ReleaseTargetError extends Error {
  /**
   * Makes a release target error.
   *
   * @param message What is wrong and what to do.
   */
  constructor(message: string) {
    super(message);
    this.name = "ReleaseTargetError";
  }
}

/** Options for {@linkcode release}. */
export interface ReleaseOptions {
  /** The instructor's kit; default this kit. */
  kitRoot?: string;
}

/** What a release wrote. */
export interface ReleaseSummary {
  /** The files written, relative to OUT, sorted. */
  files: string[];
  /** Tasks the released README mentions that the released `deno.json` lacks. */
  missingTasks: string[];
}

/**
 * Writes the student kit to OUT; when the kit has a catalog, with the GitHub Classroom workflow
 * generated from it ({@linkcode WORKFLOW_PATH}, replacing any tracked copy).
 *
 * @param out The folder to write; it must not exist or be empty.
 * @param options The instructor's kit.
 * @returns The files written and any task the README mentions but the kit lacks.
 * @throws {ReleaseTargetError} If OUT exists and is not an empty folder.
 *
 * @example Usage
 * ```ts
 * import { release, ReleaseTargetError } from "./release.ts";
 * import { rejects } from "node:assert/strict";
 *
 * const out = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${out}/mine.txt`, "keep me");
 * await rejects(release(out), ReleaseTargetError);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function release(out: string, options: ReleaseOptions = {}): Promise<ReleaseSummary> {
  const kitRoot = resolve(options.kitRoot ?? KIT_ROOT);
  const target = resolve(out);
  await checkTarget(target);
  const outInside = relative(kitRoot, target);
  const files = (await kitFiles(kitRoot))
    .filter(isShipped)
    .filter((path) => outInside.startsWith("..") || !`${path}/`.startsWith(`${outInside}/`))
    .sort();
  await Deno.mkdir(target, { recursive: true });
  const written: string[] = [];
  for (const path of files) {
    const from = join(kitRoot, path);
    const to = join(target, path);
    const info = await Deno.lstat(from).catch(() => undefined);
    if (!info) continue; // tracked but deleted in the working tree
    await Deno.mkdir(dirname(to), { recursive: true });
    if (info.isSymlink) {
      await Deno.symlink(await Deno.readLink(from), to);
    } else if (info.isFile) {
      await Deno.copyFile(from, to);
      if (info.mode !== null) await Deno.chmod(to, info.mode & 0o777);
    } else {
      continue;
    }
    written.push(path);
  }
  if (written.includes("deno.json")) await stripTasks(join(target, "deno.json"));
  if (written.includes("README.md")) await stripReadme(join(target, "README.md"));
  if (written.includes("exercises/catalog.json")) {
    const workflow = classroomWorkflow(await loadCatalog(target));
    await Deno.mkdir(join(target, dirname(WORKFLOW_PATH)), { recursive: true });
    await Deno.writeTextFile(join(target, WORKFLOW_PATH), workflow);
    if (!written.includes(WORKFLOW_PATH)) written.push(WORKFLOW_PATH);
    written.sort();
  }
  return { files: written, missingTasks: await missingTasks(target) };
}

async function checkTarget(target: string): Promise<void> {
  const info = await Deno.stat(target).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory) {
    throw new ReleaseTargetError(
      `${target} exists and is not a folder: give a new or empty folder`,
    );
  }
  for await (const _ of Deno.readDir(target)) {
    throw new ReleaseTargetError(
      `${target} is not empty: give a new or empty folder, so no file of it is overwritten`,
    );
  }
}

async function stripTasks(path: string): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(path));
  for (const task of INSTRUCTOR_TASKS) delete config.tasks?.[task];
  await Deno.writeTextFile(path, `${JSON.stringify(config, null, 2)}\n`);
  // Keep the file as `deno fmt` wants it, so the released kit's own fmt check passes.
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", path],
    cwd: dirname(path),
    stdout: "null",
    stderr: "null",
  }).output();
}

async function stripReadme(path: string): Promise<void> {
  const [open, close] = README_MARKERS;
  const text = await Deno.readTextFile(path);
  let result = "";
  let at = 0;
  for (let start = text.indexOf(open, at); start !== -1; start = text.indexOf(open, at)) {
    const end = text.indexOf(close, start);
    result += text.slice(at, start);
    at = end === -1 ? text.length : end + close.length;
  }
  result += text.slice(at);
  if (result !== text) await Deno.writeTextFile(path, result.replace(/\n{3,}/g, "\n\n"));
}

async function missingTasks(target: string): Promise<string[]> {
  const readme = await Deno.readTextFile(join(target, "README.md")).catch(() => "");
  const config = await Deno.readTextFile(join(target, "deno.json"))
    .then((text) => JSON.parse(text), () => ({}));
  const tasks = new Set(Object.keys(config.tasks ?? {}));
  const mentioned = new Set([...readme.matchAll(/deno task ([\w:-]+)/g)].map((match) => match[1]!));
  return [...mentioned].filter((task) => !tasks.has(task)).sort();
}

const USAGE = "deno task release OUT";

/**
 * The `release` command.
 *
 * @param args The command-line arguments.
 * @returns The exit code: 0 written, 2 bad usage or OUT not empty, 3 the release failed.
 *
 * @example Usage
 * ```ts
 * import { releaseMain } from "./release.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(await releaseMain([]), 2);
 * ```
 */
export async function releaseMain(args: string[]): Promise<number> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, allowPositionals: true, options: {} }));
  } catch (error) {
    console.error(`error: ${(error as Error).message}: usage: ${USAGE}`);
    return RELEASE_EXIT.usage;
  }
  if (positionals.length !== 1) {
    console.error(`error: give exactly one folder to write the student kit to: usage: ${USAGE}`);
    return RELEASE_EXIT.usage;
  }
  try {
    const summary = await release(positionals[0]!);
    console.log(
      `wrote the student kit to ${resolve(positionals[0]!)}: ${summary.files.length} files, ` +
        `without solutions/ and the instructor's tools (${INSTRUCTOR_TASKS.join(", ")})` +
        (summary.files.includes(WORKFLOW_PATH)
          ? `, with ${WORKFLOW_PATH} for GitHub Classroom's autograding`
          : ""),
    );
    if (summary.missingTasks.length > 0) {
      console.error(
        `warning: the released README mentions tasks the student kit lacks: ` +
          `${summary.missingTasks.join(", ")}: put that text between ${
            README_MARKERS.join(" and ")
          }`,
      );
    }
    return RELEASE_EXIT.ok;
  } catch (error) {
    if (error instanceof ReleaseTargetError) {
      console.error(`error: ${error.message}`);
      return RELEASE_EXIT.usage;
    }
    console.error(`error: the release failed: ${(error as Error)?.stack ?? error}`);
    return RELEASE_EXIT.failed;
  }
}
