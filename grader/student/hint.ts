/**
 * `deno task hint N [--more]`: the exercise's first hint, and on request the more explicit ones.
 *
 * @module
 */
import type { CatalogEntry } from "../catalog.ts";

/**
 * The text of `deno task hint N`: the first hint, and with `more` every further one, each more
 * explicit; without it, how to ask for them.
 *
 * @param entry The exercise.
 * @param more Whether to show the further hints.
 * @returns The text, ending with a newline.
 *
 * @example Usage
 * ```ts
 * import { hintText } from "./hint.ts";
 * import { match } from "node:assert/strict";
 *
 * const entry = { id: 1, slug: "01_x", title: "X", hint: "First", more: ["Second"] };
 * match(hintText(entry as never, false), /hint 1 --more/);
 * match(hintText(entry as never, true), /Second/);
 * ```
 */
export function hintText(entry: CatalogEntry, more: boolean): string {
  const further = entry.more ?? [];
  const parts = [`${entry.slug} · ${entry.title}`, entry.hint];
  if (more) parts.push(...further);
  else if (further.length > 0) {
    parts.push(`More explicit hints: deno task hint ${entry.id} --more (try the first one first)`);
  }
  return `${parts.join("\n\n")}\n`;
}
