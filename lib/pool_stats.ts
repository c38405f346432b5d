/**
 * What `Pool.stats()` returns: plain summary objects of what a pool has done so far, as piscina
 * reports its metrics. `pool.ts` re-exports these types.
 *
 * @module
 */

/** What one worker did, in {@linkcode PoolStats.perWorker}. */
export interface WorkerStats {
  /** The worker's id in `activeChildren()`. */
  readonly id: number;
  /** The worker's name (`"PoolWorker-3"`). */
  readonly name: string;
  /** Whether it is still running. */
  readonly alive: boolean;
  /** Task calls it ran (returned or threw). */
  readonly tasks: number;
  /** Jobs it answered: one per `apply`, one per chunk of a map. */
  readonly chunks: number;
  /** Milliseconds spent inside task functions, measured in the worker around each call. */
  readonly busyMs: number;
}

/** What a pool has done so far, from {@linkcode Pool.stats}. */
export interface PoolStats {
  /** Workers running now. */
  readonly workers: number;
  /** Task calls submitted: one per `apply`, one per item of a map. */
  readonly tasksSubmitted: number;
  /** Task calls that returned. */
  readonly tasksCompleted: number;
  /** Task calls that threw. (Calls never run, because cancelled or their worker died, are in neither.) */
  readonly tasksFailed: number;
  /** Jobs sent to workers: one per `apply`, one per chunk of a map. */
  readonly chunksSent: number;
  /** Messages the main side posted to workers (many jobs share one). */
  readonly messagesSent: number;
  /** Messages the main side received from workers. */
  readonly messagesReceived: number;
  /** One entry per worker the pool started (replaced ones included), oldest first. */
  readonly perWorker: readonly WorkerStats[];
}
