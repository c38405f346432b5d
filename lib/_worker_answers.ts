/**
 * The Pool worker's outgoing side (`_worker.ts` decides when): the answers gathered since the last
 * message, the buffers their results asked to move, and the message that sends them. An answer
 * whose result cannot be cloned fails its job instead of the whole batch.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { encodeShared } from "./_shareable.ts";
import {
  type FromWorker,
  isDataCloneError,
  type JobFailed,
  type JobResult,
  takeTransfer,
  toWireError,
} from "./_protocol.ts";

let answers: JobResult[] = [];
let outgoing: ArrayBuffer[] = [];
let lastFlush = performance.now();

/** Gathers a job's answer for the next {@linkcode flush}. */
export function addAnswer(result: JobResult): void {
  answers.push(result);
}

/** Whether answers wait to be sent. */
export function hasAnswers(): boolean {
  return answers.length > 0;
}

/** Milliseconds since the last {@linkcode flush}. */
export function msSinceFlush(): number {
  return performance.now() - lastFlush;
}

/**
 * Encodes a result for travel, noting the buffers it asked to move (`transferResult`).
 *
 * @param value A task's result.
 * @returns What to put in the answer.
 */
export function encodeResult(value: unknown): unknown {
  const moved = takeTransfer(value);
  if (moved !== undefined) outgoing.push(...moved);
  return encodeShared(value);
}

/** Sends the answers gathered so far; one that cannot be cloned fails its job instead. */
export function flush(): void {
  if (answers.length === 0) return;
  const results = answers;
  let moving = outgoing.length === 0 ? undefined : [...new Set(outgoing)];
  answers = [];
  outgoing = [];
  lastFlush = performance.now();
  try {
    post({ type: "done", results }, moving);
    return;
  } catch (error) {
    if (!isDataCloneError(error)) throw error;
  }
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    try {
      post({ type: "done", results: [result] }, moving);
      moving = undefined;
    } catch (error) {
      if (!isDataCloneError(error)) throw error;
      const refusal = new TypeError(
        `it cannot be cloned (functions, symbols and class instances with private state cannot travel): ${
          (error as Error).message
        }`,
        { cause: error },
      );
      const unsendable: JobFailed = {
        id: result.id,
        ok: false,
        error: toWireError(refusal),
        index: 0,
        busyMs: result.busyMs,
        unsendable: true,
      };
      post({ type: "done", results: [unsendable] });
    }
  }
}

/** Posts a message to the main side. */
export function post(message: FromWorker, transfer?: ArrayBuffer[]): void {
  parentPort!.postMessage(message, transfer ?? []);
}
