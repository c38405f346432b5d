/**
 * Task modules for lib's tests: small functions that return, throw, hang, exit or allocate.
 *
 * @module
 */
import { defineTasks } from "../task.ts";
import { transferResult } from "../pool.ts";

/** Returns its argument squared. */
export function square(x: number): number {
  return x * x;
}

/** Sums a list of numbers. */
export function sum(numbers: number[]): number {
  let total = 0;
  for (const x of numbers) total += x;
  return total;
}

/** Adds its two arguments. */
export function add(a: number, b: number): number {
  return a + b;
}

/** Returns its argument after `ms` milliseconds. */
export async function slowIdentity(x: number, ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return x;
}

/** Returns `ms` after `ms` milliseconds. */
export async function sleepFor(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}

/** Throws a TypeError naming its argument. */
export function fail(x: number): never {
  throw new TypeError(`Cannot take ${x}: it is odd`);
}

/** Fails for odd numbers, squares even ones. */
export function squareEven(x: number): number {
  if (x % 2 === 1) fail(x);
  return x * x;
}

/** Returns a function, which cannot be cloned. */
export function unclonable(): () => number {
  return () => 1;
}

/** Ends its worker with the given exit code. */
export function exitWith(code: number): never {
  Deno.exit(code);
}

/** Throws an uncaught error at the worker's top level, outside the task. */
export function throwLater(message: string): Promise<never> {
  setTimeout(() => {
    throw new Error(message);
  }, 0);
  return new Promise(() => {});
}

/** Allocates until the worker runs out of memory. */
export function exhaustMemory(): number {
  const hoard: number[][] = [];
  while (true) hoard.push(new Array(1_000_000).fill(hoard.length));
}

/** Spins forever without yielding, after setting `started[0]` to 1 when given. */
export function spin(started?: Int32Array): never {
  if (started !== undefined) Atomics.store(started, 0, 1);
  while (true) {
    // never yields
  }
}

/** Sleeps in `Atomics.wait` (blocking its worker) until `flag[0]` is nonzero; returns it. */
export function blockUntilSet(flag: Int32Array): number {
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0);
  return Atomics.load(flag, 0);
}

/** Returns the worker's thread id, to see which worker ran a task. */
export async function threadId(): Promise<number> {
  const { threadId } = await import("node:worker_threads");
  return threadId;
}

/** Stores its argument for `initialized` to return (an initializer). */
export function remember(value: string): void {
  (globalThis as { remembered?: string }).remembered = value;
}

/** Returns what `remember` stored. */
export function recall(): string | undefined {
  return (globalThis as { remembered?: string }).remembered;
}

/** Stores `value` at `index` of a shared array, to show that it travels shared. */
export function store(array: Int32Array, index: number, value: number): number {
  Atomics.store(array, index, value);
  return array.length;
}

/** Returns the length of a buffer as the worker received it. */
export function byteLength(buffer: ArrayBuffer): number {
  return buffer.byteLength;
}

let lastFilled: Float64Array<ArrayBuffer> | undefined;

/** Returns `n` numbers, moving their buffer back instead of copying it. */
export function filled(n: number, value: number): Float64Array<ArrayBuffer> {
  const numbers = new Float64Array(n).fill(value);
  lastFilled = numbers;
  return transferResult(numbers, [numbers.buffer]);
}

/** The length the worker still sees of the last `filled` array: 0 once it moved. */
export function lastFilledLength(): number {
  return lastFilled?.length ?? -1;
}

/** This worker's lock owner id (`selfId`) and its `threadId`. */
export async function ownerAndThread(): Promise<[number, number]> {
  const { selfId } = await import("../_wait.ts");
  const { threadId } = await import("node:worker_threads");
  return [selfId(), threadId];
}

/** The same functions as typed tasks. */
export const tasks = defineTasks(import.meta.url, {
  square,
  sum,
  add,
  slowIdentity,
  sleepFor,
  fail,
  squareEven,
  unclonable,
  exitWith,
  throwLater,
  exhaustMemory,
  ownerAndThread,
  spin,
  blockUntilSet,
  threadId,
  remember,
  recall,
  store,
  byteLength,
  filled,
  lastFilledLength,
});
