/**
 * What the student's commands share: the usage error (one line on stderr, exit code 2), where a
 * command writes, and how a command finds its exercise.
 *
 * @module
 */
import { type Catalog, type CatalogEntry, findExercise } from "../catalog.ts";

export class UsageError extends Error {
  /**
   * Makes a usage error.
   *
   * @param message What is wrong and what to do.
   *
   * @example Usage
   * ```ts
   * import { UsageError } from "./_command.ts";
   * import { equal } from "node:assert/strict";
   *
   * equal(new UsageError("no exercise 9").name, "UsageError");
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface CliIo {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  /** Whether to colour stdout. */
  color: boolean;
  /** Whether stderr is a terminal (progress lines go there). */
  progress: boolean;
}

function exerciseList(catalog: Catalog): string {
  const ids = catalog.exercises.map((entry) => entry.id);
  return `${Math.min(...ids)}-${Math.max(...ids)}`;
}

/**
 * Finds the exercise a command names, or says which names there are.
 *
 * @param catalog The catalog.
 * @param name The name on the command line (1, 01 or the folder's name), if any.
 * @param command The command, for the message.
 * @returns The exercise.
 * @throws {UsageError} When no exercise is named or none has that name.
 *
 * @example Usage
 * ```ts
 * import { pickExercise, UsageError } from "./_command.ts";
 * import { loadCatalog } from "../catalog.ts";
 * import { equal, throws } from "node:assert/strict";
 *
 * const catalog = await loadCatalog(new URL("../..", import.meta.url).pathname);
 * equal(pickExercise(catalog, "1", "hint").id, 1);
 * throws(() => pickExercise(catalog, "99", "hint"), UsageError);
 * ```
 */
export function pickExercise(
  catalog: Catalog,
  name: string | undefined,
  command: string,
): CatalogEntry {
  if (name === undefined) {
    throw new UsageError(
      `${command} needs an exercise: deno task ${command} N, with N in ${exerciseList(catalog)}`,
    );
  }
  const entry = findExercise(catalog, name);
  if (!entry) {
    throw new UsageError(
      `no exercise ${name}: exercises are ${exerciseList(catalog)} (deno task list)`,
    );
  }
  return entry;
}

/**
 * Whether a path is a folder (the instructor's kit has `solutions/`).
 *
 * @param path The path.
 * @returns Whether it is a folder.
 *
 * @example Usage
 * ```ts
 * import { hasFolder } from "./_command.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(await hasFolder(Deno.cwd()), true);
 * equal(await hasFolder(`${Deno.cwd()}/no such folder`), false);
 * ```
 */
export async function hasFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
