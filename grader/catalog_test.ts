import { equal, throws } from "node:assert/strict";
import { findExercise, loadCatalog, parseCatalog } from "./catalog.ts";
import { KIT_ROOT } from "./runner.ts";

const ENTRY = { id: 1, slug: "01_guess", title: "Guess", files: ["a.ts"], hint: "Look." };

Deno.test("loadCatalog() reads the kit's catalog", async () => {
  const catalog = await loadCatalog(KIT_ROOT);
  equal(catalog.exercises[0]?.slug, "01_guess_run_times");
  equal(findExercise(catalog, "3")?.slug, "03_explore_structures");
});

Deno.test("parseCatalog() rejects ids out of order, paths in file names and a wrong version", () => {
  throws(
    () => parseCatalog({ version: 1, exercises: [{ ...ENTRY, id: 2 }] }),
    /ids must be 1, 2, 3/,
  );
  throws(
    () => parseCatalog({ version: 1, exercises: [{ ...ENTRY, files: ["../x.ts"] }] }),
    /plain .ts file name/,
  );
  throws(() => parseCatalog({ version: 2, exercises: [ENTRY] }), { name: "CatalogError" });
});

Deno.test("findExercise() takes a number, a padded number or a folder name", () => {
  const catalog = parseCatalog({ version: 1, exercises: [ENTRY] });
  equal(findExercise(catalog, "1")?.id, 1);
  equal(findExercise(catalog, "001")?.id, 1);
  equal(findExercise(catalog, "01_guess")?.id, 1);
  equal(findExercise(catalog, "guess"), undefined);
});
