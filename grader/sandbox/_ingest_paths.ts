/**
 * Ingestion's per-path checks: each component of a path below the student's folder `lstat`ed
 * ({@linkcode walk}), one file opened and read only if it is the file `lstat` saw and within its
 * cap ({@linkcode takeFile}), and where a student's folder that is itself a link leads
 * ({@linkcode linkedInto}). `ingest.ts`'s public functions are built on them.
 *
 * @module
 */
import { basename, dirname, join, resolve, sep } from "node:path";

/** How a path below the student's folder turned out. */
type Found =
  | { kind: "missing" }
  | { kind: "refused"; reason: string; at?: number }
  | { kind: "ok"; info: Deno.FileInfo };

function refusal(info: Deno.FileInfo): string | undefined {
  if (info.isSymlink) return "is a link (links are never followed: submit the file itself)";
  if (info.isFile || info.isDirectory) return undefined;
  return "is not a regular file (a device, fifo or socket)";
}

/**
 * A path that could not be looked at: missing when it is not there, refused when it is there but
 * unreadable (a folder or file without read rights, as an archive can unpack it), so the student
 * is told why instead of seeing the file as missing.
 */
function unreadable(error: unknown): { kind: "missing" } | { kind: "refused"; reason: string } {
  if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
    return { kind: "missing" };
  }
  const name = error instanceof Error ? error.name : "Error";
  return { kind: "refused", reason: `could not be read (${name}): check its permissions` };
}

/**
 * `lstat`s every component of `parts` from `base` down: each must be a real folder, the last a
 * real folder or file (`want`). `Deno.lstat` alone checks only the last component.
 *
 * @param base The folder the path is below (trusted: not checked).
 * @param parts The path's components.
 * @param want Whether the last component must be a folder or a file.
 * @returns `ok` with the last component's `lstat`, `missing`, or `refused` with the reason and the
 * index of the component refused.
 *
 * @example Usage
 * ```ts
 * import { walk } from "./_ingest_paths.ts";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/real`);
 * await Deno.writeTextFile(`${dir}/real/a.ts`, "");
 * await Deno.symlink(`${dir}/real`, `${dir}/linked`);
 * equal((await walk(dir, ["real", "a.ts"], "file")).kind, "ok");
 * equal((await walk(dir, ["linked", "a.ts"], "file")).kind, "refused");
 * equal((await walk(dir, ["real", "b.ts"], "file")).kind, "missing");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function walk(
  base: string,
  parts: readonly string[],
  want: "file" | "folder",
): Promise<Found> {
  let path = base;
  for (const [index, part] of parts.entries()) {
    path = join(path, part);
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(path);
    } catch (error) {
      const found = unreadable(error);
      return found.kind === "missing" ? found : { ...found, at: index };
    }
    const refused = refusal(info);
    if (refused) return { kind: "refused", reason: refused, at: index };
    const last = index === parts.length - 1;
    if (!last || want === "folder") {
      if (!info.isDirectory) return { kind: "missing" };
    } else if (!info.isFile) {
      return { kind: "refused", reason: "is a folder, not a file" };
    }
    if (last) return { kind: "ok", info };
  }
  return { kind: "missing" };
}

/** Reads at most `cap + 1` bytes of an open file (so an oversized file is seen, not read whole). */
async function readCapped(file: Deno.FsFile, cap: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(cap + 1);
  let length = 0;
  while (length < buffer.length) {
    const n = await file.read(buffer.subarray(length));
    if (n === null) break;
    length += n;
  }
  return buffer.subarray(0, length);
}

/**
 * A byte count as the caps' messages say it: in MiB or KiB when it is a whole number of them.
 *
 * @param bytes The count.
 * @returns `2 MiB`, `256 KiB` or `1000 bytes`.
 *
 * @example Usage
 * ```ts
 * import { formatBytes } from "./_ingest_paths.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(formatBytes(256 * 1024), "256 KiB");
 * equal(formatBytes(1000), "1000 bytes");
 * ```
 */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
    ? `${bytes / 1024} KiB`
    : `${bytes} bytes`;
}

