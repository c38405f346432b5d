/**
 * Exercise 3's pipeline parts: the squares come back in order through two lib Processes and a
 * shared Queue, joined; and with more items than a Queue holds, read before the join.
 *
 * What the verdict rests on: on Linux the operating system must have seen at least two Worker
 * threads end during the call (`_pipeline_witness.ts` `processesEnded`: the producer's and the consumer's, which
 * took the sandbox's spare workers or, with a heap limit, started afresh; the thread list is
 * watched during the call, `sandbox/thread_watch.ts`), and for the full call those threads must
 * have used the CPU time that moving the items takes (`processesMoved`). The driver's
 * counts, kept in the student's isolate ({@linkcode pipelineUse}), say which part is missing and
 * are all there is where there is no /proc (macOS, Windows).
 *
 * @module
 */
import { answerOf, type CheckContext, type Outcome, show } from "./check.ts";
import { isCount, leftRunning } from "./_structures.ts";
import { Witness } from "../sandbox/witness.ts";
import { PIPELINE_MIN_ENDED_WORKERS, processesEnded, processesMoved } from "./_pipeline_witness.ts";
import { WorkerThreadWatch } from "../sandbox/thread_watch.ts";

/**
 * The items of the pipeline's second call: their squares take more than a Queue's 1 MiB buffer
 * (13 bytes a number), so a pipeline that joins its processes before it reads the squares waits
 * for ever: the consumer cannot put the rest, and the caller waits in its join().
 */
export const PIPELINE_FULL_ITEMS = 100_000;

/**
 * Judges whether the pipeline's structure carried the items: at least two lib Processes started
 * and joined, and one Queue, shared by two of them, through which at least the items' bytes flowed
 * (read from the Queue's shared memory after the call). Two idle Processes handed an unused Queue
 * move nothing through it.
 *
 * Every figure here is the driver's, counted in the student's isolate, so a student who rewrites
 * the driver's wrappers or the built-ins they call forges it: it names the missing part for an
 * honest student, and where there is no /proc it is the whole verdict. The OS's witnesses
 * (`_pipeline_witness.ts`: `processesEnded`, `processesMoved`) decide on Linux. The Queue's bytes
 * remain driver data on both calls (nothing outside the student's isolate reads the ring): they
 * stop idle Processes beside a caller that squares the items, not a caller that puts and takes
 * the items itself on a Queue it also hands to the driver's counts.
 *
 * @param observed The reply's `observed` data.
 * @param items How many items the pipeline was given.
 * @returns A failed outcome, or `undefined` when the items went through Processes and a Queue.
 *
 * @example Usage
 * ```ts
 * import { pipelineUse } from "./_pipeline.ts";
 * import { equal } from "node:assert/strict";
 *
 * const idle = { started: 2, joined: 2, queueSharers: 2, queueBytes: 0 };
 * equal(pipelineUse({ processes: idle }, 40)?.status, "failed");
 * equal(pipelineUse({ processes: { ...idle, queueBytes: 600 } }, 40), undefined);
 * ```
 */
export function pipelineUse(observed: unknown, items: number): Outcome | undefined {
  const { started, joined, queueSharers, queueBytes } =
    ((observed as { processes?: unknown } | undefined)?.processes ?? {}) as Record<string, unknown>;
  if (!isCount(started) || !isCount(joined) || !isCount(queueSharers) || !isCount(queueBytes)) {
    return { status: "failed", message: "the grader could not observe the pipeline's processes" };
  }
  if (started < 2) {
    return {
      status: "failed",
      message:
        `pipeline started ${started} lib Process(es): run the producer and the consumer each in its own Process (new Process(task, args).start())`,
    };
  }
  if (joined < started) {
    return {
      status: "failed",
      message: `${
        started - joined
      } of the ${started} Processes it started were not joined: await each process.join() before returning`,
    };
  }
  if (queueSharers < 2) {
    return {
      status: "failed",
      message:
        `no Queue was passed to two of its Processes: the producer puts the items on a Queue that the consumer takes them from`,
    };
  }
  // Each item takes at least 5 bytes on the ring (a 4-byte length and a 1-byte tag).
  if (queueBytes < 5 * items) {
    return {
      status: "failed",
      message:
        `the Queue shared by its Processes carried ${queueBytes} bytes, too few for the ${items} items: the producer Process puts every item on it and the consumer Process takes them off`,
    };
  }
  return undefined;
}

/**
 * Runs the pipeline check on 40 items drawn from the seed: their squares in order, through
 * Processes and a Queue, no process left running. The call runs between two looks of the witness:
 * on Linux two Worker threads must end during it (`processesEnded`); 40 items are too
 * few to weigh their CPU time.
 *
 * @param context The check's context.
 * @param witness The OS's witness (default: this machine's).
 * @returns The outcome.
 *
 * @example Usage
 * ```ts
 * import { pipelineCheck } from "./_pipeline.ts";
 * import type { CheckContext } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * const reply = { id: 1, seconds: 0, value: [1, 4] };
 * const sandbox = { student: () => Promise.resolve(reply) };
 * const context = {
 *   seed: 1,
 *   cores: 2,
 *   timeoutMs: 1000,
 *   progress() {},
 *   sandbox: () => Promise.resolve(sandbox),
 * } as unknown as CheckContext;
 * equal((await pipelineCheck(context)).status, "failed");
 * ```
 */
