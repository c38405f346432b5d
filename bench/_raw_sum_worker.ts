/**
 * The hand-written floor of `pool_lesson.ts`: a raw `node:worker_threads` worker that receives a
 * batch of `[lo, hi)` ranges, calls `sumChunk` once per range and posts the sums back with its
 * busy time (the milliseconds spent in the calls).
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { sumChunk } from "./_tasks.ts";

parentPort!.on("message", (batch: { id: number; ranges: [number, number][] }) => {
  const { ranges } = batch;
  const sums: number[] = new Array(ranges.length);
  const start = performance.now();
  for (let i = 0; i < ranges.length; i++) sums[i] = sumChunk(ranges[i]!);
  parentPort!.postMessage({ id: batch.id, sums, busyMs: performance.now() - start });
});
