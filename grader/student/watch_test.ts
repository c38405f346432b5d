import { ok } from "node:assert/strict";
import { watchFolder } from "./watch.ts";

Deno.test("watchFolder() runs once, runs again after changes, and stops when aborted", async () => {
  const folder = await Deno.makeTempDir();
  const stop = new AbortController();
  let runs = 0;
  let second: () => void = () => {};
  const secondRun = new Promise<void>((resolve) => second = resolve);
  const watching = watchFolder(folder, () => {
    runs++;
    if (runs === 2) second();
    return Promise.resolve();
  }, { debounceMs: 50, signal: stop.signal });
  // Let the watcher start, then write a burst of changes.
  while (runs < 1) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (let i = 0; i < 5; i++) {
    await Deno.writeTextFile(`${folder}/a.ts`, `export const a = ${i};\n`);
  }
  await secondRun;
  stop.abort();
  await watching;
  ok(runs >= 2, `ran ${runs} times`);
  await Deno.remove(folder, { recursive: true });
});
