/**
 * {@linkcode activeChildren}: the workers `lib/` started in this isolate and that still run, after
 * Python's `multiprocessing.active_children()`. The grader reads it after a student's code returns
 * to report leaked workers.
 *
 * @module
 */

/** What started a child worker. */
export type ChildKind = "pool" | "process" | "manager";

/** One live worker that `lib/` started. */
export interface ChildInfo {
  /** What started it: a `Pool`, a `Process` or a `Manager`. */
  readonly kind: ChildKind;
  /** A number unique in this isolate, counted from 1 in start order. */
  readonly id: number;
  /** A readable name, such as `"PoolWorker-3"`. */
  readonly name: string;
}

/** Where `_children.ts` keeps its registry: one per isolate, whatever copies of `lib/` it loads. */
const REGISTRY_KEY = Symbol.for("parakit.children");

/**
 * Lists every worker that `lib/` started in this isolate and that has not exited yet (pool
 * workers, processes, manager servers), oldest first, like Python's
 * `multiprocessing.active_children()`. A closed and joined pool leaves nothing here.
 *
 * @returns A snapshot: one frozen entry per live child.
 *
 * @example Usage
 * ```ts
 * import { activeChildren } from "./children.ts";
 * import { ok } from "node:assert/strict";
 *
 * const children = activeChildren();
 * ok(Array.isArray(children));
 * ok(children.every((child) => ["pool", "process", "manager"].includes(child.kind)));
 * ```
 */
export function activeChildren(): ChildInfo[] {
  const holder = globalThis as { [REGISTRY_KEY]?: { live: Map<number, ChildInfo> } };
  return [...(holder[REGISTRY_KEY]?.live.values() ?? [])];
}
