/**
 * Writes a file whole: write-file-atomic writes a temporary file beside it, flushes it, then renames
 * it over the target, so a crash leaves either the old file or the new one, never half of one.
 *
 * @module
 */
// @ts-types="@types/write-file-atomic"
import writeFileAtomic from "write-file-atomic";
import { Buffer } from "node:buffer";
import { dirname } from "node:path";
import { escapeJson } from "../report/_escape.ts";

/**
 * Writes text or bytes to a file whole, creating its folder when missing.
 *
 * @param path The file to write.
 * @param text Its new contents.
 * @returns When the file is in place.
 *
 * @example Usage
 * ```ts
 * import { writeWhole } from "./_atomic_write.ts";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeWhole(`${dir}/new/folder/file.txt`, "whole");
 * equal(await Deno.readTextFile(`${dir}/new/folder/file.txt`), "whole");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeWhole(path: string, text: string | Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, typeof text === "string" ? text : Buffer.from(text));
}

/**
 * Writes a value as indented JSON to a file whole, creating its folder when missing.
 *
 * @param path The file to write.
 * @param value The value.
 * @returns When the file is in place.
 *
 * @example Usage
 * ```ts
 * import { writeJsonWhole } from "./_atomic_write.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeJsonWhole(`${dir}/a.json`, { score: 1 });
 * deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/a.json`)), { score: 1 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function writeJsonWhole(path: string, value: unknown): Promise<void> {
  // What JSON.stringify leaves raw (C1 controls, bidi overrides) is escaped too: a student id or
  // message cannot reach a terminal that prints the file.
  return writeWhole(path, `${escapeJson(JSON.stringify(value, null, 2))}\n`);
}
