/**
 * The Pool's checks at its boundary: `new Pool()`'s options, a call's `transfer` list, counts that
 * must be positive integers. Each throws a `TypeError` for a wrong type, a `RangeError` for a value
 * out of range, with a message naming the call and the option.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { EngineOptions } from "./_engine.ts";
import { encodeShared } from "./_shareable.ts";
import { checkHeapLimit } from "./_spawn.ts";
import { cpuCount } from "./cpu.ts";
import type { PoolOptions } from "./pool_options.ts";
import { assertTask } from "./task.ts";

const DEFAULT_OPTIONS = { initargs: [] as readonly unknown[] } as const;

/**
 * Checks `new Pool()`'s options at the boundary and turns them into the engine's.
 *
 * @param options What the caller passed.
 * @returns The engine's options.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If `processes`, `maxTasksPerChild` or `maxHeapMb` is out of range.
 */
export function engineOptions(options: PoolOptions): EngineOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot start pool: options must be an object: received ${options}`);
  }
  const processes = options.processes ?? cpuCount();
  checkPositiveInteger(processes, "Cannot start pool: processes");
  const { maxTasksPerChild, maxHeapMb, initializer } = options;
  if (maxTasksPerChild !== undefined) {
    checkPositiveInteger(maxTasksPerChild, "Cannot start pool: maxTasksPerChild");
  }
  if (maxHeapMb !== undefined) checkHeapLimit(maxHeapMb, "Cannot start pool");
  const initargs = options.initargs ?? DEFAULT_OPTIONS.initargs;
  if (initializer !== undefined) assertTask(initializer, "start pool: initializer");
  if (!Array.isArray(initargs)) {
    throw new TypeError(
      `Cannot start pool: initargs must be an array of arguments: received ${typeof initargs}`,
    );
  }
  if (initializer === undefined && initargs.length > 0) {
    throw new TypeError("Cannot start pool: initargs were given without an initializer");
  }
  return {
    processes,
    ...(initializer === undefined
      ? {}
      : { initializer, initargs: encodeShared(initargs) as unknown[] }),
    ...(maxTasksPerChild === undefined ? {} : { maxTasksPerChild }),
    ...(maxHeapMb === undefined ? {} : { maxHeapMb }),
  };
}

/**
 * Checks a call's `transfer` option: an array of ArrayBuffers.
 *
 * @throws {TypeError} If it is not, naming the first wrong item (and pointing a typed array to its
 * `.buffer`).
 */
export function checkTransfer(transfer: unknown, caller: string): void {
  const message = `Cannot ${caller}: transfer must be an array of ArrayBuffers: received`;
  if (!Array.isArray(transfer)) throw new TypeError(`${message} ${typeName(transfer)}`);
  const index = transfer.findIndex((buffer) => !(buffer instanceof ArrayBuffer));
  if (index < 0) return;
  const item: unknown = transfer[index];
  const hint = ArrayBuffer.isView(item) ? " (transfer its .buffer)" : "";
  throw new TypeError(`${message} ${typeName(item)} at index ${index}${hint}`);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? name : "object";
}

/**
 * Checks that a count option is a positive integer.
 *
 * @param value The option.
 * @param what What it is, for the message (`"Cannot start pool: processes"`).
 * @throws {TypeError} If it is not a number.
 * @throws {RangeError} If it is not a positive integer.
 */
export function checkPositiveInteger(value: unknown, what: string): void {
  if (typeof value !== "number") {
    throw new TypeError(`${what} must be a positive integer: received ${typeof value}`);
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what} must be a positive integer: received ${value}`);
  }
}
