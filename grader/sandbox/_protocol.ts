/**
 * The one message protocol of the sandbox: the grader talks to the harness (the subprocess's main
 * thread) over an authenticated loopback channel; the harness forwards student operations to the
 * restricted student Worker and reference operations to the trusted reference Worker, and times each
 * round trip with its own clock.
 *
 * The harness imports only the types of this file (`import type`), so the subprocess never loads zod.
 *
 * @module
 */
import { z } from "zod";

/** An operation run in the restricted student Worker. Files are names inside the exercise folder. */
export const StudentOpSchema = z.discriminatedUnion("op", [
  /** Imports the file and returns the value of one export (`guesses`). */
  z.object({ op: z.literal("get"), file: z.string(), name: z.string() }),
  /**
   * Imports the file and calls one exported function with `args`; with `pool`, a lib Pool of that
   * many workers is passed after the arguments (kept warm between calls); with `manager`, a lib
   * Manager after the pool: one the harness makes in its own isolate for the call, whose server
   * counts each connection's writes (`Trusted.manager`).
   */
  z.object({
    op: z.literal("call"),
    file: z.string(),
    name: z.string(),
    args: z.array(z.unknown()),
    pool: z.number().int().positive().optional(),
    /**
     * A new pool for this call (the warm one of that size is terminated first): its workers are
     * threads that start during the call, told apart from the calling thread by the OS witness.
     */
    freshPool: z.boolean().optional(),
    manager: z.boolean().optional(),
    /** Set by the harness only: the Manager it made, as the lib's shared handle. */
    managerHandle: z.unknown().optional(),
  }),
  /**
   * Runs the exported task `name` of `file` (`addMany(counter, times)`) on a pool of `workers`
   * workers, `workers` times at once, on one shared `Value("i", 0)`, and returns the final count.
   */
  z.object({
    op: z.literal("counter"),
    /** Set by the harness only: the shared counter it made, as the lib's shared handle. */
    counter: z.unknown().optional(),
    file: z.string(),
    name: z.string(),
    workers: z.number().int().positive(),
    times: z.number().int().nonnegative(),
  }),
  /**
   * Calls the exported `name` of `file` (`fillHistogram(values, histogram, pool)`) with a shared
   * `SharedArray("i", bins)` (and its lock) that the harness made and reads itself, and a pool of
   * `pool` workers; the value is the bins, read from the harness's own memory.
   */
  z.object({
    op: z.literal("histogram"),
    /** Set by the harness only: the histogram it made, as the lib's shared handle. */
    histogram: z.unknown().optional(),
    file: z.string(),
    name: z.string(),
    values: z.array(z.number().int().nonnegative()),
    bins: z.number().int().positive(),
    pool: z.number().int().positive(),
  }),
]);
/** An operation run in the restricted student Worker. */
export type StudentOp = z.infer<typeof StudentOpSchema>;

/** An operation run by the grader's own trusted references (`grader/reference/`). */
export const ReferenceOpSchema = z.object({
  /** The reference's name (`sumRange`, `countPrimes`). */
  name: z.string(),
  /** Its arguments. */
  args: z.array(z.unknown()),
});
/** An operation run by the grader's own trusted references. */
export type ReferenceOp = z.infer<typeof ReferenceOpSchema>;

/** A request from the grader to the harness. */
export const RequestSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("student"),
    id: z.number().int(),
    op: StudentOpSchema,
    /**
     * When the call has not answered after this many milliseconds, the harness asks the student
     * Worker's driver what is still running and replies with {@linkcode StalledSchema} instead.
     */
    stallMs: z.number().int().positive().optional(),
  }),
  z.object({ kind: z.literal("reference"), id: z.number().int(), op: ReferenceOpSchema }),
]);
/** A request from the grader to the harness. */
export type Request = z.infer<typeof RequestSchema>;

/** Why a student operation did not return a value. */
export const FaultSchema = z.object({
  /**
   * `error`: it threw or its module failed to load; `missing-export`: the file has no such export;
   * `exit`: the student's code called `Deno.exit` or `close()`; `crashed`: the Worker died.
   */
  kind: z.enum(["error", "missing-export", "exit", "crashed"]),
  /** The error's name (`TypeError`). */
  name: z.string(),
  /** The error's message, capped. */
  message: z.string(),
  /** The student file the error points at, relative to the exercise folder (`sum_range.ts`). */
  file: z.string().optional(),
  /** The line in that file. */
  line: z.number().int().optional(),
  /** The export that was asked for. */
  export: z.string().optional(),
});
/** Why a student operation did not return a value. */
export type Fault = z.infer<typeof FaultSchema>;

/**
 * What the harness saw itself, in its own isolate, where no student code runs: never taken from the
 * student Worker's messages (the harness drops a `trusted` field they carry).
 */
