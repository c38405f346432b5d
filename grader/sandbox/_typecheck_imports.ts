/**
 * Finds the imports of a student file that would make `deno check` read outside its private copy.
 * `deno check` has no permission system: whatever file a module names, it reads (`/dev/zero`
 * grows it without bound, a fifo blocks it, an instructor's `solutions/` file prints its types).
 * So every module specifier the file names, in every form Deno's module graph follows, is found
 * with TypeScript's own parser and refused when it leaves the copy.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import ts from "typescript";

/** An import that `deno check` must not follow. */
export interface RefusedImport {
  /** The file, relative to the exercise folder. */
  file: string;
  /** 1-based line of the specifier. */
  line: number;
  /** The specifier as written (escapes included). */
  specifier: string;
  /** Why it is refused. */
  reason: string;
}

/** A specifier found in a file: its cooked value, its raw text, where it starts. */
export interface Found {
  value: string;
  raw: string;
  pos: number;
}

/**
 * Pragmas in comments that Deno's module graph follows: `/// <reference path|types="x" />`,
 * `@ts-types`, `@deno-types`, `@ts-self-types`, `@jsxImportSource(Types)`.
 */
const PRAGMAS = [
  /^\/\/\/\s*<reference\s+(?:path|types)\s*=\s*(?:"([^"]*)"|'([^']*)')/,
  /@(?:ts|deno)-types\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/g,
  /@ts-self-types\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/g,
  /@jsxImportSource(?:Types)?\s+(?:"([^"]*)"|'([^']*)'|([^\s"'*]+))/g,
];

/** The tokens of a parsed file in order (the parser's, so regexes and templates are read right). */
function tokens(source: ts.SourceFile): ts.Node[] {
  const leaves: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    const children = node.getChildren(source);
    if (children.length === 0) leaves.push(node);
    for (const child of children) visit(child);
  };
  visit(source);
  return leaves;
}

/** Every comment of a parsed file: the trivia before each token, the end of file's included. */
function comments(source: ts.SourceFile, leaves: readonly ts.Node[]): ts.CommentRange[] {
  const seen = new Map<number, ts.CommentRange>();
  for (const leaf of leaves) {
    for (
      const range of [
        ...ts.getTrailingCommentRanges(source.text, leaf.pos) ?? [],
        ...ts.getLeadingCommentRanges(source.text, leaf.pos) ?? [],
      ]
    ) seen.set(range.pos, range);
  }
  return [...seen.values()];
}

const STRING_KINDS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
]);

/**
 * The string tokens in the place of a module specifier: after `from`, `import`, or `(` that
 * follows `import` or `require`. Wider than the grammar (`import source`, `import defer`, a
 * clause TypeScript cannot parse are all "after from"), so no form is missed.
 */
function tokenSpecifiers(source: ts.SourceFile, leaves: readonly ts.Node[]): Found[] {
  const found: Found[] = [];
  for (const [index, leaf] of leaves.entries()) {
    if (!STRING_KINDS.has(leaf.kind)) continue;
    const before = leaves[index - 1]?.getText(source);
    const call = leaves[index - 2]?.getText(source);
    if (
      before === "from" || before === "import" ||
      (before === "(" && (call === "import" || call === "require"))
    ) {
      const raw = leaf.getText(source);
      found.push({
        value: (leaf as ts.StringLiteral).text,
        raw: raw.slice(1, -1),
        pos: leaf.getStart(source),
      });
    }
  }
  return found;
}

function pragmaSpecifiers(text: string, range: ts.CommentRange): Found[] {
  const comment = text.slice(range.pos, range.end);
  const found: Found[] = [];
  for (const pattern of PRAGMAS) {
    const matches = pattern.global
      ? [...comment.matchAll(pattern)]
      : [pattern.exec(comment)].filter((m) => m !== null);
    for (const match of matches) {
      const value = match[1] ?? match[2] ?? match[3] ?? "";
      found.push({ value, raw: value, pos: range.pos + match.index });
    }
  }
  return found;
}

