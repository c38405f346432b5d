/**
 * The restricted Worker that holds the student's code. It reads only the workspace (the student
 * files and the lib copy), with no write, net, env, run, ffi or sys rights. It imports the student's
 * files on demand, runs one operation at a time, and replies with the value or a fault that names
 * the file, line and export. It keeps no clock the grader trusts: the harness times each round trip.
 * Student code shares this isolate and can patch anything in it, so what this driver reports is data
 * the checks validate: the pool's statistics shape advice only, the counter, histogram and Manager
 * it hands the student are the harness's (which reads them itself), and the Processes and Queue
 * bytes it counts stop token structures, not a student who rewrites these wrappers (see
 * ARCHITECTURE.md).
 *
 * Kept past 300 lines as one driver: every op runner shares its state (the URLs, the grader's pools,
 * the lib's methods captured before any student file loads); the observer lives beside it
 * (`_process_use.ts`).
 *
 * @module
 */
import type { Fault, StudentOp } from "./_protocol.ts";
import { observeProcesses, stillRunning, takeProcessUse } from "./_process_use.ts";

/** The parts of the lib this driver uses, typed loosely: the lib is the workspace's copy. */
interface Lib {
  Pool?: new (options: { processes: number }) => LibPool;
  Value?: new (type: string, init: number) => { value: number };
  Barrier?: new (parties: number) => unknown;
  taskFromExport?: (url: string, name: string) => unknown;
  activeChildren?: () => { kind?: string; id?: number }[];
  Process?: { prototype: Record<PropertyKey, unknown> };
  Queue?: { prototype: Record<PropertyKey, unknown> };
  SimpleQueue?: { prototype: Record<PropertyKey, unknown> };
  prestartWorkers?: (count: number) => Promise<void>;
}

interface LibPool {
  starmap(task: unknown, items: unknown[][], options?: { chunksize?: number }): Promise<unknown[]>;
  stats?: () => unknown;
  terminate?: () => unknown;
}

const MESSAGE_CAP = 2000;

const scope = self as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
};

/**
 * Sends to the harness over the private port it gives in its first message, captured (bound)
 * before any student file loads: the student's code can replace `self.postMessage` or
 * `MessagePort.prototype.postMessage`, but neither reaches the harness.
 */
let send: (message: unknown) => void = () => {};

const exit = Deno.exit;
(Deno as { exit: (code?: number) => never }).exit = (code?: number): never => {
  send({ exit: code ?? 0 });
  return exit(code);
};
const close = scope.close.bind(scope);
scope.close = () => {
  send({ exit: 0 });
  close();
};

/** The lib's own methods, taken before any student file loads (a student can patch prototypes). */
const trusted: { stats?: (this: unknown) => unknown; value?: (this: unknown) => unknown } = {};
const apply = Reflect.apply;

/** Takes {@linkcode trusted}'s methods from the lib, before any student file is imported. */
async function captureLib(): Promise<void> {
  let module: Lib;
  try {
    module = await lib();
  } catch {
    return; // The lib does not load: every call fails on it later, with its error.
  }
  const stats = module.Pool?.prototype.stats;
  if (typeof stats === "function") trusted.stats = stats;
  for (let proto = module.Value?.prototype; proto; proto = Object.getPrototypeOf(proto)) {
    const getter = Object.getOwnPropertyDescriptor(proto, "value")?.get;
    if (getter) {
      trusted.value = getter;
      break;
    }
  }
}

/** The pool's `stats()` through the lib's own method, whatever the student did to the pool. */
function statsOf(pool: LibPool | undefined): unknown {
  if (!pool) return undefined;
  return trusted.stats ? apply(trusted.stats, pool, []) : pool.stats?.();
}

/** A lib Value's count through the lib's own getter. */
function readValue(counter: { value: number }): unknown {
  return trusted.value ? apply(trusted.value, counter, []) : counter.value;
}

let exerciseUrl = "";
let libUrl = "";
const pools = new Map<number, LibPool>();

async function lib(): Promise<Lib> {
  return await import(libUrl) as Lib;
}

