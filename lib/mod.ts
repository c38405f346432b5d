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
export {
  defineTasks,
  type Task,
  type TaskArgs,
  taskFromExport,
  type TaskFunction,
  type TaskOf,
  type TaskResult,
} from "./task.ts";
export { activeChildren, type ChildInfo, type ChildKind } from "./children.ts";
export { cpuCount } from "./cpu.ts";
export {
  type ApplyAsyncOptions,
  type ApplyOptions,
  type CallOptions,
  defaultChunksize,
  type ImapOptions,
  type MapAsyncOptions,
  type MapOptions,
  Pool,
  type PoolOptions,
  type PoolStats,
  transferResult,
  type WorkerStats,
} from "./pool.ts";
export {
  AsyncResult,
  type AsyncResultCallbacks,
  BrokenPoolError,
  type GetOptions,
  PoolClosedError,
  type WaitOptions,
} from "./async_result.ts";
export { type SyncWaitOptions, TimeoutError } from "./timeout.ts";
export { Lock, type LockLike, RLock } from "./lock.ts";
export { BoundedSemaphore, Semaphore, type SemaphoreOptions } from "./semaphore.ts";
export { Event } from "./event.ts";
export { Condition, type ConditionOptions } from "./condition.ts";
export { Barrier, type BarrierOptions, BrokenBarrierError } from "./barrier.ts";
export { RawValue, Value, type ValueOptions } from "./value.ts";
export { RawArray, SharedArray, type SharedArrayOptions } from "./shared_array.ts";
export {
  type BigIntTypeCode,
  type ElementOf,
  type LockOption,
  type TypeCode,
  type TypedArrayMap,
  type TypedArrayOf,
} from "./typecodes.ts";
export { DEFAULT_QUEUE_CAPACITY, Queue, type QueueOptions } from "./queue.ts";
export { JoinableQueue } from "./joinable_queue.ts";
export { SimpleQueue } from "./simple_queue.ts";
export { QueueClosedError, QueueEmptyError, QueueFullError } from "./queue_errors.ts";
export {
  Connection,
  Pipe,
  type PipeOptions,
  type RecvBytesIntoOptions,
  type RecvBytesOptions,
  type SendBytesOptions,
} from "./pipe.ts";
export { BufferTooShortError, PipeClosedError } from "./pipe_errors.ts";
export { currentProcess, type ProcessInfo } from "./current_process.ts";
export { type PrestartOptions, prestartWorkers, spareWorkers } from "./prestart_workers.ts";
export {
  DISPOSE_GRACE_MS,
  type JoinOptions,
  KILLED_EXIT_CODE,
  Process,
  type ProcessOptions,
  TERMINATED_EXIT_CODE,
} from "./process.ts";
export {
  type ManagedKind,
  Manager,
  type ManagerConnectionStats,
  type ManagerObjectStats,
  type ManagerStats,
} from "./manager.ts";
export { ManagerClosedError } from "./manager_closed_error.ts";
export { type DictEntries, type DictKey, DictProxy } from "./dict_proxy.ts";
export { ListProxy } from "./list_proxy.ts";
export { NamespaceProxy } from "./namespace_proxy.ts";
export { ValueProxy } from "./value_proxy.ts";
