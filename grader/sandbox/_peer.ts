/**
 * The harness's end of one Worker ({@linkcode Peer}): the student's restricted Worker or the
 * grader's reference Worker, one request at a time, each round trip timed with the harness's own
 * clock. Used only by `harness.ts`, in the sandbox subprocess.
 *
 * @module
 */
import type { Fault } from "./_protocol.ts";

/** A message from the student or reference Worker. */
export interface WorkerMessage {
  id?: number;
  value?: unknown;
  fault?: Fault;
  statsBefore?: unknown;
  statsAfter?: unknown;
  activeChildren?: number;
  exit?: number;
  trusted?: unknown;
  probe?: number;
  running?: unknown;
  warmed?: boolean;
}

/** How long a stalled call's driver has to say what is still running, in milliseconds. */
const PROBE_WAIT_MS = 300;

/** The two ends of a Worker's private channel: where requests go and where replies come from. */
export interface Channel {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** A started Worker and the channel its driver answers on. */
export interface Started {
  worker: Worker;
  channel: Channel;
}

/**
 * One Worker and the request it is answering: started on first use by `make`, it settles a
 * request with the Worker's answer, its `Deno.exit`, or an error that escaped it (placed in the
 * exercise's files, under `exerciseUrl`), and asks a stalled driver what is still running.
 *
 * @example Usage
 * ```ts
 * import { Peer } from "./_peer.ts";
 * import { equal } from "node:assert/strict";
 *
 * const code = "self.onmessage = (e) => self.postMessage({ id: e.data.id, value: e.data.op * 2 });";
 * const url = `data:application/javascript,${encodeURIComponent(code)}`;
 * let worker: Worker | undefined;
 * const peer = new Peer(() => {
 *   worker = new Worker(url, { type: "module" });
 *   return { worker, channel: worker };
 * }, "file:///exercise/");
 * const [reply, seconds] = await peer.run({ id: 1, op: 21 });
 * equal(reply.value, 42);
 * equal(seconds >= 0, true);
 * worker?.terminate();
 * ```
 */
export class Peer {
  #make: () => Started;
  #exerciseUrl: string;
  #worker: Worker | undefined;
  #channel: Channel | undefined;
  #pending: ((message: WorkerMessage) => void) | undefined;
  #pendingId: number | undefined;
  #probe: { id: number; resolve: (running: unknown) => void } | undefined;
  #probes = 0;
  #warmed = Promise.withResolvers<void>();

  /**
   * Makes a peer whose Worker starts on first use.
   *
   * @param make Starts the Worker and gives the channel its driver answers on.
   * @param exerciseUrl The exercise folder's URL, where an escaped error is placed.
   */
  constructor(make: () => Started, exerciseUrl: string) {
    this.#make = make;
    this.#exerciseUrl = exerciseUrl;
  }

  #start(): Channel {
    const { worker, channel } = this.#make();
    this.#worker = worker;
    channel.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (typeof message?.exit === "number") {
        this.#settle({
          fault: {
            kind: "exit",
            name: "Exit",
            message: `the code called Deno.exit(${message.exit}), which ends the worker`,
          },
        });
        this.#discard();
        return;
      }
      if (this.#probe && message?.probe === this.#probe.id) {
        this.#probe.resolve(message.running);
        this.#probe = undefined;
        return;
      }
      // The driver's word that its pools are warm (sent before any student file loads); a later
      // one changes nothing.
      if (message?.warmed === true) {
        this.#warmed.resolve();
        return;
      }
      // A message that does not answer the pending request is ignored: it cannot end the timed
      // round trip early.
      if (message?.id !== this.#pendingId) return;
      this.#settle(message);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#settle({
        fault: {
          kind: "error",
          name: "UncaughtError",
          message: `an error escaped the code (in a callback or timer): ${event.message}`,
          ...locate(this.#exerciseUrl, event.filename, event.lineno),
        },
      });
      this.#discard();
    };
    worker.onmessageerror = () => {
      this.#settle({
        fault: { kind: "error", name: "DataCloneError", message: "the result could not be read" },
      });
    };
    return channel;
  }

  #settle(message: WorkerMessage): void {
    const resolve = this.#pending;
    this.#pending = undefined;
    resolve?.(message);
  }

  #discard(): void {
    this.#warmed.resolve();
    this.#worker?.terminate();
    if (this.#channel instanceof MessagePort) this.#channel.close();
    this.#worker = undefined;
    this.#channel = undefined;
  }

  /**
   * Asks the driver what is still running (while a call is pending) and resolves with its answer,
   * or with `undefined` when it does not answer within {@linkcode PROBE_WAIT_MS}: its thread is
   * blocked or spinning.
   */
  probe(): Promise<unknown> {
    const channel = this.#channel;
    if (!channel) return Promise.resolve(undefined);
    const id = ++this.#probes;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#probe = undefined;
        resolve(undefined);
      }, PROBE_WAIT_MS);
      this.#probe = {
        id,
        resolve: (running) => {
          clearTimeout(timer);
          resolve(running);
        },
      };
      channel.postMessage({ probe: id });
    });
  }

  /** Starts the Worker now rather than at the first request. */
  start(): void {
    this.#channel ??= this.#start();
  }

  /** Settles when the Worker says its pools are warm, when it ends, or after `ms`. */
  warmed(ms: number): Promise<void> {
    return Promise.race([
      this.#warmed.promise,
      new Promise<void>((resolve) => setTimeout(resolve, ms)),
    ]);
  }

  /** Sends one request and resolves with the reply and the round trip in seconds. */
  run(message: { id: number; op: unknown }): Promise<[WorkerMessage, number]> {
    this.#channel ??= this.#start();
    const channel = this.#channel;
    return new Promise((resolve) => {
      const start = performance.now();
      this.#pendingId = message.id;
      this.#pending = (reply) => resolve([reply, (performance.now() - start) / 1000]);
      channel.postMessage(message);
    });
  }
}

function locate(
  exerciseUrl: string,
  filename: string | undefined,
  line: number | undefined,
): Partial<Fault> {
  if (!filename || !filename.startsWith(exerciseUrl)) return {};
  return { file: filename.slice(exerciseUrl.length), ...(line ? { line } : {}) };
}