function fileOf(text: string): { file?: string; line?: number } {
  const escaped = exerciseUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}([^\\s:)]+):(\\d+)`).exec(text);
  return match ? { file: match[1], line: Number(match[2]) } : {};
}

function faultOf(error: unknown, fallback: { file?: string; export?: string }): Fault {
  const err = error instanceof Error ? error : new Error(String(error));
  let name = err.name || "Error";
  // A module that fails to parse arrives as "TypeError: SyntaxError: ..." with a code frame.
  let text = err.message.split("\n").filter((line) => !/^\s+at /.test(line)).join("\n").trimEnd();
  const inner = /^(SyntaxError|ReferenceError): /.exec(text);
  if (inner) {
    name = inner[1]!;
    text = text.slice(inner[0].length);
  }
  // Name files as the student knows them, not by the workspace's temporary path.
  const root = new URL("../../", exerciseUrl).href;
  text = text.replaceAll(exerciseUrl, "").replaceAll(root, "");
  const message = text.length > MESSAGE_CAP ? `${text.slice(0, MESSAGE_CAP)}...` : text;
  const where = fileOf(`${err.message}\n${err.stack ?? ""}`);
  return {
    kind: "error",
    name,
    message,
    ...fallback,
    ...where,
  };
}

async function load(file: string): Promise<Record<string, unknown>> {
  return await import(new URL(file, exerciseUrl).href) as Record<string, unknown>;
}

async function exported(file: string, name: string): Promise<unknown> {
  const module = await load(file);
  if (!(name in module)) {
    throw Object.assign(new Error(`${file} has no export named "${name}"`), {
      missingExport: true,
    });
  }
  return module[name];
}

/** Pools being warmed up (`HarnessConfig.pools`), by size: settled once every worker ran `ready`. */
const warming = new Map<number, Promise<void>>();

async function poolOf(workers: number, fresh = false): Promise<LibPool> {
  await warming.get(workers);
  const known = pools.get(workers);
  if (known && !fresh) return known;
  if (known) {
    pools.delete(workers);
    await known.terminate?.();
  }
  const { Pool } = await lib();
  if (!Pool) throw new Error("the lib has no Pool yet");
  const pool = new Pool({ processes: workers });
  pools.set(workers, pool);
  return pool;
}

/**
 * Starts the pools the checks will use and runs the grader's `ready` task once on each of their
 * workers, all at once and before any student file loads: a nested Worker's start-up waits
 * (`counter_task.ts`) then overlap instead of adding up pool by pool. A pool that fails to warm up
 * is dropped; the call that needs it starts a new one and meets the failure itself.
 */
function warmPools({ Pool, taskFromExport }: Lib, sizes: readonly number[]): void {
  for (const size of new Set(sizes)) {
    warming.set(
      size,
      (async () => {
        if (!Pool || !taskFromExport) return;
        const pool = new Pool({ processes: size });
        pools.set(size, pool);
        const task = taskFromExport(
          new URL("../../grader/sandbox/counter_task.ts", exerciseUrl).href,
          "ready",
        );
        // One job per worker: the Pool gives each job to the worker with the fewest in flight.
        await pool.starmap(task, Array.from({ length: size }, () => []), { chunksize: 1 });
      })().catch(() => {
        pools.get(size)?.terminate?.();
        pools.delete(size);
      }),
    );
  }
}

async function activeChildren(): Promise<number | undefined> {
  const { activeChildren } = await lib();
  if (!activeChildren) return undefined;
  // The grader's own pools and manager are not the student's: count the student's Processes and
  // the workers of pools the student started and left open.
  const ours = new Set<number>();
  for (const pool of pools.values()) {
    const stats = statsOf(pool) as { perWorker?: { id?: number }[] } | undefined;
    for (const worker of stats?.perWorker ?? []) if (worker.id !== undefined) ours.add(worker.id);
  }
  return activeChildren().filter((child) =>
    child.kind === "process" || (child.kind === "pool" && !ours.has(child.id ?? -1))
  ).length;
}

async function run(op: StudentOp): Promise<Record<string, unknown>> {
  switch (op.op) {
    case "get":
      return { value: await exported(op.file, op.name) };
    case "call":
      return await runCall(op);
    case "counter":
      return await runCounter(op);
    case "histogram":
      return await runHistogram(op);
  }
}

/** A shared object the harness made, revived from its handle as the lib's own. */
async function revived(handle: unknown): Promise<unknown> {
  const { reviveShared } = await import(new URL("_shareable.ts", libUrl).href) as {
    reviveShared(value: unknown): Promise<unknown>;
  };
  return await reviveShared(handle);
}

/** Calls a student export, with a pool and a manager when the op asks, and observes the call. */
async function runCall(op: Extract<StudentOp, { op: "call" }>): Promise<Record<string, unknown>> {
  observeProcesses(await lib());
  const fn = await exported(op.file, op.name) as (...args: unknown[]) => unknown;
  if (typeof fn !== "function") {
    throw Object.assign(new Error(`${op.file}: "${op.name}" is not a function`), {
      missingExport: true,
    });
  }
  const args = [...op.args];
  let pool: LibPool | undefined;
  if (op.pool) {
    pool = await poolOf(op.pool, op.freshPool);
    args.push(pool);
  }
  if (op.manager) {
    // The Manager the harness made (its server counts the writes); revived as the lib's own.
    if (op.managerHandle === undefined) throw new Error("the harness sent no manager");
    args.push(await revived(op.managerHandle));
  }
  return await finishCall(fn, args, pool);
}

/** Runs the student's `addMany` on every worker at once, on the counter the harness made. */
async function runCounter(
  op: Extract<StudentOp, { op: "counter" }>,
): Promise<Record<string, unknown>> {
  const { Barrier, taskFromExport } = await lib();
  if (!Barrier || !taskFromExport) {
    throw new Error("the lib has no Value, Barrier or taskFromExport yet");
  }
  await exported(op.file, op.name);
  // The counter the harness made and reads itself; revived here as the lib's own Value.
  if (op.counter === undefined) throw new Error("the harness sent no counter");
  const counter = await revived(op.counter) as InstanceType<NonNullable<Lib["Value"]>>;
  const barrier = new Barrier(op.workers);
  // The grader's task (copied into the workspace) starts every worker's addMany at once.
  const task = taskFromExport(
    new URL("../../grader/sandbox/counter_task.ts", exerciseUrl).href,
    "startTogether",
  );
  const student = new URL(op.file, exerciseUrl).href;
  const pool = await poolOf(op.workers);
  const items = Array.from(
    { length: op.workers },
    () => [barrier, student, op.name, counter, op.times],
  );
  const uses = await pool.starmap(task, items, { chunksize: 1 });
  // The count is read by the harness from its own memory; this one is only for the record.
  return { value: readValue(counter), observed: { counter: uses } };
}

/** Calls the student's histogram function on the histogram the harness made. */
async function runHistogram(
  op: Extract<StudentOp, { op: "histogram" }>,
): Promise<Record<string, unknown>> {
  observeProcesses(await lib());
  const fn = await exported(op.file, op.name) as (...args: unknown[]) => unknown;
  if (typeof fn !== "function") {
    throw Object.assign(new Error(`${op.file}: "${op.name}" is not a function`), {
      missingExport: true,
    });
  }
  // The histogram the harness made and reads itself; revived here as the lib's SharedArray.
  if (op.histogram === undefined) throw new Error("the harness sent no histogram");
  const histogram = await revived(op.histogram);
  const pool = await poolOf(op.pool);
  // The bins are read by the harness from its own memory, not from what the call returns.
  const { value: _value, ...reply } = await finishCall(
    fn,
    [[...op.values], histogram, pool],
    pool,
  );
  return reply;
}

async function finishCall(
  fn: (...args: unknown[]) => unknown,
  args: unknown[],
  pool: LibPool | undefined,
): Promise<Record<string, unknown>> {
  const statsBefore = statsOf(pool);
  takeProcessUse();
  const value = await fn(...args);
  const processes = takeProcessUse();
  const statsAfter = statsOf(pool);
  return {
    value,
    statsBefore,
    statsAfter,
    activeChildren: await activeChildren(),
    observed: { processes },
  };
}

function answer(event: MessageEvent): void {
  const probe = (event.data as { probe?: unknown })?.probe;
  if (typeof probe === "number") {
    // A call has stalled: say what is still running (this thread is free, so it awaits something).
    send({ probe, running: stillRunning() });
    return;
  }
  const { id, op } = event.data as { id: number; op: StudentOp };
  run(op).then(
    (reply) => {
      try {
        send({ id, ...reply });
      } catch (error) {
        send({
          id,
          fault: faultOf(error, { file: op.file, export: op.name }),
        });
      }
    },
    (error: unknown) => {
      const fault = faultOf(error, { file: op.file, export: op.name });
      if ((error as { missingExport?: boolean })?.missingExport) fault.kind = "missing-export";
      send({ id, fault });
    },
  );
}

// The first and only message on the Worker's own channel: the configuration and the private port.
// Requests arrive on the port, which starts only once the lib's methods are captured.
scope.onmessage = (event: MessageEvent) => {
  scope.onmessage = null;
  const data = event.data as {
    exerciseUrl: string;
    libUrl: string;
    port: MessagePort;
    pools?: number[];
    spares?: number;
  };
  exerciseUrl = data.exerciseUrl;
  libUrl = data.libUrl;
  const port = data.port;
  send = port.postMessage.bind(port);
  captureLib().then(async () => {
    if (Array.isArray(data.pools) || data.spares) {
      const captured = await lib();
      warmPools(captured, data.pools ?? []);
      const warm = [...warming.values()];
      // Spares after the pools have started their workers, so that no grader pool takes them.
      const { prestartWorkers } = captured;
      if (data.spares && prestartWorkers) warm.push(prestartWorkers(data.spares).catch(() => {}));
      // The harness waits for this before it answers the grader: the sandbox opens warm.
      Promise.all(warm).then(() => send({ warmed: true }));
    }
    port.onmessage = answer;
  });
};
