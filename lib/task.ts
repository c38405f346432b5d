/**
 * Typed references to functions that a worker can run.
 *
 * A Worker cannot receive a function: it can only import a module and look a function up in it. A
 * {@linkcode Task} is that lookup, made once, in the module that defines the function, so that the
 * argument and result types flow from the definition to every `pool.map(...)` or `new Process(...)`
 * call site, and a misspelt name is a compile error instead of a run-time surprise.
 *
 * @module
 */

/** Carries a task's argument and result types; never present at run time. */
declare const TASK_TYPES: unique symbol;

/**
 * A reference to a function that a worker can import and run: the URL of the module that defines it
 * and the name it is registered under. It is a plain, cloneable object; the type parameters exist
 * only for the compiler.
 *
 * @typeParam A The task's argument list.
 * @typeParam R The task's result, once awaited.
 */
export interface Task<A extends readonly unknown[] = never[], R = unknown> {
  /** The absolute URL of the module that defines the function. */
  readonly module: string;
  /** The name the function is registered or exported under in that module. */
  readonly name: string;
  /**
   * Type-level only: the task's signature.
   *
   * @ignore
   */
  readonly [TASK_TYPES]?: (...args: A) => R;
}

/** Any function that can be a task. */
// deno-lint-ignore no-explicit-any
export type TaskFunction = (...args: any[]) => unknown;

/** The task type of a function: its parameters and its awaited return type. */
export type TaskOf<F extends TaskFunction> = Task<Parameters<F>, Awaited<ReturnType<F>>>;

/** The argument list of a task. */
export type TaskArgs<T> = T extends Task<infer A, unknown> ? A : never;

/** The result of a task, once awaited. */
export type TaskResult<T> = T extends Task<readonly unknown[], infer R> ? R : never;

const REGISTRY_KEY = Symbol.for("parakit.tasks");

/** One registry per isolate, shared by every copy of this module that the isolate loads. */
function registry(): Map<string, TaskFunction> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, TaskFunction> };
  return holder[REGISTRY_KEY] ??= new Map();
}

function keyOf(module: string, name: string): string {
  return `${module}#${name}`;
}

function absoluteUrl(value: string | URL, caller: string): string {
  if (value instanceof URL) return value.href;
  if (typeof value !== "string") {
    throw new TypeError(
      `Cannot ${caller}: moduleUrl must be a string or URL such as import.meta.url: received ${typeof value}`,
    );
  }
  try {
    return new URL(value).href;
  } catch {
    throw new TypeError(
      `Cannot ${caller}: moduleUrl must be an absolute URL such as import.meta.url: received "${value}"`,
    );
  }
}

/**
 * Defines the tasks of a module: registers each function under its key and returns a typed
 * {@linkcode Task} for each. Call it at the top level of the module that holds the functions, with
 * `import.meta.url`, so that a worker importing the module finds them.
 *
 * Top-level code of that module runs again in every worker that imports it: keep it free of side
 * effects, or guard them with `if (import.meta.main)`.
 *
 * @typeParam T The functions, by name.
 * @param moduleUrl The defining module's URL: pass `import.meta.url`.
 * @param functions The functions to register, keyed by task name.
 * @returns A typed task reference per function, under the same keys.
 * @throws {TypeError} If `moduleUrl` is not an absolute URL or a value is not a function.
 *
 * @example Usage
 * ```ts
 * import { defineTasks } from "./task.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * function square(x: number): number {
 *   return x * x;
 * }
 * const tasks = defineTasks(import.meta.url, { square });
 * equal(tasks.square.name, "square");
 * equal(tasks.square.module, import.meta.url);
 * ```
 */
export function defineTasks<T extends Record<string, TaskFunction>>(
  moduleUrl: string | URL,
  functions: T,
): { readonly [K in keyof T]: TaskOf<T[K]> } {
  const module = absoluteUrl(moduleUrl, "define tasks");
  if (typeof functions !== "object" || functions === null) {
    throw new TypeError("Cannot define tasks: functions must be an object of functions");
  }
  const tasks: Record<string, Task<never[], unknown>> = {};
  for (const [name, fn] of Object.entries(functions)) {
    if (typeof fn !== "function") {
      throw new TypeError(
        `Cannot define task "${name}": expected a function: received ${typeof fn}`,
      );
    }
    registry().set(keyOf(module, name), fn);
    tasks[name] = Object.freeze({ module, name });
  }
  return tasks as { readonly [K in keyof T]: TaskOf<T[K]> };
}

/**
 * A task that names a function exported by a module, for code that cannot edit that module (a
 * grader calling a student's export, say). Prefer {@linkcode defineTasks}: here the name is checked
 * only when a worker imports the module.
 *
 * @typeParam F The exported function's type, usually `typeof import("./mod.ts").name`.
 * @param moduleUrl The module's absolute URL.
 * @param exportName The name of the exported function.
 * @returns A task reference.
 * @throws {TypeError} If `moduleUrl` is not an absolute URL or `exportName` is empty.
 *
 * @example Usage
 * ```ts
 * import { taskFromExport } from "./task.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const task = taskFromExport<(x: number) => number>("file:///kit/tasks.ts", "square");
 * deepEqual(task, { module: "file:///kit/tasks.ts", name: "square" });
 * ```
 */
export function taskFromExport<F extends TaskFunction>(
  moduleUrl: string | URL,
  exportName: string,
): TaskOf<F> {
  const module = absoluteUrl(moduleUrl, "reference a task");
  if (typeof exportName !== "string" || exportName === "") {
    throw new TypeError("Cannot reference a task: exportName must be a non-empty string");
  }
  return Object.freeze({ module, name: exportName }) as TaskOf<F>;
}

/**
 * Checks that a value is a task reference, for APIs that take one.
 *
 * @param value The value to check.
 * @param caller What the caller was doing, for the message (`"map"`).
 * @throws {TypeError} If the value is not a task reference.
 */
export function assertTask(
  value: unknown,
  caller: string,
): asserts value is Task<never[], unknown> {
  const task = value as Partial<Task<never[], unknown>> | null;
  if (
    typeof task !== "object" || task === null || typeof task.module !== "string" ||
    typeof task.name !== "string"
  ) {
    throw new TypeError(
      `Cannot ${caller}: expected a task from defineTasks() or taskFromExport(): received ${
        typeof value === "function" ? "a function (workers cannot receive functions)" : typeof value
      }`,
    );
  }
}

/**
 * Finds the function a task refers to, importing its module first: a task registered by
 * `defineTasks` wins, then a function exported under the task's name. Workers call this.
 *
 * @param task The task reference.
 * @returns The function.
 * @throws {TypeError} If the module has no such task or function export.
 *
 * @example Usage
 * ```ts
 * import { defineTasks, resolveTask } from "./task.ts";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const tasks = defineTasks(import.meta.url, { double: (x: number) => 2 * x });
 * const double = await resolveTask(tasks.double);
 * equal(double(21), 42);
 * ```
 */
export async function resolveTask(task: Task<never[], unknown>): Promise<TaskFunction> {
  const known = registry().get(keyOf(task.module, task.name));
  if (known) return known;
  const module = await import(task.module) as Record<string, unknown>;
  const registered = registry().get(keyOf(task.module, task.name));
  if (registered) return registered;
  const exported = module[task.name];
  if (typeof exported === "function") return exported as TaskFunction;
  throw new TypeError(
    `Cannot run task "${task.name}": ${task.module} has no task or function export named "${task.name}"`,
  );
}
