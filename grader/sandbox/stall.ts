/**
 * The words of a call that did not finish in time: what was still running when it stalled, from
 * the student Worker's own account (`Reply.stalled`). That account comes from the student's
 * isolate, so it only shapes the message; the status (`timeout`) is the harness's clock's.
 *
 * @module
 */
import type { Stalled } from "./_protocol.ts";

/** What is said when nothing more precise is known. */
export const STALL_GUESS = "an endless loop, a deadlock or a promise that never resolves?";

/**
 * Says what was still running when a call stalled: each lib Process still alive, what it is
 * blocked on (a full Queue nobody reads, an empty Queue nobody puts into), and what the caller
 * was waiting for.
 *
 * @param stalled The harness's report, or `undefined` when there was none.
 * @returns A clause to put right after "did not finish within N s" (it starts with its own space or
 * colon).
 *
 * @example Usage
 * ```ts
 * import { describeStall } from "./stall.ts";
 * import { match } from "node:assert/strict";
 *
 * const full = { items: 80_000, full: true, empty: false };
 * const text = describeStall({
 *   answered: true,
 *   processes: [{ name: "producer", joining: true, queues: [full] }],
 * });
 * match(text, /the Process "producer" is still running: it is blocked putting into a full Queue/);
 * match(text, /read the results before you join/);
 * ```
 */
export function describeStall(stalled: Stalled | undefined): string {
  if (!stalled) return ` (${STALL_GUESS})`;
  if (!stalled.answered) {
    return ` (the calling thread itself is busy or blocked: an endless loop, or a blocking get(), join or lock on the calling thread? Use the async forms there: await queue.getAsync(), await process.join())`;
  }
  const processes = stalled.processes ?? [];
  if (processes.length === 0) return ` (${STALL_GUESS})`;
  const parts = processes.slice(0, 4).map((process) => {
    const full = process.queues.find((queue) => queue.full);
    const empty = process.queues.length > 0 && process.queues.every((queue) => queue.empty);
    const what = full
      ? `it is blocked putting into a full Queue (${full.items} items) nobody reads`
      : empty
      ? "it is blocked getting from an empty Queue nobody puts into (a missing end marker?)"
      : "it has not ended";
    const waiting = process.joining ? ", and the call is waiting in its join()" : "";
    return `the Process "${process.name}" is still running: ${what}${waiting}`;
  });
  const more = processes.length > 4 ? `; and ${processes.length - 4} more` : "";
  const joinsFull = processes.some((p) => p.queues.some((queue) => queue.full)) &&
    processes.some((p) => p.joining);
  const advice = joinsFull
    ? "; read the results before you join (a put waits while its Queue is full)"
    : "";
  return `: ${parts.join("; ")}${more}${advice}`;
}
