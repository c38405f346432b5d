/**
 * Where a type check's copy lives: one of a few folders under the kit's `.parakit/typecheck/`,
 * kept from one run to the next with `deno check`'s own `DENO_DIR` inside (`.deno`), so that its
 * incremental data is reused: checking a class's exercises, or a student's file after an edit,
 * costs about 1.0 s of CPU instead of 1.8 s here. A slot is held by a lock file while a check runs
 * in it; everything in it but `.deno` is removed before and after each run, so no file of an
 * earlier run can be imported by the next. With every slot held, or the kit not writable, the copy
 * goes to a fresh temporary folder, removed after (as before slots).
 *
 * The cache holds only what `deno check` wrote (it runs no code) and is keyed by the files'
 * contents: a later check of different files type-checks them.
 *
 * @module
 */

/** How many copies may be type-checked at once in slots. */
export const SLOTS = 8;
/** A lock older than this is left over from a run that did not end: it is taken over. */
export const STALE_LOCK_MS = 10 * 60_000;

/** A folder to copy an exercise into and type-check; disposing of it frees it. */
export interface CheckRoot extends AsyncDisposable {
  /** Its real path (the copy's root). */
  readonly root: string;
  /** Whether it is a kept slot (its `.deno` cache reused) or a temporary folder. */
  readonly kept: boolean;
}

/**
 * Takes a free slot under `kitRoot/.parakit/typecheck/`, emptied but for its cache, or a fresh
 * temporary folder when none is free.
 *
 * @param kitRoot The kit's root.
 * @returns The folder; `await using` it frees it.
 *
 * @example Usage
 * ```ts
 * import { checkRoot } from "./_typecheck_slot.ts";
 * import { equal } from "node:assert/strict";
 *
 * const kit = await Deno.makeTempDir();
 * {
 *   await using slot = await checkRoot(kit);
 *   equal(slot.kept, true);
 *   await Deno.writeTextFile(`${slot.root}/a.ts`, "export {};");
 * }
 * await using again = await checkRoot(kit);
 * equal([...Deno.readDirSync(again.root)].length, 0);
 * await Deno.remove(kit, { recursive: true });
 * ```
 */
export async function checkRoot(kitRoot: string): Promise<CheckRoot> {
  const base = `${kitRoot}/.parakit/typecheck`;
  try {
    await Deno.mkdir(base, { recursive: true });
    for (let i = 0; i < SLOTS; i++) {
      const dir = `${base}/slot-${i}`;
      const lock = `${dir}.lock`;
      if (!await takeLock(lock)) continue;
      try {
        await Deno.mkdir(dir, { recursive: true });
        await emptyButCache(dir);
        const root = await Deno.realPath(dir);
        return {
          root,
          kept: true,
          async [Symbol.asyncDispose]() {
            await emptyButCache(root).catch(() => {});
            await Deno.remove(lock).catch(() => {});
          },
        };
      } catch {
        await Deno.remove(lock).catch(() => {});
      }
    }
  } catch {
    // The kit is not writable: a temporary folder below.
  }
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "parakit-typecheck-" }));
  return {
    root,
    kept: false,
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/** Removes everything in `dir` but `deno check`'s cache. */
async function emptyButCache(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name !== ".deno") await Deno.remove(`${dir}/${entry.name}`, { recursive: true });
  }
}

/** Creates the lock file, or takes over a stale one; false when another run holds it. */
async function takeLock(path: string, retried = false): Promise<boolean> {
  try {
    (await Deno.open(path, { write: true, createNew: true })).close();
    return true;
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    const mtime = await Deno.lstat(path).then((info) => info.mtime, () => null);
    if (retried || mtime === null || Date.now() - mtime.getTime() < STALE_LOCK_MS) return false;
    await Deno.remove(path).catch(() => {});
    return await takeLock(path, true);
  }
}
