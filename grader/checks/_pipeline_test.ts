import { equal, match } from "node:assert/strict";
import { pipelineCheck, pipelineFullCheck } from "./_pipeline.ts";
import { processesEnded } from "./_pipeline_witness.ts";
import type { CheckContext } from "./check.ts";
import { Witness, type WitnessReaders } from "../sandbox/witness.ts";

/** Honest-looking driver counts: two Processes started and joined, a shared Queue, enough bytes. */
const COUNTS = { started: 2, joined: 2, queueSharers: 2, queueBytes: 100_000 };

/**
 * A sandbox (pid 9) whose call answers with the right squares and the given driver counts, and
 * whose process, as /proc shows it, loses `ended` of its two spare Worker threads during the call
 * (a new spare replaces each); `proc: false` is a machine without /proc.
 */
function fixture(options: { ended: number; counts?: object; proc?: boolean; cpuTicks?: number }) {
  // [tid, name, ticks]: the harness, the student's Worker, two spares.
  let threads: [string, string, number][] = [
    ["1", "deno", 10],
    ["2", "worker-1", 10],
    ["3", "worker-2", 0],
    ["4", "worker-3", 0],
  ];
  let endedTicks = 0;
  const stat = (ticks: number) => `1 (x) R 0 0 0 0 0 0 0 0 0 0 ${ticks} 0 0 0`;
  const readers: WitnessReaders = {
    readText(path) {
      if (options.proc === false) return Promise.reject(new Error(path));
      if (path === "/proc/stat") return Promise.resolve("cpu  0 0 0 100 0 0 0 0\ncpu0 x\n");
      if (path === "/proc/9/stat") {
        return Promise.resolve(stat(threads.reduce((sum, [, , t]) => sum + t, endedTicks)));
      }
      const [, tid, file] = path.match(/^\/proc\/9\/task\/(\d+)\/(stat|comm)$/) ?? [];
      const thread = threads.find(([id]) => id === tid);
      if (!thread) return Promise.reject(new Error(path));
      return Promise.resolve(file === "comm" ? `${thread[1]}\n` : stat(thread[2]));
    },
    listDir: (path) =>
      options.proc === false
        ? Promise.reject(new Error(path))
        : Promise.resolve(threads.map(([tid]) => tid)),
    cpus: () => [],
  };
  const sandbox = {
    pid: 9,
    student(op: { args: unknown[] }) {
      const items = op.args[0] as number[];
      // The call: `ended` spares end (their CPU time stays in the process's figure), and as many
      // replacements start.
      for (let i = 0; i < options.ended; i++) {
        const spare = threads.findIndex(([, name]) => name === "worker-2" || name === "worker-3");
        endedTicks += options.cpuTicks ?? 0;
        threads = threads.filter((_, index) => index !== spare);
        threads.push([String(10 + i), `worker-${4 + i}`, 0]);
      }
      return Promise.resolve({
        id: 1,
        seconds: 0,
        value: items.map((x) => x * x),
        activeChildren: 0,
        observed: { processes: options.counts ?? COUNTS },
      });
    },
  };
  const context = {
    seed: 1,
    cores: 2,
    timeoutMs: 1000,
    progress() {},
    sandbox: () => Promise.resolve(sandbox),
  } as unknown as CheckContext;
  return { context, witness: new Witness(readers, () => 0) };
}

const OS_SAW =
  /^the operating system saw (\d) Worker thread\(s\) end during the call: run the producer and the consumer each in its own Process and join both$/;

Deno.test("processesEnded() fails fewer than two ended Worker threads, and judges nothing without /proc", () => {
  const usage = {
    wallSeconds: 1,
    processWitness: "proc" as const,
    machineWitness: "none" as const,
  };
  match(processesEnded({ ...usage, endedWorkers: 1 })!.message, OS_SAW);
  equal(processesEnded({ ...usage, endedWorkers: 3 }), undefined);
  equal(processesEnded(usage), undefined);
});

Deno.test("pipelineCheck() fails driver counts that claim two Processes when the OS saw none end", async () => {
  const { context, witness } = fixture({ ended: 0 });
  const outcome = await pipelineCheck(context, witness);
  equal(outcome.status, "failed");
  equal(outcome.message.match(OS_SAW)?.[1], "0");
});

Deno.test("pipelineCheck() passes when the OS saw two Worker threads end", async () => {
  const { context, witness } = fixture({ ended: 2 });
  equal((await pipelineCheck(context, witness)).status, "passed");
});

Deno.test("pipelineCheck() falls back to the driver's counts where there is no /proc", async () => {
  const { context, witness } = fixture({ ended: 0, proc: false });
  equal((await pipelineCheck(context, witness)).status, "passed");
  const idle = fixture({ ended: 0, proc: false, counts: { ...COUNTS, queueBytes: 0 } });
  match((await pipelineCheck(idle.context, idle.witness)).message, /carried 0 bytes/);
});

Deno.test("pipelineCheck() names the missing part from the driver's counts", async () => {
  const { context, witness } = fixture({ ended: 1, counts: { ...COUNTS, started: 1, joined: 1 } });
  match((await pipelineCheck(context, witness)).message, /^pipeline started 1 lib Process/);
});

Deno.test("pipelineFullCheck() needs two ended Worker threads and the CPU time of the moving", async () => {
  const none = fixture({ ended: 1, cpuTicks: 20 });
  equal((await pipelineFullCheck(none.context, none.witness)).message.match(OS_SAW)?.[1], "1");
  const idle = fixture({ ended: 2, cpuTicks: 1 });
  match((await pipelineFullCheck(idle.context, idle.witness)).message, /used 20 ms of CPU time/);
  const honest = fixture({ ended: 2, cpuTicks: 18 });
  equal((await pipelineFullCheck(honest.context, honest.witness)).status, "passed");
});
