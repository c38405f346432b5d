/**
 * `deno task watch`: re-runs a check whenever a file in the exercise folder changes, until stopped.
 * Changes that arrive together (an editor's save writes, renames and touches) are run once, after a
 * short quiet time; a run is never started while another one is still going.
 *
 * @module
 */

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
