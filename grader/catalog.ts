/**
 * The exercise manifest, `exercises/catalog.json`: its zod schema (every field documented), its
 * loader, and how a command-line argument (`1`, `01`, `01_guess_run_times`) names an exercise.
 *
 * @module
 */
import { z } from "zod";

/** The catalog's version this grader reads. */
export const CATALOG_VERSION = 1;

/** A student file name: a plain `.ts` file name inside the exercise folder, no folders, no links. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.ts$/;

/** One exercise of the catalog. */
export const CatalogEntrySchema = z.object({
  /** The exercise's number, 1-based, in catalog order (`deno task check 1`). */
  id: z.number().int().positive(),
  /** The folder name under `exercises/` and `solutions/`: `NN_slug` (`01_guess_run_times`). */
  slug: z.string().regex(/^\d{2}_[a-z0-9_]+$/, "must look like 01_guess_run_times"),
  /** The exercise's title, shown by `list` and the report. */
  title: z.string().min(1),
  /** The student files: the only files taken from a submission, mirrored in `solutions/<slug>/`. */
  files: z.array(z.string().regex(FILE_NAME, "must be a plain .ts file name")).min(1),
  /**
   * The first hint, shown by `deno task hint N`: where to look and what to ask, never the answer.
   * A failing report only points to it; each failing check's own message says the next step.
   */
  hint: z.string().min(1),
  /** Further hints, each more explicit, shown by `deno task hint N --more` after the first. */
  more: z.array(z.string().min(1)).optional(),
});
/** One exercise of the catalog. */
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

/** `exercises/catalog.json`. */
export const CatalogSchema = z.object({
  /** The catalog format's version ({@linkcode CATALOG_VERSION}). */
  version: z.literal(CATALOG_VERSION),
  /** The exercises, in the order students do them; ids are 1, 2, 3, ... in that order. */
  exercises: z.array(CatalogEntrySchema).min(1),
}).superRefine((catalog, ctx) => {
  catalog.exercises.forEach((entry, index) => {
    if (entry.id !== index + 1) {
      ctx.addIssue({
        code: "custom",
        path: ["exercises", index, "id"],
        message: `ids must be 1, 2, 3, ... in order: expected ${index + 1}`,
      });
    }
  });
});
/** `exercises/catalog.json`. */
export type Catalog = z.infer<typeof CatalogSchema>;

/** Raised when the catalog file is missing or does not match its schema. */
export class CatalogError extends Error {
  /**
   * Makes a catalog error.
   *
   * @param message What is wrong and where.
   * @param options The underlying cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CatalogError";
  }
}

/**
 * Parses and validates catalog data.
 *
 * @param data The parsed JSON of `exercises/catalog.json`.
 * @returns The catalog.
 * @throws {CatalogError} If the data does not match the schema.
 *
 * @example Usage
 * ```ts
 * import { parseCatalog } from "./catalog.ts";
 * import { equal } from "node:assert/strict";
 *
 * const catalog = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_guess", title: "Guess", files: ["a.ts"], hint: "Look." }],
 * });
 * equal(catalog.exercises[0]?.slug, "01_guess");
 * ```
 */
export function parseCatalog(data: unknown): Catalog {
  const parsed = CatalogSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    throw new CatalogError(`Invalid catalog: ${where}: ${issue?.message ?? "unknown problem"}`);
  }
  return parsed.data;
}

/**
 * Reads and validates `exercises/catalog.json` of a kit.
 *
 * @param root The kit's root folder.
 * @returns The catalog.
 * @throws {CatalogError} If the file is missing, is not JSON, or does not match the schema.
 *
 * @example Usage
 * ```ts
 * import { loadCatalog } from "./catalog.ts";
 * import { rejects } from "node:assert/strict";
 *
 * await rejects(loadCatalog("/no/such/kit"), { name: "CatalogError" });
 * ```
 */
export async function loadCatalog(root: string): Promise<Catalog> {
  const path = `${root}/exercises/catalog.json`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new CatalogError(`Cannot read the catalog: ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(`Cannot parse the catalog: ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseCatalog(data);
}

/**
 * Finds the exercise a command-line argument names: its number (`1`, `01`) or its folder name.
 *
 * @param catalog The catalog.
 * @param name The argument.
 * @returns The entry, or `undefined` when none matches.
 *
 * @example Usage
 * ```ts
 * import { findExercise, parseCatalog } from "./catalog.ts";
 * import { equal } from "node:assert/strict";
 *
 * const catalog = parseCatalog({
 *   version: 1,
 *   exercises: [{ id: 1, slug: "01_guess", title: "Guess", files: ["a.ts"], hint: "Look." }],
 * });
 * equal(findExercise(catalog, "01")?.slug, "01_guess");
 * equal(findExercise(catalog, "01_guess")?.id, 1);
 * equal(findExercise(catalog, "7"), undefined);
 * ```
 */
export function findExercise(catalog: Catalog, name: string): CatalogEntry | undefined {
  const trimmed = name.trim();
  if (/^\d+$/.test(trimmed)) {
    const id = Number(trimmed);
    return catalog.exercises.find((entry) => entry.id === id);
  }
  return catalog.exercises.find((entry) => entry.slug === trimmed);
}
