/**
 * The task every `Process` runs in its worker: it waits until the parent has written the
 * process's name and id into shared memory, records them for `currentProcess()`, then imports and
 * runs the process's own task.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import { markImportingTaskModule } from "./_children.ts";
import { defineTasks, resolveTask, type Task } from "./task.ts";

const SELF_KEY = Symbol.for("parakit.currentProcess");

/** Bytes of an identity's shared memory: a ready word, the id, the name's length, the name. */
export const IDENTITY_BYTES = 12 + 1024;

/**
 * Writes a started process's identity for its worker, which waits for it.
 *
 * @param identity The shared memory passed to the worker.
 * @param name The process's name.
 * @param pid Its id.
 */
export function writeIdentity(identity: SharedArrayBuffer, name: string, pid: number): void {
  const words = new Int32Array(identity, 0, 3);
  const { written } = new TextEncoder().encodeInto(name, new Uint8Array(identity, 12));
  words[1] = pid;
  words[2] = written;
  Atomics.store(words, 0, 1);
  Atomics.notify(words, 0);
}

async function runAsProcess(
  identity: SharedArrayBuffer,
  task: Task<never[], unknown>,
  args: unknown[],
): Promise<void> {
  const words = new Int32Array(identity, 0, 3);
  Atomics.wait(words, 0, 0, 10_000); // written right after the worker started
  const name = new TextDecoder().decode(new Uint8Array(identity, 12, words[2]!).slice());
  (globalThis as { [SELF_KEY]?: unknown })[SELF_KEY] = Object.freeze({ name, pid: words[1]! });
  markImportingTaskModule(true);
  let fn;
  try {
    fn = await resolveTask(task);
  } finally {
    markImportingTaskModule(false);
  }
  await fn(...args);
}

/** The entry task of every Process. */
export const processEntry = defineTasks(import.meta.url, { runAsProcess });
