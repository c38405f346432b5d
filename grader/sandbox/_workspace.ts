/**
 * The sandbox's workspace: the catalog's student files (by ingestion's rules), the counter check's
 * pool task and the kit's `lib/`, laid out like the kit so the student's imports resolve.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { SandboxOptions } from "./_options.ts";
import { copyStudentFiles } from "./ingest.ts";

/**
 * Copies one exercise's workspace under `root`: `exercises/<slug>/<files>`,
 * `grader/sandbox/counter_task.ts` and `lib/*.ts` (tests left out).
 *
 * @param options Where the student files and the kit are.
 * @param root The workspace folder (made if missing).
 *
 * @example Usage
 * ```ts
 * import { copyWorkspace } from "./_workspace.ts";
 * import { fileURLToPath } from "node:url";
 * import { ok } from "node:assert/strict";
 *
 * const kitRoot = fileURLToPath(new URL("../..", import.meta.url));
 * const root = await Deno.makeTempDir();
 * await copyWorkspace({ kitRoot, slug: "01_x", sourceDir: `${root}/none`, files: [] }, root);
 * ok((await Deno.stat(`${root}/lib/mod.ts`)).isFile);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function copyWorkspace(
  options: Pick<SandboxOptions, "kitRoot" | "slug" | "sourceDir" | "files">,
  root: string,
): Promise<void> {
  const exerciseDir = `${root}/exercises/${options.slug}`;
  await Deno.mkdir(exerciseDir, { recursive: true });
  // By ingestion's rules: a link, a non-file or an oversized file is not copied (it counts as
  // missing, and the checks that load it say so); the runner has already reported it.
  const folder = await Deno.lstat(options.sourceDir).catch(() => undefined);
  if (folder?.isDirectory) await copyStudentFiles(options.sourceDir, options.files, exerciseDir);
  // The counter check's pool task, where pool workers (which read only the workspace) find it.
  await Deno.mkdir(`${root}/grader/sandbox`, { recursive: true });
  await Deno.copyFile(
    fileURLToPath(new URL("counter_task.ts", import.meta.url)),
    `${root}/grader/sandbox/counter_task.ts`,
  );
  const libDir = `${root}/lib`;
  await Deno.mkdir(libDir, { recursive: true });
  for await (const entry of Deno.readDir(`${options.kitRoot}/lib`)) {
    if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) continue;
    await Deno.copyFile(`${options.kitRoot}/lib/${entry.name}`, `${libDir}/${entry.name}`);
  }
}
