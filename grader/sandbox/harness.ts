/**
 * The sandbox subprocess's main thread. It reads its configuration once from stdin, connects to the
 * grader's loopback channel with the run's token, loads the student's code in a permission-restricted
 * Worker and the grader's references in a trusted Worker, and answers the grader's requests one at a
 * time, timing each round trip with its own clock and reading the process's CPU time
 * (`cpuUsage()`) around it. For exercise 3's counter it makes the shared memory itself and starts a
 * trusted watcher thread on it. The student's code never sees the token, the channel, this
 * isolate's clock or the watcher; what the student Worker sends back is data, and the harness's own
 * observations travel apart from it (`Reply.trusted`).
 *
 * Run only by `sandbox.ts`, with narrow flags: `--allow-read` of the workspace and the harness files,
 * `--allow-net` of the channel's one port.
 *
 * @module
 */
import process from "node:process";
import type { Fault, Reply, Request, Stalled, StudentOp, Trusted } from "./_protocol.ts";
import type { CounterWatch } from "./counter_watch.ts";
import { histogramRun } from "./histogram_run.ts";
import {
  decodeWire,
  encodeWire,
  type HarnessConfig,
  MAX_LINE_CHARS,
  readLines,
  writeLine,
} from "./_wire.ts";

/** A message from the student or reference Worker. */
interface WorkerMessage {
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

const config = JSON.parse(await new Response(Deno.stdin.readable).text()) as HarnessConfig;
const conn = await Deno.connect({ hostname: "127.0.0.1", port: config.port });
/** The two ends of a Worker's private channel: where requests go and where replies come from. */
interface Channel {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** A started Worker and the channel its driver answers on. */
interface Started {
  worker: Worker;
  channel: Channel;
}

/** One Worker and the request it is answering. */
class Peer {
  #make: () => Started;
  #worker: Worker | undefined;
  #channel: Channel | undefined;
  #pending: ((message: WorkerMessage) => void) | undefined;
  #pendingId: number | undefined;
  #probe: { id: number; resolve: (running: unknown) => void } | undefined;
  #probes = 0;
  #warmed = Promise.withResolvers<void>();

