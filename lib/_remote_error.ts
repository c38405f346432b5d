/**
 * How a task's failure reaches the caller: the worker's error rebuilt on the main side, with the
 * worker's stack as its cause, as Python re-raises a worker's exception.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { JobFailed, TaskRef, WireError } from "./_protocol.ts";

const BUILT_IN_ERRORS: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * The error a failed job rejects with: the task's error rebuilt ({@linkcode remoteError}), or for
 * results that could not be cloned, a `TypeError` naming the task with the clone error as its
 * `cause` (as CPython's `MaybeEncodingError` keeps the pickling error).
 *
 * @param result The failed job's answer.
 * @param task The task.
 * @param worker The worker's name.
 * @returns The error to reject with.
 */
export function jobError(result: JobFailed, task: TaskRef, worker: string): Error {
  const { error } = result;
  if (result.unsendable !== true) return remoteError(error, task, worker);
  return new TypeError(
    `Cannot return the result of task "${task.name}": ${error.message}`,
    error.cause === undefined ? undefined : { cause: remoteError(error.cause, task, worker) },
  );
}

/**
 * Rebuilds a task's error on the main side, as Python re-raises a worker's exception with its
 * remote traceback as the cause: the same name and message (a built-in class when the name is
 * one), and as `cause` an error whose `stack` is the worker's stack.
 *
 * @param wire The error as it travelled.
 * @param task The task that threw.
 * @param worker The worker's name.
 * @returns The error to reject with.
 */
export function remoteError(wire: WireError, task: TaskRef, worker: string): Error {
  const remote = new Error(`Task "${task.name}" failed in ${worker}`);
  remote.name = "RemoteError";
  remote.stack = `RemoteError: task "${task.name}" failed in ${worker}:\n${
    wire.stack ?? `${wire.name}: ${wire.message}`
  }`;
  if (wire.cause !== undefined) remote.cause = remoteError(wire.cause, task, worker);
  const Constructor = BUILT_IN_ERRORS[wire.name] ?? Error;
  const error = new Constructor(wire.message, { cause: remote });
  if (error.name !== wire.name) error.name = wire.name;
  if (wire.code !== undefined) (error as { code?: string }).code = wire.code;
  return error;
}
