/**
 * Where the kit is: the one place that turns this grader's own URL into the kit's root folder.
 *
 * @module
 */

/**
 * The kit this grader belongs to (the folder that holds `grader/`), without a trailing `/`.
 *
 * @example Usage
 * ```ts
 * import { KIT_ROOT } from "./_kit_root.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(Deno.statSync(`${KIT_ROOT}/grader`).isDirectory);
 * ```
 */
export const KIT_ROOT: string = decodeURIComponent(new URL("..", import.meta.url).pathname)
  .replace(/\/$/, "");