  constructor(make: () => Started) {
    this.#make = make;
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
          ...locate(event.filename, event.lineno),
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

function locate(filename: string | undefined, line: number | undefined): Partial<Fault> {
  if (!filename || !filename.startsWith(config.exerciseUrl)) return {};
  return { file: filename.slice(config.exerciseUrl.length), ...(line ? { line } : {}) };
}

const student = new Peer(() => {
  const worker = new Worker(new URL("./student_worker.ts", import.meta.url), {
    type: "module",
    name: "student",
    deno: {
      permissions: {
        read: config.readable,
        write: false,
        net: false,
        env: false,
        run: false,
        ffi: false,
        sys: false,
        import: false,
      },
    },
  });
  // The driver's only channel: a port it captures before any student file loads. What the
  // student's code posts on the Worker's own channel (self.postMessage) is never read; the port
  // also keeps the requests out of the student's self.onmessage.
  const { port1, port2 } = new MessageChannel();
  worker.onmessage = null;
  worker.postMessage({
    exerciseUrl: config.exerciseUrl,
    libUrl: config.libUrl,
    port: port2,
    ...(config.pools ? { pools: config.pools } : {}),
  }, [port2]);
  return { worker, channel: port1 };
});
// With pools to warm, the student Worker starts now, and the harness answers the grader's channel
// once they are warm (or after WARM_MS): an open sandbox is then a quiet one, ready to be timed.
const WARM_MS = 8_000;
if (config.pools?.length) student.start();
const reference = new Peer(() => {
  const worker = new Worker(new URL("./reference_worker.ts", import.meta.url), {
    type: "module",
    name: "reference",
  });
  return { worker, channel: worker };
});

/** The lib's shared-object symbol (`lib/_shareable.ts`): a shareable object's handle maker. */
const SHARE = Symbol.for("parakit.share");

/** The counter of one `counter` run: made here, watched by a trusted thread, read back here. */
interface CounterRun {
  /** The op as the student Worker gets it: with the counter's shared handle. */
  op: StudentOp;
  /** Stops the watcher and reads the count. */
  finish(): Promise<NonNullable<Trusted["counter"]>>;
}

let watcher: Worker | undefined;

/**
 * Makes exercise 3's shared counter in this isolate (a lib `Value("i", 0)` over memory this
 * isolate allocates), starts the trusted watcher on it, and gives the student Worker only the
 * counter's shared handle. Whatever the student's code does to its copy of the lib, the count read
 * here is the memory's, and the watcher saw how it rose.
 */
async function counterRun(op: StudentOp & { op: "counter" }): Promise<CounterRun> {
  // Only the lib's value module (a few ms), not all of lib/mod.ts (its pool, manager, queues).
  const lib = await import(new URL("value.ts", config.libUrl).href) as {
    Value: new (
      type: string,
      init: number,
    ) => { [SHARE](): { state: { buffer: SharedArrayBuffer } } };
  };
  const shareable = await import(new URL("_shareable.ts", config.libUrl).href) as {
    encodeShared(value: unknown): unknown;
  };
  const value = new lib.Value("i", 0);
  const buffer = value[SHARE]().state.buffer;
  const control = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(control, 0, 1);
  watcher ??= new Worker(new URL("./counter_watch.ts", import.meta.url), {
    type: "module",
    name: "counter-watch",
  });
  const watch = watcher;
  const seen = new Promise<CounterWatch>((resolve) => {
    watch.onmessage = (event: MessageEvent<CounterWatch>) => resolve(event.data);
  });
  watch.postMessage({ counter: buffer, control: control.buffer });
  return {
    op: { ...op, counter: shareable.encodeShared(value) },
    async finish() {
      Atomics.store(control, 0, 0);
      const { changes, grain } = await seen;
      const count = Atomics.load(new Int32Array(buffer, 0, 1), 0);
      return {
        value: count,
        changes,
        ...(grain === undefined ? {} : { grain }),
        intermediate: grain !== undefined,
      };
    },
  };
}

/**
 * Runs a student call; when it has not answered after `stallMs`, asks the driver what is still
 * running and resolves with that instead (the grader then ends the sandbox).
 */
async function runStudent(
  id: number,
  op: unknown,
  stallMs: number | undefined,
): Promise<[WorkerMessage, number] | Stalled> {
  const call = student.run({ id, op });
  if (stallMs === undefined) return await call;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<"stalled">((resolve) => {
    timer = setTimeout(() => resolve("stalled"), stallMs);
  });
  const first = await Promise.race([call, stalled]);
  clearTimeout(timer);
  if (first !== "stalled") return first;
  const running = await student.probe();
  if (running === undefined) return { answered: false };
  return { answered: true, processes: running as Stalled["processes"] };
}

async function answer(request: Request): Promise<Reply> {
  const peer = request.kind === "student" ? student : reference;
  const counter = request.kind === "student" && request.op.op === "counter"
    ? await counterRun(request.op)
    : undefined;
  const histogram = request.kind === "student" && request.op.op === "histogram"
    ? await histogramRun(request.op, config.libUrl)
    : undefined;
  const op = counter?.op ?? histogram?.op ?? request.op;
  const cpuBefore = process.cpuUsage();
  const stallMs = request.kind === "student" ? request.stallMs : undefined;
  const ran = request.kind === "student"
    ? await runStudent(request.id, op, stallMs)
    : await peer.run({ id: request.id, op });
  if (!Array.isArray(ran)) {
    // The grader validates and caps the driver's account: here it only travels.
    return { id: request.id, seconds: (stallMs ?? 0) / 1000, stalled: ran };
  }
  const [message, seconds] = ran;
  const cpu = process.cpuUsage(cpuBefore);
  // The student Worker's message is data: it cannot set what the harness observed itself, nor
  // say that the call stalled (only the harness's clock does).
  const {
    id: _id,
    exit: _exit,
    trusted: _trusted,
    probe: _probe,
    running: _running,
    stalled: _stalled,
    ...rest
  } = message as WorkerMessage & { stalled?: unknown };
  if (rest.fault && request.kind === "student") {
    rest.fault = { file: request.op.file, export: request.op.name, ...rest.fault };
  }
  const trusted: Trusted = { cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  if (counter) {
    trusted.counter = await counter.finish();
    if (!rest.fault) rest.value = trusted.counter.value;
  }
  if (histogram) {
    trusted.histogram = await histogram.finish();
    if (!rest.fault) rest.value = trusted.histogram.bins;
  }
  return { id: request.id, seconds, ...rest, trusted };
}

/**
 * The reply as it can travel: a value that JSON cannot carry (a circular structure) or that is
 * longer than the channel's line limit ({@linkcode MAX_LINE_CHARS}) becomes an error for the
 * student instead of ending the harness or stalling the grader.
 */
function sendable(request: Request, reply: Reply): Reply {
  let name = "RangeError";
  let why: string;
  try {
    const length = encodeWire(reply).length;
    if (length <= MAX_LINE_CHARS) return reply;
    why = `the value is too large to send back (${Math.ceil(length / 1024 / 1024)} MB)`;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    name = "TypeError";
    why = `the value could not be sent back: ${
      /circular/i.test(text) ? "circular structure" : text.split("\n")[0]
    }`;
  }
  return {
    id: reply.id,
    seconds: reply.seconds,
    fault: {
      kind: "error",
      name,
      message: why,
      ...(request.kind === "student" ? { file: request.op.file, export: request.op.name } : {}),
    },
  };
}

if (config.pools?.length) await student.warmed(WARM_MS);
await writeLine(conn, { token: config.token });
for await (const line of readLines(conn.readable)) {
  const request = decodeWire(line) as Request;
  await writeLine(conn, sendable(request, await answer(request)));
}
Deno.exit(0);
