/**
 * What `Manager.stats()` returns: plain summary objects of what a manager's server has served so
 * far, counted in the manager's own worker (as `Pool.stats()` counts a pool's work). `manager.ts`
 * re-exports these types.
 *
 * @module
 */

/** The kinds of objects a manager serves. */
export type ManagedKind = "dict" | "list" | "namespace" | "value";

/** What one connection did, in {@linkcode ManagerStats.connections}. */
export interface ManagerConnectionStats {
  /**
   * The `node:worker_threads` `threadId` of the thread that opened the connection, as that thread
   * reported it: 0 for the main thread and for a web Worker. Every isolate has one connection to a
   * manager, opened by its first proxy call.
   */
  readonly threadId: number;
  /** Whether this is the connection of the isolate that made the manager. */
  readonly owner: boolean;
  /** Calls it made (every proxy call, `stats()` calls left out). */
  readonly calls: number;
  /** Of those, calls that changed an object: `set`, `update`, `increment`, `append`, ... */
  readonly writes: number;
}

/** One object the manager serves, in {@linkcode ManagerStats.objects}. */
export interface ManagerObjectStats {
  /** Its kind. */
  readonly kind: ManagedKind;
  /** Its size now: a dict's keys, a list's items, a namespace's fields; 1 for a value. */
  readonly size: number;
  /** Calls that changed it. */
  readonly writes: number;
}

/** What a manager has served so far, from `Manager.stats()`. */
export interface ManagerStats {
  /** The `threadId` of the manager's own worker. */
  readonly threadId: number;
  /** One entry per connection, the first-opened first. */
  readonly connections: readonly ManagerConnectionStats[];
  /** One entry per object made, the first-made first. */
  readonly objects: readonly ManagerObjectStats[];
}