/**
 * Which of `folders` a student's folder that is itself a link leads into, or `undefined` when it
 * is a real folder or leads elsewhere. Every hop of the link is checked where it lands (its
 * folder's real path), and so is the end: `copier -> bob` is refused even when bob's folder is
 * itself a link to a repo kept elsewhere, which is followed.
 *
 * @param dir The student's folder.
 * @param folders The folders it may not lead into.
 * @returns The folder it leads into, as given, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { linkedInto } from "./_ingest_paths.ts";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/kit`);
 * await Deno.symlink(`${dir}/kit`, `${dir}/student`);
 * equal(await linkedInto(`${dir}/student`, [`${dir}/kit`]), `${dir}/kit`);
 * equal(await linkedInto(`${dir}/kit`, [`${dir}/kit`]), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function linkedInto(
  dir: string,
  folders: readonly string[],
): Promise<string | undefined> {
  const info = await Deno.lstat(dir).catch(() => undefined);
  if (!info?.isSymlink) return undefined;
  const reals = await Promise.all(
    folders.map(async (folder) => ({
      folder,
      real: await Deno.realPath(folder).catch(() => resolve(folder)),
    })),
  );
  const into = (path: string) =>
    reals.find(({ real }) =>
      path === real || path.startsWith(real.endsWith(sep) ? real : real + sep)
    )
      ?.folder;
  let path = resolve(dir);
  // 40: the kernel's own limit on the links of one path.
  for (let hop = 0; hop < 40; hop++) {
    const link = await Deno.lstat(path).catch(() => undefined);
    if (!link?.isSymlink) break;
    const next = resolve(dirname(path), await Deno.readLink(path));
    const parent = await Deno.realPath(dirname(next)).catch(() => undefined);
    // A dangling link: nothing is found through it.
    if (parent === undefined) return undefined;
    path = join(parent, basename(next));
    const found = into(path);
    if (found !== undefined) return found;
  }
  const end = await Deno.realPath(dir).catch(() => undefined);
  return end === undefined ? undefined : into(end);
}

/**
 * Opens and reads one student file after `lstat`ing its every component.
 *
 * @param dir The student's folder (trusted: not checked).
 * @param path The file's path below it, `/`-separated.
 * @param cap The largest file taken, in bytes.
 * @returns `ok` with the file's bytes, `missing`, or `refused` with the reason.
 *
 * @example Usage
 * ```ts
 * import { takeFile } from "./_ingest_paths.ts";
 * import { equal } from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.ts`, "12345");
 * const taken = await takeFile(dir, "a.ts", 5);
 * equal(taken.kind === "ok" && new TextDecoder().decode(taken.data), "12345");
 * equal((await takeFile(dir, "a.ts", 4)).kind, "refused");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function takeFile(
  dir: string,
  path: string,
  cap: number,
): Promise<
  { kind: "missing" } | { kind: "refused"; reason: string } | { kind: "ok"; data: Uint8Array }
> {
  const found = await walk(dir, path.split("/"), "file");
  if (found.kind !== "ok") return found;
  if (found.info.size > cap) {
    return { kind: "refused", reason: `is larger than the cap of ${formatBytes(cap)} a file` };
  }
  let file: Deno.FsFile;
  try {
    file = await Deno.open(join(dir, path), { read: true });
  } catch (error) {
    return unreadable(error);
  }
  try {
    // The file opened must be the one lstat saw (nothing swapped in a link in between).
    const opened = await file.stat();
    if (!opened.isFile || opened.ino !== found.info.ino || opened.dev !== found.info.dev) {
      return { kind: "refused", reason: "changed while it was being read" };
    }
    const data = await readCapped(file, cap);
    if (data.length > cap) {
      return { kind: "refused", reason: `is larger than the cap of ${formatBytes(cap)} a file` };
    }
    return { kind: "ok", data };
  } finally {
    file.close();
  }
}