export const TrustedSchema = z.object({
  /**
   * The whole sandbox process's CPU time (user + system, every thread) over the call, in seconds,
   * from `node:process` `cpuUsage()` read in the harness's isolate: every platform.
   */
  cpuSeconds: z.number().nonnegative().optional(),
  /**
   * Exercise 3's counter, made by the harness in shared memory it reads itself: the final count,
   * and what a trusted watcher thread saw of the count while the workers ran (`changes`: how often
   * it saw the count change; `grain`: the greatest common divisor of the values it saw strictly
   * between the start and the end, 1 when the count rose by ones; `intermediate`: whether it saw
   * any such value).
   */
  counter: z.object({
    value: z.number(),
    changes: z.number().int().nonnegative(),
    grain: z.number().int().positive().optional(),
    intermediate: z.boolean(),
  }).optional(),
  /**
   * Exercise 3's histogram, made by the harness in shared memory it reads itself: the bins after
   * the call, and what a trusted watcher thread saw while the call ran (`owners`: how many
   * different owner ids it saw in the histogram's lock; `ownerIds`: those ids, which the grader
   * matches to the sandbox's OS threads; `changes`: how often it saw the total change).
   */
  histogram: z.object({
    bins: z.array(z.number()),
    owners: z.number().int().nonnegative(),
    ownerIds: z.array(z.number().int()).max(64).optional(),
    changes: z.number().int().nonnegative(),
  }).optional(),
  /**
   * Exercise 3's word count: what the Manager the harness made for the call counted in its own
   * worker (`Manager.stats()`, read by the harness after the call): each connection's writes with
   * the `threadId` its thread reported (which the grader matches to the sandbox's OS threads), and
   * each dict's size, writes and a digest of its contents; `threadId` is the manager worker's own. Capped: the connections
   * that wrote most and the dicts written most, 64 each; `readError` when it could not be read.
   */
  manager: z.object({
    threadId: z.number().int().optional(),
    connections: z.array(z.object({
      threadId: z.number().int(),
      owner: z.boolean(),
      calls: z.number().int().nonnegative(),
      writes: z.number().int().nonnegative(),
    })).max(64),
    dicts: z.array(z.object({
      size: z.number().int().nonnegative(),
      writes: z.number().int().nonnegative(),
      /** SHA-256 of its entries, read by the harness (`manager_run.ts` `entriesDigest`). */
      digest: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    })).max(64),
    readError: z.string().max(500).optional(),
  }).optional(),
});
/** What the harness saw itself. */
export type Trusted = z.infer<typeof TrustedSchema>;

/** One lib Process the driver saw still running when a call stalled. */
export const StalledProcessSchema = z.object({
  /** The Process's name (`"Process-4"`, or the name the code gave it). */
  name: z.string().max(200),
  /** Whether the call was waiting in this Process's `join()`. */
  joining: z.boolean(),
  /** The Queues it was given: how many items each held and whether it was full or empty. */
  queues: z.array(z.object({
    items: z.number().int().nonnegative(),
    full: z.boolean(),
    empty: z.boolean(),
  })).max(16),
});
/** One lib Process the driver saw still running when a call stalled. */
export type StalledProcess = z.infer<typeof StalledProcessSchema>;

/**
 * What was still running when a student call did not answer in time: the harness's `answered`
 * says whether the student Worker's driver answered the probe at all (it cannot while the calling
 * thread itself is blocked or spinning); `processes` is the driver's account, data from the
 * student's isolate that only shapes the message (the status is the harness's clock's).
 */
export const StalledSchema = z.object({
  answered: z.boolean(),
  processes: z.array(StalledProcessSchema).max(16).optional(),
});
/** What was still running when a student call did not answer in time. */
export type Stalled = z.infer<typeof StalledSchema>;

/** What the harness answers to one request. */
export const ReplySchema = z.object({
  /** The request's id. */
  id: z.number().int(),
  /** The returned value (bigints travel tagged, see `_wire.ts`). */
  value: z.unknown().optional(),
  /** The fault, when there is no value. */
  fault: FaultSchema.optional(),
  /** The round trip measured by the harness's main thread, in seconds. */
  seconds: z.number().nonnegative(),
  /** The lib Pool's `stats()` before and after the call, when a pool was passed. */
  statsBefore: z.unknown().optional(),
  /** The lib Pool's `stats()` after the call. */
  statsAfter: z.unknown().optional(),
  /** How many lib Processes were still alive after the call, where the lib can tell. */
  activeChildren: z.number().int().nonnegative().optional(),
  /**
   * What the driver saw the call do with the lib's structures (exercise 3): `processes` (started,
   * joined, the most started Processes one Queue was sent to), `counter` (per worker, the
   * counter's writes, unlocked writes and atomic adds). Raw data: the checks validate it.
   */
  observed: z.record(z.string(), z.unknown()).optional(),
  /** What the harness observed itself ({@linkcode TrustedSchema}); everything else is untrusted. */
  trusted: TrustedSchema.optional(),
  /** The call did not answer within its `stallMs`: what was still running (the sandbox ends). */
  stalled: StalledSchema.optional(),
});
/** What the harness answers to one request. */
export type Reply = z.infer<typeof ReplySchema>;

/** The first message on the channel: proves the peer is the harness of this run. */
export const HelloSchema = z.object({ token: z.string().min(16) });
