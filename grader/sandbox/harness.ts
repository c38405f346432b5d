/**
 * The sandbox subprocess's main thread. It reads its configuration once from stdin, connects to the
 * grader's loopback channel with the run's token, loads the student's code in a permission-restricted
 * Worker and the grader's references in a trusted Worker, and answers the grader's requests one at a
 * time, timing each round trip with its own clock and reading the process's CPU time
 * (`cpuUsage()`) around it. For exercise 3's counter it makes the shared memory itself and starts a
 * trusted watcher thread on it; for the word count it makes the Manager (`manager_run.ts`). The
 * student's code never sees the token, the channel, this isolate's clock or the watcher; what the
 * student Worker sends back is data, and the harness's own observations travel apart from it
 * (`Reply.trusted`).
 *
 * Run only by `sandbox.ts` (started by `_subprocess.ts`), with narrow flags: `--allow-read` of the
 * workspace and the harness files, `--allow-net` of the channel's one port.
 *
 * @module
 */
import process from "node:process";
import type { Reply, Request, Stalled, StudentOp, Trusted } from "./_protocol.ts";
import { Peer, type WorkerMessage } from "./_peer.ts";
import type { CounterWatch } from "./counter_watch.ts";
import { histogramRun } from "./histogram_run.ts";
import { managerRun } from "./manager_run.ts";
import {
  decodeWire,
  encodeWire,
  type HarnessConfig,
  MAX_LINE_CHARS,
  readLines,
  writeLine,
} from "./_wire.ts";

const config = JSON.parse(await new Response(Deno.stdin.readable).text()) as HarnessConfig;
const conn = await Deno.connect({ hostname: "127.0.0.1", port: config.port });
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
    ...(config.spares ? { spares: config.spares } : {}),
  }, [port2]);
  return { worker, channel: port1 };
}, config.exerciseUrl);
// With pools to warm, the student Worker starts now, and the harness answers the grader's channel
// once they are warm (or after WARM_MS): an open sandbox is then a quiet one, ready to be timed.
const WARM_MS = 8_000;
const warms = (config.pools?.length ?? 0) > 0 || (config.spares ?? 0) > 0;
if (warms) student.start();
const reference = new Peer(() => {
  const worker = new Worker(new URL("./reference_worker.ts", import.meta.url), {
    type: "module",
    name: "reference",
  });
  return { worker, channel: worker };
}, config.exerciseUrl);

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
  const manager = request.kind === "student" && request.op.op === "call" && request.op.manager
    ? await managerRun(request.op, config.libUrl)
    : undefined;
  const op = counter?.op ?? histogram?.op ?? manager?.op ?? request.op;
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
  if (manager) trusted.manager = await manager.finish();
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

if (warms) await student.warmed(WARM_MS);
await writeLine(conn, { token: config.token });
for await (const line of readLines(conn.readable)) {
  const request = decodeWire(line) as Request;
  await writeLine(conn, sendable(request, await answer(request)));
}
Deno.exit(0);
