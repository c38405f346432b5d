/**
 * Spare workers: `_worker.ts` workers started ahead of need with no setup, each waiting on its port
 * for a `SetupMessage` (`_protocol.ts`). `spawnWorker` takes one when it can, so a Process or a Pool worker
 * starts on a thread that has already paid its start-up: about 10 ms here, and about 500 ms for a
 * worker started inside a Worker on Deno 2.9.6 (an inspector grace period that every nested
 * worker waits out before it runs any code). {@linkcode setSpareCount} sets how many are kept;
 * taking one starts its replacement. Once running, spares are unref'd: they never keep a program
 * alive.
 *
 * This file is private to `lib/`; `prestart_workers.ts` is its public face.
 *
 * @module
 */
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { WorkerData, WorkerSetup } from "./_protocol.ts";

/** The entry of every worker `lib/` starts. */
export const WORKER_URL: URL = new URL("./_worker.ts", import.meta.url);

/** A started worker (a spare or not) and the port it is sent its setup and jobs on. */
export interface PortedWorker {
  /** The worker (a spare's is ref'd again once taken). */
  readonly worker: Worker;
  /** Where its `SetupMessage` and then its jobs go. */
  readonly port: MessagePort;
}

interface Stocked extends PortedWorker {
  /** Settles once its code runs (it says so on its port), or once it has ended. */
  readonly booted: Promise<void>;
  /** Takes it out of the stock when it ends before it is taken. */
  readonly onExit: () => void;
}

const stock: Stocked[] = [];
let target = 0;

/**
 * Starts a `_worker.ts` worker with a port of its own for what it is sent, handed in its
 * `workerData`, not the Worker's built-in channel: in a worker started by a worker, Deno 2.9.6
 * holds the first message of that channel for 500 ms (an inspector grace period,
 * `op_worker_maybe_wait_for_debugger`), and every Process's task is such a first message. Answers
 * still come on the built-in channel. With its setup, or, without one, as a spare that waits for
 * it.
 *
 * @param setup What it runs with; absent for a spare.
 * @param maxHeapMb Its heap limit in MiB, if any.
 * @returns The worker and the port to send it jobs on.
 */
export function startWorker(setup?: WorkerSetup, maxHeapMb?: number): PortedWorker {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_URL, {
    workerData: { port: port2, ...(setup ? { setup } : {}) } satisfies WorkerData,
    transferList: [port2],
    ...(maxHeapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } }),
  });
  return { worker, port: port1 };
}

function startSpare(): void {
  const { worker, port: port1 } = startWorker();
  worker.unref();
  let settle = () => {};
  const booted = new Promise<void>((resolve) => settle = resolve);
  // Its port listens, and so keeps the program alive, only until it says it runs: a program
  // waits for a spare's start (milliseconds, unless nested), never for a spare to be taken.
  port1.once("message", () => {
    port1.unref();
    settle();
  });
  const onExit = () => {
    const index = stock.indexOf(spare);
    if (index >= 0) stock.splice(index, 1);
    port1.close();
    settle();
  };
  const spare: Stocked = { worker, port: port1, booted, onExit };
  worker.once("exit", onExit);
  // An error before it is taken ends it (its exit handler drops it); nobody is waiting on it.
  worker.on("error", ignore);
  stock.push(spare);
}

function ignore(): void {}

/**
 * Takes a spare worker out of the stock, when there is one, and starts its replacement.
 *
 * @returns The spare, ref'd, with no listeners of its own; `undefined` when the stock is empty.
 */
export function takeSpare(): PortedWorker | undefined {
  const spare = stock.shift();
  if (spare === undefined) return undefined;
  spare.worker.off("exit", spare.onExit);
  spare.worker.off("error", ignore);
  spare.worker.ref();
  while (stock.length < target) startSpare();
  return { worker: spare.worker, port: spare.port };
}

/**
 * Keeps `count` spare workers: starts the missing ones and ends the extra ones.
 *
 * @param count How many to keep.
 * @returns Settles once every spare kept has started running its code.
 */
export async function setSpareCount(count: number): Promise<void> {
  target = count;
  while (stock.length < count) startSpare();
  for (const extra of stock.splice(count)) {
    extra.worker.off("exit", extra.onExit);
    extra.port.close();
    void extra.worker.terminate();
  }
  await Promise.all(stock.map((spare) => spare.booted));
}

/**
 * How many spare workers there are now.
 *
 * @returns The stock's size.
 */
export function spareCount(): number {
  return stock.length;
}
