/**
 * The sandbox subprocess's main thread. It reads its configuration once from stdin, connects to the
 * grader's loopback channel with the run's token, loads the student's code in a permission-restricted
 * Worker and the grader's references in a trusted Worker, and answers the grader's requests one at a
 * time, timing each round trip with its own clock. The student's code never sees the token, the
 * channel or this isolate's clock.
 *
 * Run only by `sandbox.ts`, with narrow flags: `--allow-read` of the workspace and the harness files,
 * `--allow-net` of the channel's one port.
 *
 * @module
 */
import type { Fault, Reply, Request } from "./_protocol.ts";
import { decodeWire, type HarnessConfig, readLines, writeLine } from "./_wire.ts";

/** A message from the student or reference Worker. */
interface WorkerMessage {
  id?: number;
  value?: unknown;
  fault?: Fault;
  statsBefore?: unknown;
  statsAfter?: unknown;
  activeChildren?: number;
  exit?: number;
}

const config = JSON.parse(await new Response(Deno.stdin.readable).text()) as HarnessConfig;
const conn = await Deno.connect({ hostname: "127.0.0.1", port: config.port });
/** One Worker and the request it is answering. */
class Peer {
  #make: () => Worker;
  #worker: Worker | undefined;
  #pending: ((message: WorkerMessage) => void) | undefined;
  #pendingId: number | undefined;

  constructor(make: () => Worker) {
    this.#make = make;
  }

  #start(): Worker {
    const worker = this.#make();
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
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
      // A message that does not answer the pending request (the student's own postMessage) is
      // ignored: it cannot end the timed round trip early.
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
    return worker;
  }

  #settle(message: WorkerMessage): void {
    const resolve = this.#pending;
    this.#pending = undefined;
    resolve?.(message);
  }

  #discard(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  /** Sends one request and resolves with the reply and the round trip in seconds. */
  run(message: { id: number; op: unknown }): Promise<[WorkerMessage, number]> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    return new Promise((resolve) => {
      const start = performance.now();
      this.#pendingId = message.id;
      this.#pending = (reply) => resolve([reply, (performance.now() - start) / 1000]);
      worker.postMessage(message);
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
  worker.postMessage({ exerciseUrl: config.exerciseUrl, libUrl: config.libUrl });
  return worker;
});
const reference = new Peer(() =>
  new Worker(new URL("./reference_worker.ts", import.meta.url), {
    type: "module",
    name: "reference",
  })
);

async function answer(request: Request): Promise<Reply> {
  const peer = request.kind === "student" ? student : reference;
  const [message, seconds] = await peer.run({ id: request.id, op: request.op });
  const { id: _id, exit: _exit, ...rest } = message;
  if (rest.fault && request.kind === "student") {
    rest.fault = { file: request.op.file, export: request.op.name, ...rest.fault };
  }
  return { id: request.id, seconds, ...rest };
}

await writeLine(conn, { token: config.token });
for await (const line of readLines(conn.readable)) {
  await writeLine(conn, await answer(decodeWire(line) as Request));
}
Deno.exit(0);
