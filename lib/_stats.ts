/**
 * The Pool engine's counters, and the {@linkcode PoolStats} snapshot made from them.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { JobResult } from "./_protocol.ts";
import type { Slot } from "./_slot.ts";
import type { PoolStats } from "./pool_stats.ts";

/** What a pool has counted so far; see `PoolStats` for each field's meaning. */
export class Counters {
  tasksSubmitted = 0;
  tasksCompleted = 0;
  tasksFailed = 0;
  chunksSent = 0;
  messagesSent = 0;
  messagesReceived = 0;

  /**
   * Counts a job's answer, for the pool and for the worker that gave it.
   *
   * @param slot The worker.
   * @param result Its answer.
   */
  answered(slot: Slot, result: JobResult): void {
    slot.chunks++;
    slot.busyMs += result.busyMs;
    if (result.ok) {
      slot.tasks += result.values.length;
      this.tasksCompleted += result.values.length;
    } else {
      slot.tasks += result.index + 1;
      this.tasksCompleted += result.index;
      this.tasksFailed++;
    }
  }

  /**
   * A plain snapshot of the counters.
   *
   * @param slots The pool's current workers.
   * @param everySlot Every worker it started, oldest first.
   * @returns The snapshot.
   */
  snapshot(slots: readonly Slot[], everySlot: readonly Slot[]): PoolStats {
    return {
      workers: slots.filter((slot) => !slot.exited).length,
      tasksSubmitted: this.tasksSubmitted,
      tasksCompleted: this.tasksCompleted,
      tasksFailed: this.tasksFailed,
      chunksSent: this.chunksSent,
      messagesSent: this.messagesSent,
      messagesReceived: this.messagesReceived,
      perWorker: everySlot.map((slot) => ({
        id: slot.spawned.info.id,
        name: slot.name,
        alive: !slot.exited,
        tasks: slot.tasks,
        chunks: slot.chunks,
        busyMs: slot.busyMs,
      })),
    };
  }
}