/**
 * Every specifier a file names: in code (`import`, `export … from`, `import()`, `typeof
 * import()`, `import x = require()`, cooked, with its raw text) and in the pragmas of its comments
 * (anywhere in the file, not only where Deno reads them: refusing more is safe).
 *
 * @param name The file's name (for the parser).
 * @param text The file's text.
 * @returns The specifiers, one per place.
 *
 * @example Usage
 * ```ts
 * import { specifiers } from "./_typecheck_imports.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(specifiers("a.ts", 'import "./b.ts";').map((found) => found.value), ["./b.ts"]);
 * ```
 */
export function specifiers(name: string, text: string): Found[] {
  // TypeScript's own pre-processor, and the parser's tokens: the pre-processor alone is fooled by
  // a regex literal holding a quote (`/"/`), the parser alone by what it cannot parse.
  const info = ts.preProcessFile(text, true, true);
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const found: Found[] = info.importedFiles.map((reference) => {
    scanner.resetTokenState(reference.pos);
    scanner.scan();
    // The literal as written, without its quotes: escapes stay visible.
    const raw = scanner.getTokenText().slice(1, -1);
    return { value: reference.fileName, raw, pos: reference.pos };
  });
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const leaves = tokens(source);
  found.push(...tokenSpecifiers(source, leaves));
  for (const range of comments(source, leaves)) found.push(...pragmaSpecifiers(text, range));
  // One report per place: the two readings mostly agree.
  return [...new Map(found.map((one) => [one.pos, one])).values()];
}

/** Why a specifier may not be followed, or `undefined` when it stays in the copy (or is no file). */
function refusal(found: Found, fileUrl: URL, rootUrl: string): string | undefined {
  if (/[\\%]/.test(found.raw) || /[\\%]/.test(found.value)) {
    return "a specifier may not hold an escape, a backslash or a %";
  }
  let url: URL;
  try {
    url = new URL(found.value, fileUrl);
  } catch {
    return undefined; // A bare specifier: deno check reports it without reading anything.
  }
  if (url.protocol !== "file:") return undefined;
  return url.href.startsWith(rootUrl) ? undefined : "it names a file outside the exercise";
}

/**
 * Finds the imports of the copied student files that `deno check` must not follow: a `file:`
 * module outside the copy's root (`/abs`, `file:///…`, `../../../../etc/passwd`, resolved with
 * `new URL` against the file), or a specifier holding a backslash, a JS escape or a `%`. A
 * specifier-looking string in plain comment prose is not an import; the pragmas Deno follows in
 * comments are.
 *
 * @param root The private copy's root (a real path).
 * @param files The copied files (absolute paths under `root`).
 * @param exerciseDir The copied exercise folder (files are named relative to it).
 * @returns The refused imports, in file then line order.
 *
 * @example Usage
 * ```ts
 * import { refusedImports } from "./_typecheck_imports.ts";
 * import { equal } from "node:assert/strict";
 *
 * const root = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.mkdir(`${root}/exercises/01_x`, { recursive: true });
 * const file = `${root}/exercises/01_x/a.ts`;
 * await Deno.writeTextFile(file, 'import "../../lib/mod.ts";\nimport z from "/dev/zero";\n');
 * const [refused] = await refusedImports(root, [file], `${root}/exercises/01_x`);
 * equal(`${refused?.file}:${refused?.line} ${refused?.specifier}`, "a.ts:2 /dev/zero");
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export async function refusedImports(
  root: string,
  files: readonly string[],
  exerciseDir: string,
): Promise<RefusedImport[]> {
  const rootUrl = `${pathToFileURL(root).href}/`;
  const refused: RefusedImport[] = [];
  for (const path of files) {
    const text = await Deno.readTextFile(path);
    const fileUrl = pathToFileURL(path);
    const file = path.startsWith(`${exerciseDir}/`) ? path.slice(exerciseDir.length + 1) : path;
    const lineOf = (pos: number) => text.slice(0, pos).split("\n").length;
    for (const found of specifiers(path, text).sort((a, b) => a.pos - b.pos)) {
      const reason = refusal(found, fileUrl, rootUrl);
      if (reason) refused.push({ file, line: lineOf(found.pos), specifier: found.raw, reason });
    }
  }
  return refused;
}
