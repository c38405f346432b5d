/**
 * The restricted Worker that holds the student's code. It reads only the workspace (the student
 * files and the lib copy), with no write, net, env, run, ffi or sys rights. It imports the student's
 * files on demand, runs one operation at a time, and replies with the value or a fault that names
 * the file, line and export. It keeps no clock the grader trusts: the harness times each round trip.
 *
 * @module
 */
import type { Fault, StudentOp } from "./_protocol.ts";

/** The parts of the lib this driver uses, typed loosely: the lib is the workspace's copy. */
interface Lib {
  Pool?: new (options: { processes: number }) => LibPool;
  Manager?: (new () => LibManager) & { start?: () => Promise<LibManager> | LibManager };
  Value?: new (type: string, init: number) => { value: number };
  Barrier?: new (parties: number) => unknown;
  taskFromExport?: (url: string, name: string) => unknown;
  activeChildren?: () => { kind?: string; id?: number }[];
}

interface LibManager {
  start?: () => unknown;
  shutdown?: () => unknown;
  [Symbol.asyncDispose]?: () => Promise<void>;
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

const exit = Deno.exit;
(Deno as { exit: (code?: number) => never }).exit = (code?: number): never => {
  scope.postMessage({ exit: code ?? 0 });
  return exit(code);
};
const close = scope.close.bind(scope);
scope.close = () => {
  scope.postMessage({ exit: 0 });
  close();
};

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

async function poolOf(workers: number): Promise<LibPool> {
  const known = pools.get(workers);
  if (known) return known;
  const { Pool } = await lib();
  if (!Pool) throw new Error("the lib has no Pool yet");
  const pool = new Pool({ processes: workers });
  pools.set(workers, pool);
  return pool;
}

/** Starts a lib Manager, whether the lib starts one with `Manager.start()` or `new Manager()`. */
async function startManager(): Promise<LibManager> {
  const { Manager } = await lib();
  if (!Manager) throw new Error("the lib has no Manager yet");
  if (typeof Manager.start === "function") return await Manager.start();
  const manager = new Manager();
  await manager.start?.();
  return manager;
}

async function activeChildren(): Promise<number | undefined> {
  const { activeChildren } = await lib();
  if (!activeChildren) return undefined;
  // The grader's own pools and manager are not the student's: count the student's Processes and
  // the workers of pools the student started and left open.
  const ours = new Set<number>();
  for (const pool of pools.values()) {
    const stats = pool.stats?.() as { perWorker?: { id?: number }[] } | undefined;
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
    case "call": {
      const fn = await exported(op.file, op.name) as (...args: unknown[]) => unknown;
      if (typeof fn !== "function") {
        throw Object.assign(new Error(`${op.file}: "${op.name}" is not a function`), {
          missingExport: true,
        });
      }
      const args = [...op.args];
      let pool: LibPool | undefined;
      if (op.pool) {
        pool = await poolOf(op.pool);
        args.push(pool);
      }
      if (op.manager) {
        const manager = await startManager();
        args.push(manager);
        try {
          return await finishCall(fn, args, pool);
        } finally {
          if (manager.shutdown) await manager.shutdown();
          else await manager[Symbol.asyncDispose]?.();
        }
      }
      return await finishCall(fn, args, pool);
    }
    case "counter": {
      const { Value, Barrier, taskFromExport } = await lib();
      if (!Value || !Barrier || !taskFromExport) {
        throw new Error("the lib has no Value, Barrier or taskFromExport yet");
      }
      await exported(op.file, op.name);
      const counter = new Value("i", 0);
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
      await pool.starmap(task, items, { chunksize: 1 });
      return { value: counter.value };
    }
  }
}

async function finishCall(
  fn: (...args: unknown[]) => unknown,
  args: unknown[],
  pool: LibPool | undefined,
): Promise<Record<string, unknown>> {
  const statsBefore = pool?.stats?.();
  const value = await fn(...args);
  const statsAfter = pool?.stats?.();
  return { value, statsBefore, statsAfter, activeChildren: await activeChildren() };
}

scope.onmessage = (event: MessageEvent) => {
  const data = event.data as { exerciseUrl?: string; libUrl?: string; id?: number; op?: StudentOp };
  if (data.exerciseUrl !== undefined && data.libUrl !== undefined) {
    exerciseUrl = data.exerciseUrl;
    libUrl = data.libUrl;
    return;
  }
  const { id, op } = data as { id: number; op: StudentOp };
  run(op).then(
    (reply) => {
      try {
        scope.postMessage({ id, ...reply });
      } catch (error) {
        scope.postMessage({
          id,
          fault: faultOf(error, { file: op.file, export: op.name }),
        });
      }
    },
    (error: unknown) => {
      const fault = faultOf(error, { file: op.file, export: op.name });
      if ((error as { missingExport?: boolean })?.missingExport) fault.kind = "missing-export";
      scope.postMessage({ id, fault });
    },
  );
};
