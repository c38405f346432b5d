/**
 * `deno task list`: every exercise with its last result, from the student's progress file.
 *
 * @module
 */
import type { Catalog } from "../catalog.ts";
import { EXIT } from "../_exit.ts";
import type { CliIo } from "./_command.ts";
import { progressPath, readProgress } from "./progress.ts";

/**
 * Prints one line an exercise: its id, folder, title and last result.
 *
 * @param catalog The catalog.
 * @param kitRoot The kit's root (its progress file is read).
 * @param io Where output goes.
 * @returns {@linkcode EXIT}`.passed`.
 *
 * @example Usage
 * ```ts
 * import { list } from "./list.ts";
 * import { loadCatalog } from "../catalog.ts";
 * import { equal, match } from "node:assert/strict";
 *
 * const kitRoot = new URL("../..", import.meta.url).pathname;
 * const lines: string[] = [];
 * const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t), color: false, progress: false };
 * equal(await list(await loadCatalog(kitRoot), await Deno.makeTempDir(), io), 0);
 * match(lines[0]!, /01_guess_run_times/);
 * ```
 */
export async function list(catalog: Catalog, kitRoot: string, io: CliIo): Promise<number> {
  const progress = await readProgress(progressPath(kitRoot));
  for (const entry of catalog.exercises) {
    const last = progress.exercises[entry.slug];
    const state = last
      ? `${last.status} ${last.score}/${last.maxScore} (${
        last.checkedAt.slice(0, 16).replace("T", " ")
      })`
      : "not checked yet";
    io.out(
      `${String(entry.id).padStart(2)}  ${entry.slug.padEnd(24)} ${
        entry.title.padEnd(30)
      } ${state}\n`,
    );
  }
  return EXIT.passed;
}
