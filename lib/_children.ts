/**
 * A per-isolate registry of every live worker that `lib/` started: pool workers, processes and
 * manager servers, after Python's `multiprocessing.active_children()`.
 *
 * Code in `lib/` registers a worker when it starts it and unregisters it when it has exited; the
 * grader reads {@linkcode activeChildren} after a student's code returns to report leaked workers.
 *
 * This file is private to `lib/`; `children.ts` holds the public {@linkcode activeChildren} and its
 * types (re-exported here for `lib/`'s own files).
 *
 * @module
 */

import type { ChildInfo, ChildKind } from "./children.ts";

export { activeChildren, type ChildInfo, type ChildKind } from "./children.ts";

/** The handle a starter keeps to unregister its worker once it has exited. */
export interface ChildRegistration {
  /** The registered child. */
  readonly info: ChildInfo;
  /** Removes the child from the registry; calling it again does nothing. */
  unregister(): void;
}

const REGISTRY_KEY = Symbol.for("parakit.children");

/** The registry, on `globalThis` under {@linkcode REGISTRY_KEY} (`children.ts` reads it there). */
interface Registry {
  next: number;
  live: Map<number, ChildInfo>;
}

/** One registry per isolate, shared by every copy of this module that the isolate loads. */
function registry(): Registry {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry };
  return holder[REGISTRY_KEY] ??= { next: 1, live: new Map() };
}

/**
 * Registers a worker that is about to start.
 *
 * @param kind What starts it.
 * @param name Its name; `"<Kind>-<id>"` when omitted (`"PoolWorker-3"`, `"Process-4"`).
 * @returns The registration; call its `unregister()` once the worker has exited.
 */
export function registerChild(kind: ChildKind, name?: string): ChildRegistration {
  const reg = registry();
  const id = reg.next++;
  const info: ChildInfo = Object.freeze({ kind, id, name: name ?? `${DEFAULT_NAMES[kind]}-${id}` });
  reg.live.set(id, info);
  return {
    info,
    unregister() {
      reg.live.delete(id);
    },
  };
}

const DEFAULT_NAMES: Readonly<Record<ChildKind, string>> = {
  pool: "PoolWorker",
  process: "Process",
  manager: "Manager",
};

const IMPORTING_KEY = Symbol.for("parakit.importingTaskModule");

/**
 * Marks that this worker is importing a task's module (or not any more). While it is, starting a
 * child throws: a module whose top-level code starts a pool would otherwise start one in every
 * worker that imports it, each of which imports it again (Python raises the same way).
 *
 * @param importing Whether an import is under way.
 */
export function markImportingTaskModule(importing: boolean): void {
  (globalThis as { [IMPORTING_KEY]?: boolean })[IMPORTING_KEY] = importing;
}

/**
 * Throws if a worker is importing a task's module right now (see
 * {@linkcode markImportingTaskModule}).
 *
 * @param caller What was being started, for the message (`"start pool"`).
 * @throws {Error} If called from a task module's top-level code in a worker.
 */
export function assertNotImportingTaskModule(caller: string): void {
  if ((globalThis as { [IMPORTING_KEY]?: boolean })[IMPORTING_KEY] === true) {
    throw new Error(
      `Cannot ${caller}: a worker is importing this task module and its top-level code tries to start workers: guard that code with if (import.meta.main)`,
    );
  }
}
