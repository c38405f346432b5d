import { equal, match, ok, rejects } from "node:assert/strict";
import { KIT_ROOT } from "../runner.ts";
import { Sandbox, SandboxFailure } from "./sandbox.ts";

const SLUG = "01_guess_run_times";

const SOURCE = `
export function sum(lo: number, hi: number): bigint {
  let total = 0n;
  for (let i = lo; i < hi; i++) total += BigInt(i);
  return total;
}
export function spin(): void {
  while (true) { /* never yields */ }
}
export function hoard(): number {
  const kept: Uint8Array[] = [];
  for (let i = 0; i < 400; i++) kept.push(new Uint8Array(16 * 1024 * 1024).fill(1));
  return kept.length;
}
export const huge = "y".repeat(5_000_000);
export const circular: Record<string, unknown> = { serial: 1 };
circular.me = circular;
export function where(): string {
  return import.meta.url;
}
export async function npm(): Promise<string> {
  try {
    await import("npm:is-odd@3.0.1");
    return "loaded";
  } catch (error) {
    return String(error);
  }
}
export function chatter(): number {
  for (let i = 0; i < 2000; i++) console.log("line " + i + " " + "x".repeat(100));
  return 1;
}
`;

async function withSandbox(
  options: {
    memoryMb?: number;
    outputBytes?: number;
    signal?: AbortSignal;
    cpus?: readonly number[];
  },
  body: (sandbox: Sandbox) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/mod.ts`, SOURCE);
  const sandbox = await Sandbox.open({
    kitRoot: KIT_ROOT,
    slug: SLUG,
    sourceDir: dir,
    files: ["mod.ts"],
    heapMb: 256,
    ...options,
  });
  try {
    await body(sandbox);
  } finally {
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("Sandbox.student() returns bigints intact and times the call", async () => {
  await withSandbox({}, async (sandbox) => {
    const reply = await sandbox.student({
      op: "call",
      file: "mod.ts",
      name: "sum",
      args: [1, 101],
    });
    equal(reply.value, 5050n);
    ok(reply.seconds > 0 && reply.seconds < 5);
    const reference = await sandbox.reference({ name: "sumRange", args: [1, 101] });
    equal(reference.value, 5050n);
  });
});

Deno.test("Sandbox ends a spinning call with a timeout, and later calls fail the same way", async () => {
  await withSandbox({}, async (sandbox) => {
    const started = performance.now();
    await rejects(
      sandbox.student({ op: "call", file: "mod.ts", name: "spin", args: [] }, { timeoutMs: 500 }),
      (error: unknown) => error instanceof SandboxFailure && error.status === "timeout",
    );
    ok(performance.now() - started < 3000);
    equal(sandbox.failure?.status, "timeout");
    match(sandbox.failure?.message ?? "", /spin\(\) in mod\.ts did not finish within 500 ms/);
    await rejects(
      sandbox.student({ op: "call", file: "mod.ts", name: "sum", args: [1, 2] }),
      SandboxFailure,
    );
  });
});

Deno.test("Sandbox ends a process whose memory passes the cap (watched from outside)", async () => {
  await withSandbox({ memoryMb: 300 }, async (sandbox) => {
    await rejects(
      sandbox.student({ op: "call", file: "mod.ts", name: "hoard", args: [] }, {
        timeoutMs: 20_000,
      }),
      (error: unknown) => error instanceof SandboxFailure && error.status === "out-of-memory",
    );
    match(sandbox.failure?.message ?? "", /hoard\(\) in mod\.ts used more than 300 MiB/);
  });
});

Deno.test("Sandbox keeps the student's output, capped", async () => {
  await withSandbox({ outputBytes: 1000 }, async (sandbox) => {
    const reply = await sandbox.student({ op: "call", file: "mod.ts", name: "chatter", args: [] });
    equal(reply.value, 1);
    await sandbox.close();
    match(sandbox.output, /^line 0 x+/);
    match(sandbox.output, /more bytes of output cut\]$/);
    ok(sandbox.output.length < 1200);
  });
});

Deno.test("Sandbox ends the run when its signal aborts", async () => {
  const stop = new AbortController();
  await withSandbox({ signal: stop.signal }, async (sandbox) => {
    const call = sandbox.student({ op: "call", file: "mod.ts", name: "spin", args: [] }, {
      timeoutMs: 20_000,
    });
    setTimeout(() => stop.abort(), 200);
    await rejects(call, (error: unknown) => error instanceof SandboxFailure);
    match(sandbox.failure?.message ?? "", /cancelled/);
  });
});

Deno.test("Sandbox.student() answers a circular value with an error, and the sandbox goes on", async () => {
  await withSandbox({}, async (sandbox) => {
    const reply = await sandbox.student({ op: "get", file: "mod.ts", name: "circular" });
    equal(reply.fault?.kind, "error");
    match(reply.fault!.message, /^the value could not be sent back: circular structure$/);
    equal(reply.fault?.export, "circular");
    const next = await sandbox.student({ op: "call", file: "mod.ts", name: "sum", args: [1, 4] });
    equal(next.value, 6n);
  });
});

Deno.test("Sandbox.student() refuses a value longer than the channel carries, and the sandbox goes on", async () => {
  await withSandbox({}, async (sandbox) => {
    const reply = await sandbox.student({ op: "get", file: "mod.ts", name: "huge" });
    equal(reply.fault?.name, "RangeError");
    match(reply.fault!.message, /^the value is too large to send back \(5 MB\)$/);
    const next = await sandbox.student({ op: "call", file: "mod.ts", name: "sum", args: [1, 4] });
    equal(next.value, 6n);
  });
});

Deno.test("Sandbox charges a call its CPU time as well as its wall time", async () => {
  await withSandbox({}, async (sandbox) => {
    await rejects(
      sandbox.student({ op: "call", file: "mod.ts", name: "spin", args: [] }, {
        timeoutMs: 60_000,
        cpuMs: 300,
      }),
      (error: unknown) => error instanceof SandboxFailure && error.status === "timeout",
    );
    match(sandbox.failure?.message ?? "", /spin\(\) in mod\.ts used more than 300 ms of CPU time/);
  });
});

Deno.test("Sandbox loads no npm module and keeps nothing once closed (its own DENO_DIR too)", async () => {
  let tree = "";
  await withSandbox({}, async (sandbox) => {
    const refused = await sandbox.student({ op: "call", file: "mod.ts", name: "npm", args: [] });
    match(String(refused.value), /--no-npm/);
    const url = await sandbox.student({ op: "call", file: "mod.ts", name: "where", args: [] });
    // TREE/workspace/exercises/<slug>/mod.ts; the subprocess's DENO_DIR is TREE/deno_dir.
    tree = new URL("../../..", String(url.value)).pathname.replace(/\/$/, "");
    ok((await Deno.stat(`${tree}/deno_dir`)).isDirectory);
    await sandbox.close();
    await rejects(Deno.stat(tree), Deno.errors.NotFound);
  });
  ok(tree.includes("parakit-sandbox-"));
});

Deno.test({
  name: "Sandbox pinned to a lane's cores runs its every thread there (taskset, Linux)",
  ignore: Deno.build.os !== "linux" ||
    !(await Deno.stat("/usr/bin/taskset").then(() => true, () => false)),
}, async () => {
  await withSandbox({ cpus: [0] }, async (sandbox) => {
    const reply = await sandbox.student({ op: "call", file: "mod.ts", name: "sum", args: [1, 4] });
    equal(reply.value, 6n);
    const status = await Deno.readTextFile(`/proc/${sandbox.pid}/status`);
    match(status, /Cpus_allowed_list:\s*0\n/);
  });
});
