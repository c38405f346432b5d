/**
 * The trusted Worker of the sandbox subprocess that runs the grader's own references
 * (`grader/reference/`), so the harness can time them beside the student's code, interleaved.
 *
 * @module
 */
import type { ReferenceOp } from "./_protocol.ts";
import { referenceCountPrimes } from "../reference/prime_count.ts";
import { referenceSum } from "../reference/sum_range.ts";

const REFERENCES: Record<string, (...args: never[]) => unknown> = {
  sumRange: referenceSum,
  countPrimes: referenceCountPrimes,
};

const scope = self as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

scope.onmessage = (event: MessageEvent) => {
  const { id, op } = event.data as { id: number; op: ReferenceOp };
  const fn = REFERENCES[op.name];
  try {
    if (!fn) throw new Error(`no reference named "${op.name}"`);
    scope.postMessage({ id, value: fn(...op.args as never[]) });
  } catch (error) {
    const err = error as Error;
    scope.postMessage({ id, fault: { kind: "error", name: err.name, message: err.message } });
  }
};
