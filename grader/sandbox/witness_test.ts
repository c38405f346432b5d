import { deepEqual, equal } from "node:assert/strict";
import { parseStatCpu, usageBetween, Witness, type WitnessReaders } from "./witness.ts";

/** Readers of a process with the given threads: [tid, name, ticks], and a 2-core /proc/stat. */
function readers(
  threads: [string, string, number][],
  busy: number,
  idle: number,
  endedTicks = 0,
): WitnessReaders {
  const stat = (ticks: number) => `1 (a) b) R 0 0 0 0 0 0 0 0 0 0 ${ticks} 0 0 0`;
  const files = new Map<string, string>([
    ["/proc/stat", `cpu  ${busy} 0 0 ${idle} 0 0 0 0\ncpu0 x\ncpu1 x\n`],
    ["/proc/9/stat", stat(threads.reduce((sum, [, , ticks]) => sum + ticks, endedTicks))],
  ]);
  for (const [tid, name, ticks] of threads) {
    files.set(`/proc/9/task/${tid}/stat`, stat(ticks));
    files.set(`/proc/9/task/${tid}/comm`, `${name}\n`);
  }
  return {
    readText: (path) =>
      files.has(path) ? Promise.resolve(files.get(path)!) : Promise.reject(new Error(path)),
    listDir: () => Promise.resolve(threads.map(([tid]) => tid)),
    cpus: () => [],
  };
}

Deno.test("parseStatCpu() counts utime and stime after a command name with parentheses", () => {
  equal(parseStatCpu("5 (x) (y)) S 1 2 3 4 5 6 7 8 9 10 30 20 0"), 0.5);
  equal(parseStatCpu("garbage"), undefined);
});

Deno.test("Witness reads each thread and tells the Workers' threads from the runtime's", async () => {
  let clock = 0;
  const before = await new Witness(
    readers([["1", "deno", 10], ["2", "worker-1", 0], ["3", "V8 DefaultWorke", 0]], 100, 100),
    () => clock,
  ).snapshot(9);
  clock = 1;
  const after = await new Witness(
    readers(
      [["1", "deno", 10], ["2", "worker-1", 90], ["3", "V8 DefaultWorke", 20], [
        "4",
        "worker-2",
        80,
      ]],
      300,
      100,
    ),
    () => clock,
  ).snapshot(9);
  const usage = usageBetween(before, after, 1.7);
  deepEqual(usage.threadSeconds, [0.9, 0.8, 0.2, 0]);
  deepEqual(usage.workerThreadSeconds, [0.9, 0.8]);
  equal(usage.cpuSeconds, 1.7);
  equal(usage.processWitness, "harness-cpu-usage");
  // The machine was busy 2 s over 1 s; the sandbox itself used 1.9 s of it.
  equal(Number(usage.otherCores!.toFixed(2)), 0.1);
  equal(usage.machineWitness, "proc-stat");
});

Deno.test("Witness falls back to node:os cpus() where there is no /proc", async () => {
  const core = (busy: number) => ({ times: { user: busy, nice: 0, sys: 0, idle: 1000, irq: 0 } });
  let busy = 0;
  const witness = new Witness({
    readText: (path) => Promise.reject(new Error(path)),
    listDir: (path) => Promise.reject(new Error(path)),
    cpus: () => [core(busy), core(busy)],
  }, () => busy / 1000);
  const { usage } = await witness.around(9, () => {
    busy = 500;
    return Promise.resolve({ trusted: { cpuSeconds: 0.4 } });
  });
  equal(usage.machineWitness, "os-cpus");
  equal(usage.processWitness, "harness-cpu-usage");
  equal(usage.threadSeconds, undefined);
  equal(Number(usage.otherCores!.toFixed(2)), 1.2);
});

Deno.test("usageBetween() counts the CPU time of the threads that ended during the call", async () => {
  let clock = 0;
  // Thread 5 (a Process) lives at the start and has ended by the end: its 30 ticks, and the 4 it
  // had before, stay in the process's figure only.
  const before = await new Witness(
    readers([["1", "deno", 10], ["2", "worker-1", 5], ["5", "worker-3", 4]], 100, 100),
    () => clock,
  ).snapshot(9);
  clock = 1;
  const after = await new Witness(
    readers([["1", "deno", 12], ["2", "worker-1", 9]], 200, 100, 4 + 30),
    () => clock,
  ).snapshot(9);
  const usage = usageBetween(before, after);
  equal(Number(usage.endedThreadSeconds!.toFixed(2)), 0.3);
  const noProc = usageBetween({ at: 0, machineWitness: "none" }, { at: 1, machineWitness: "none" });
  equal(noProc.endedThreadSeconds, undefined);
});

Deno.test("usageBetween() counts the Worker threads of the first look gone at the second", async () => {
  let clock = 0;
  // Two spares (worker-2, worker-3) taken by Processes that ended; worker-4 replaced one; the
  // runtime's own thread 6 ended too, and is no Worker; tid 7 was reused under another name.
  const before = await new Witness(
    readers(
      [
        ["1", "deno", 10],
        ["2", "worker-1", 5],
        ["3", "worker-2", 0],
        ["4", "worker-3", 0],
        ["6", "tokio-runtime-w", 0],
        ["7", "worker-5", 0],
      ],
      100,
      100,
    ),
    () => clock,
  ).snapshot(9);
  clock = 1;
  const after = await new Witness(
    readers(
      [["1", "deno", 10], ["2", "worker-1", 6], ["5", "worker-4", 0], ["7", "worker-6", 0]],
      200,
      100,
    ),
    () => clock,
  ).snapshot(9);
  equal(usageBetween(before, after).endedWorkers, 3);
  equal(usageBetween(before, before).endedWorkers, 0);
  const noProc = usageBetween({ at: 0, machineWitness: "none" }, { at: 1, machineWitness: "none" });
  equal(noProc.endedWorkers, undefined);
});
