/**
 * What a Pool worker's unexpected end means for the pool: the {@linkcode BrokenPoolError} that
 * its pending and later calls fail with, saying how the worker died.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import { BrokenPoolError } from "./async_result.ts";
import { remoteError } from "./_remote_error.ts";
import type { Slot } from "./_slot.ts";
import type { WorkerExit } from "./_spawn.ts";

/**
 * The error that breaks the pool when a worker ends unasked.
 *
 * @param slot The worker that ended.
 * @param exit How it ended.
 * @param maxHeapMb The pool's heap limit, for an out-of-memory message.
 * @returns The error, with the worker's own error (or its initializer's) as its cause.
 */
export function brokenPoolError(
  slot: Slot,
  exit: WorkerExit,
  maxHeapMb: number | undefined,
): BrokenPoolError {
  const cause = exit.fatal !== undefined
    ? remoteError(exit.fatal, { module: "", name: "initializer" }, slot.name)
    : exit.error;
  return new BrokenPoolError(
    `Pool is broken: ${
      describeExit(slot, exit, maxHeapMb)
    }: its pending tasks failed: make a new pool`,
    cause === undefined ? undefined : { cause },
  );
}

function describeExit(slot: Slot, exit: WorkerExit, maxHeapMb: number | undefined): string {
  if (exit.fatal !== undefined) {
    return `${slot.name}'s initializer threw ${exit.fatal.name}: ${exit.fatal.message}`;
  }
  const code = (exit.error as { code?: unknown } | undefined)?.code;
  if (code === "ERR_WORKER_OUT_OF_MEMORY") {
    return `${slot.name} ran out of memory (${
      maxHeapMb === undefined ? "the default heap limit" : `maxHeapMb: ${maxHeapMb}`
    })`;
  }
  if (exit.error !== undefined) {
    return `${slot.name} died of an uncaught error outside its task: ${exit.error.message}`;
  }
  return `${slot.name} exited with code ${exit.code} (Deno.exit() or process.exit() in a task)`;
}