export async function pipelineCheck(
  context: CheckContext,
  witness: Witness = new Witness(),
): Promise<Outcome> {
  const items = Array.from({ length: 40 }, (_, i) => (i * 7 + context.seed) % 101 - 50);
  const { reply, usage, answer } = await callPipeline(context, items, witness);
  if (!answer.ok) return answer.outcome;
  const expected = items.map((x) => x * x);
  if (
    !Array.isArray(answer.value) || answer.value.length !== expected.length ||
    answer.value.some((x, i) => x !== expected[i])
  ) {
    return {
      status: "failed",
      message: `pipeline([${items.slice(0, 4).join(", ")}, ...]) returned ${
        show(answer.value)
      }, expected [${expected.slice(0, 4).join(", ")}, ...] (${expected.length} squares, in order)`,
    };
  }
  return pipelineUse(reply.observed, items.length) ?? processesEnded(usage) ?? leftRunning(reply) ??
    {
      status: "passed",
      message:
        `${items.length} squares in order through Processes and a Queue; no process left running`,
    };
}

/**
 * Calls the student's `pipeline(items)` in the check's sandbox, with its progress line, between
 * two looks of the witness.
 */
async function callPipeline(context: CheckContext, items: number[], witness: Witness) {
  const sandbox = await context.sandbox();
  context.progress(`pipeline(${items.length} items)`);
  const call = () =>
    sandbox.student(
      { op: "call", file: "pipeline.ts", name: "pipeline", args: [items] },
      { timeoutMs: context.timeoutMs },
    );
  // The thread list is also watched during the call: a Process started afresh (with a heap limit
  // it takes no spare) starts and ends between the witness's two looks.
  const watch = new WorkerThreadWatch(sandbox.pid, witness.readers);
  await watch.start();
  let ended: number | undefined;
  const { result: reply, usage } = await witness.around(sandbox.pid, async () => {
    try {
      return await call();
    } finally {
      // A joined Process's thread may still be exiting: wait for it (briefly) before the last look.
      ended = await watch.stop({ want: PIPELINE_MIN_ENDED_WORKERS });
    }
  });
  if (ended !== undefined) usage.endedWorkers = Math.max(ended, usage.endedWorkers ?? 0);
  return { reply, usage, answer: answerOf(reply) };
}

/**
 * Runs the full pipeline check: {@linkcode PIPELINE_FULL_ITEMS} items, more than a Queue's
 * buffer holds, so a pipeline that joins before it reads ends in the sandbox's timeout.
 *
 * @param context The check's context.
 * @returns The outcome.
 *
 * @example Usage
 * ```ts
 * import { pipelineFullCheck } from "./_pipeline.ts";
 * import type { CheckContext } from "./check.ts";
 * import { equal } from "node:assert/strict";
 *
 * const reply = { id: 1, seconds: 0, value: [] };
 * const sandbox = { student: () => Promise.resolve(reply) };
 * const context = {
 *   seed: 1,
 *   cores: 2,
 *   timeoutMs: 1000,
 *   progress() {},
 *   sandbox: () => Promise.resolve(sandbox),
 * } as unknown as CheckContext;
 * equal((await pipelineFullCheck(context)).status, "failed");
 * ```
 */
export async function pipelineFullCheck(
  context: CheckContext,
  witness: Witness = new Witness(),
): Promise<Outcome> {
  const items = Array.from(
    { length: PIPELINE_FULL_ITEMS },
    (_, i) => (i * 13 + context.seed) % 2001 - 1000,
  );
  // A join before the read ends in the sandbox's timeout, which names what was still running.
  const { reply, usage, answer } = await callPipeline(context, items, witness);
  if (!answer.ok) return answer.outcome;
  const value = answer.value;
  const wrong = !Array.isArray(value) || value.length !== items.length
    ? -1
    : items.findIndex((x, i) => value[i] !== x * x);
  if (wrong !== -1 || !Array.isArray(value)) {
    return {
      status: "failed",
      message: `pipeline(${items.length} items) returned ${
        Array.isArray(value)
          ? `${value.length} values${wrong >= 0 ? `, ${show(value[wrong])} at index ${wrong}` : ""}`
          : show(value)
      }, expected the ${items.length} squares in order`,
    };
  }
  // The rings wrap at this size: their byte counters no longer say what went through (the
  // 40-item check read them); the Processes and the Queue they shared still count.
  return pipelineUse(reply.observed, 0) ?? processesEnded(usage) ?? leftRunning(reply) ??
    processesMoved(usage, items.length) ?? {
    status: "passed",
    message:
      `${items.length} squares in order, more than a Queue's buffer holds: read while the processes ran, joined after`,
  };
}
