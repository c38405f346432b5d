/**
 * parakit's multiprocessing library for Deno: a worker Pool, Processes, shared values and arrays,
 * locks, queues, pipes and a Manager, after Python's `multiprocessing`.
 *
 * Workers cannot receive functions, so a task is a typed reference made once in the module that
 * defines it, with {@linkcode defineTasks}.
 *
 * @example Usage
 * ```ts
 * import { defineTasks } from "./mod.ts";
 * import { equal } from "node:assert/strict";
 *
 * const tasks = defineTasks(import.meta.url, { add: (a: number, b: number) => a + b });
 * equal(tasks.add.name, "add");
 * ```
 *
 * @module
 */
export * from "./task.ts";
export { activeChildren, type ChildInfo, type ChildKind } from "./_children.ts";
export * from "./cpu.ts";
export * from "./pool.ts";
export * from "./async_result.ts";
export * from "./sync.ts";
export * from "./value.ts";
export * from "./shared_array.ts";
export * from "./queue.ts";
export * from "./pipe.ts";
export * from "./process.ts";
export * from "./manager.ts";
