/**
 * Whether an exercise's files can share one `deno check` with the student's other exercises and
 * get the diagnostics they would get alone. One program types every root together, so a file that
 * changes the program for the others (`declare global`, `declare module "…"`, a `/// <reference>`
 * of a file, a type package or a lib) or that reaches another exercise's folder (an import that is
 * missing when the exercise is checked alone) could hide or add another exercise's errors: such an
 * exercise is type-checked on its own.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { specifiers } from "./_typecheck_imports.ts";

/** Whether a parsed file declares something for the whole program (global or module scope). */
function augments(source: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isModuleDeclaration(node) &&
      (ts.isStringLiteral(node.name) || (node.flags & ts.NodeFlags.GlobalAugmentation) !== 0 ||
        node.name.text === "global")
    ) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Whether one of an exercise's copied files must be type-checked without the student's other
 * exercises: it declares for the whole program (`declare global`, `declare module`), holds a
 * triple-slash reference, or imports a `file:` module outside its exercise folder and the copy's
 * `lib/`.
 *
 * @param root The private copy's root (a real path).
 * @param files The exercise's copied files (absolute paths under `root`).
 * @param exerciseDir The exercise's folder in the copy.
 * @returns Whether the exercise is checked alone.
 *
 * @example Usage
 * ```ts
 * import { checkedAlone } from "./_typecheck_scope.ts";
 * import { equal } from "node:assert/strict";
 *
 * const root = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.mkdir(`${root}/exercises/01_x`, { recursive: true });
 * const file = `${root}/exercises/01_x/a.ts`;
 * await Deno.writeTextFile(file, 'import "../../lib/mod.ts";\nexport const a = 1;\n');
 * equal(await checkedAlone(root, [file], `${root}/exercises/01_x`), false);
 * await Deno.writeTextFile(file, "declare global { var shared: number }\nexport {};\n");
 * equal(await checkedAlone(root, [file], `${root}/exercises/01_x`), true);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function checkedAlone(
  root: string,
  files: readonly string[],
  exerciseDir: string,
): Promise<boolean> {
  const inside = [`${pathToFileURL(exerciseDir).href}/`, `${pathToFileURL(root).href}/lib/`];
  for (const path of files) {
    const text = await Deno.readTextFile(path);
    const info = ts.preProcessFile(text, true, true);
    const references = info.referencedFiles.length + info.typeReferenceDirectives.length +
      info.libReferenceDirectives.length;
    if (references > 0 || /\/\/\/\s*<reference/.test(text)) return true;
    if (augments(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true))) return true;
    const fileUrl = pathToFileURL(path);
    for (const found of specifiers(path, text)) {
      let url: URL;
      try {
        url = new URL(found.value, fileUrl);
      } catch {
        continue; // A bare specifier: no file of the copy.
      }
      if (url.protocol === "file:" && !inside.some((prefix) => url.href.startsWith(prefix))) {
        return true;
      }
    }
  }
  return false;
}
