/**
 * `deno task watch`: re-runs a check whenever a file in the exercise folder changes, until stopped.
 * Changes that arrive together (an editor's save writes, renames and touches) are run once, after a
 * short quiet time; a run is never started while another one is still going.
 *
 * @module
 */
import type { Catalog, CatalogEntry } from "../catalog.ts";
import { EXIT } from "../_exit.ts";
import type { CheckExerciseOptions } from "../runner.ts";
import { type CliIo, pickExercise } from "./_command.ts";
import { runChecks } from "./check.ts";
import { progressPath, readProgress } from "./progress.ts";

/** Options of {@linkcode watchFolder}. */
export interface WatchOptions {
  /** Quiet time after the last change before a run, in milliseconds. Default 300. */
  debounceMs?: number;
  /** Stops watching when aborted; the run in progress finishes first. */
  signal?: AbortSignal;
}

/**
 * Runs `run` once, then again after every burst of changes in `folder`, until `signal` aborts.
 *
 * @param folder The folder to watch (recursively).
 * @param run What to do on each change: check the exercise and print the report.
 * @param options The quiet time and the stop signal.
 * @returns When the watch has stopped and the last run has finished.
 *
 * @example Usage
 * ```ts
 * import { watchFolder } from "./watch.ts";
 * import { equal } from "node:assert/strict";
 *
 * const folder = await Deno.makeTempDir();
 * const stop = new AbortController();
 * let runs = 0;
 * await watchFolder(folder, () => {
 *   runs++;
 *   stop.abort();
 *   return Promise.resolve();
 * }, { signal: stop.signal });
 * equal(runs, 1);
 * await Deno.remove(folder);
 * ```
 */
export async function watchFolder(
  folder: string,
  run: () => Promise<void>,
  options: WatchOptions = {},
): Promise<void> {
  const debounceMs = options.debounceMs ?? 300;
  const signal = options.signal;
  let running = run();
  await running;
  if (signal?.aborted) return;
  const watcher = Deno.watchFs(folder);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = new Promise<void>((resolve) => {
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  const changes = (async () => {
    for await (const event of watcher) {
      if (event.kind === "access") continue;
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(run);
      }, debounceMs);
    }
  })();
  await Promise.race([stopped, changes]);
  clearTimeout(timer);
  watcher.close();
  await changes;
  await running;
}

/** Options of {@linkcode watchCommand}. */
export interface WatchCommandOptions {
  /** The kit's root. */
  kitRoot: string;
  /** Where output goes. */
  io: CliIo;
  /** Overrides of the runner's options. Default: none. */
  runner?: CheckExerciseOptions;
}

/**
 * `deno task watch [N]`: checks the exercise (without a name, the first one not passed yet) on
 * every save of its folder, until Ctrl-C.
 *
 * @param catalog The catalog.
 * @param name The exercise named on the command line, if any.
 * @param options The kit, where output goes, the runner's overrides.
 * @returns {@linkcode EXIT}`.passed` once the watch is stopped.
 * @throws {UsageError} When no exercise has that name.
 *
 * @example Usage
 * ```ts
 * import { watchCommand } from "./watch.ts";
 * import { UsageError } from "./_command.ts";
 * import { loadCatalog } from "../catalog.ts";
 * import { rejects } from "node:assert/strict";
 *
 * const kitRoot = new URL("../..", import.meta.url).pathname;
 * const io = { out() {}, err() {}, color: false, progress: false };
 * await rejects(watchCommand(await loadCatalog(kitRoot), "99", { kitRoot, io }), UsageError);
 * ```
 */
export async function watchCommand(
  catalog: Catalog,
  name: string | undefined,
  options: WatchCommandOptions,
): Promise<number> {
  const { kitRoot, io, runner = {} } = options;
  let entry: CatalogEntry;
  if (name === undefined) {
    const progress = await readProgress(progressPath(kitRoot));
    entry = catalog.exercises.find((e) => progress.exercises[e.slug]?.status !== "passed") ??
      catalog.exercises[0]!;
  } else {
    entry = pickExercise(catalog, name, "watch");
  }
  const once = async () => {
    if (io.color) io.out("\x1b[2J\x1b[H");
    await runChecks([entry], { kitRoot, io, runner });
    io.out(`watching ${entry.slug}/ for changes (Ctrl-C to stop)\n`);
  };
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  try {
    Deno.addSignalListener("SIGINT", onInterrupt);
  } catch {
    // No signals on this platform: Ctrl-C ends the process.
  }
  try {
    await watchFolder(`${kitRoot}/exercises/${entry.slug}`, once, { signal: stop.signal });
  } finally {
    try {
      Deno.removeSignalListener("SIGINT", onInterrupt);
    } catch {
      // Never added.
    }
  }
  return EXIT.passed;
}
