// measureSpeedup() against a simulated machine: a fake sandbox whose calls advance a fake clock and
// fake kernel counters, read through the real Witness with injected readers. Nothing here is
// timed, so the verdicts are the same on every machine.
import { deepEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { type CheckContext, measureSpeedup, type SpeedupPlan } from "./check.ts";
import type { ReferenceOp, Sandbox, StudentOp } from "../sandbox/sandbox.ts";
import { Witness, type WitnessReaders } from "../sandbox/witness.ts";
import { MeasurementsSchema } from "../result.ts";
import { MAX_PAIRS } from "../measure/speedup_interval.ts";

/** How the simulated student's call behaves in pair `index` for an input of relative `size`. */
interface StudentModel {
  /** Wall seconds of the call. */
  wall(size: number, index: number): number;
  /** CPU seconds of the call (the whole sandbox process). */
  cpu(size: number, index: number): number;
}

/** A simulated 2-core machine: a clock and kernel counters that the fake sandbox advances. */
class FakeMachine {
  now = 0;
  busy = 0;
  idle = 0;
  own = 0;
  cores = 2;
  /** Cores the rest of the machine keeps busy, as a function of the call number. */
  other: (call: number) => number = () => 0;
  calls = 0;

  spend(wall: number, cpu: number): void {
    const other = this.other(this.calls++);
    this.now += wall;
    const used = Math.min(this.cores * wall, cpu + other * wall);
    this.busy += used;
    this.idle += this.cores * wall - used;
    this.own += cpu;
  }

  readers(proc: boolean): WitnessReaders {
    const ticks = (seconds: number) => Math.round(seconds * 100);
    return {
      readText: (path) => {
        if (!proc) return Promise.reject(new Deno.errors.NotFound(path));
        if (path === "/proc/stat") {
          return Promise.resolve(
            `cpu  ${ticks(this.busy)} 0 0 ${ticks(this.idle)} 0 0 0 0 0 0\ncpu0 0\ncpu1 0\n`,
          );
        }
        if (path.endsWith("/stat")) {
          return Promise.resolve(`7 (deno) S 1 1 1 0 -1 0 0 0 0 0 ${ticks(this.own)} 0 0 0`);
        }
        return Promise.reject(new Deno.errors.NotFound(path));
      },
      listDir: (path) => Promise.reject(new Deno.errors.NotFound(path)),
      cpus: () =>
        Array.from({ length: this.cores }, () => ({
          times: {
            user: (this.busy / this.cores) * 1000,
            nice: 0,
            sys: 0,
            idle: (this.idle / this.cores) * 1000,
            irq: 0,
          },
        })),
    };
  }
}

const REFERENCE_SECONDS = 0.25;

function fakeSandbox(machine: FakeMachine, model: StudentModel, calls: string[]): Sandbox {
  let studentCalls = 0;
  return {
    pid: 7,
    reference(op: ReferenceOp) {
      calls.push(`r${JSON.stringify(op.args)}`);
      const size = op.args[0] as number;
      const seconds = REFERENCE_SECONDS * size;
      machine.spend(seconds, seconds);
      return Promise.resolve({
        id: 0,
        value: size * 10,
        seconds,
        trusted: { cpuSeconds: seconds },
      });
    },
    student(op: StudentOp) {
      const args = (op as { args: unknown[] }).args;
      calls.push(`s${JSON.stringify(args)}`);
      const size = args[0] as number;
      const index = studentCalls++;
      const wall = model.wall(size, index);
      const cpu = model.cpu(size, index);
      machine.spend(wall, cpu);
      return Promise.resolve({
        id: 0,
        value: size * 10,
        seconds: wall,
        trusted: { cpuSeconds: cpu },
      });
    },
  } as unknown as Sandbox;
}

function context(sandbox: Sandbox, witness: Witness): CheckContext {
  return {
    sandbox: () => Promise.resolve(sandbox),
    kitRoot: ".",
    timed: true,
    cores: 2,
    timeoutMs: 1000,
    seed: 1,
    progress: () => {},
    passed: () => true,
    memo: (_key, make) => make(),
    witness,
  };
}

/** Sizes cycle 0.75, 1, 1.25 as the real checks' do. */
const PLAN: SpeedupPlan = {
  reference: { name: "sumRange", args: [1] },
  student: { op: "call", file: "parallel_sum.ts", name: "parallelSum", args: [1], pool: 2 },
  args: (index) => [[0.75, 1, 1.25][index % 3]!],
  verify: (reply, _args, expected) =>
    reply.value === expected ? undefined : { status: "failed", message: "wrong" },
  tooFast: "too fast",
  advice: () => "advice",
};

/** An honest parallel solution: 1.9× on two threads, its CPU about the reference's. */
const HONEST: StudentModel = {
  wall: (size) => (REFERENCE_SECONDS * size) / 1.9,
  cpu: (size) => REFERENCE_SECONDS * size * 1.02,
};

async function run(
  model: StudentModel,
  options: { other?: (call: number) => number; proc?: boolean; plan?: SpeedupPlan } = {},
) {
  const machine = new FakeMachine();
  if (options.other) machine.other = options.other;
  const calls: string[] = [];
  const witness = new Witness(machine.readers(options.proc ?? true), () => machine.now);
  const sandbox = fakeSandbox(machine, model, calls);
  const outcome = await measureSpeedup(context(sandbox, witness), options.plan ?? PLAN);
  return { outcome, calls };
}

Deno.test("measureSpeedup() passes a clear parallel speedup after one warm-up pair and three timed ones", async () => {
  const { outcome, calls } = await run(HONEST);
  equal(outcome.status, "passed", outcome.message);
  equal(outcome.measurements?.pairs, 3);
  equal(calls.length, 2 * (1 + 3));
  ok(outcome.measurements!.speedupLow! > 1.4);
  equal(outcome.measurements?.machineWitness, "proc-stat");
  equal(outcome.measurements?.processWitness, "harness-cpu-usage");
  MeasurementsSchema.parse(outcome.measurements);
});

Deno.test("measureSpeedup() gives both sides of each pair the same, new arguments", async () => {
  const { calls } = await run(HONEST);
  deepEqual(calls.slice(0, 6), ["r[0.75]", "s[0.75]", "r[1]", "s[1]", "r[1.25]", "s[1.25]"]);
});

Deno.test("measureSpeedup() fails serial code that kept running while the reference was timed", async () => {
  const machine = new FakeMachine();
  const calls: string[] = [];
  const sandbox = fakeSandbox(machine, HONEST, calls);
  const spinning = {
    ...sandbox,
    pid: 7,
    reference: (op: ReferenceOp) =>
      sandbox.reference(op).then((reply) => ({
        ...reply,
        trusted: { cpuSeconds: reply.seconds * 2 },
      })),
  } as unknown as Sandbox;
  const witness = new Witness(machine.readers(true), () => machine.now);
  const outcome = await measureSpeedup(context(spinning, witness), PLAN);
  equal(outcome.status, "failed");
  match(outcome.message, /kept running while the grader timed its serial reference/);
  deepEqual(calls, ["r[0.75]", "r[0.75]", "r[0.75]"]);
});

Deno.test("measureSpeedup() fails a remembered answer and a sleep: the CPU time was not spent", async () => {
  const { outcome } = await run({
    wall: (size) => (REFERENCE_SECONDS * size) / 1.6,
    cpu: () => 0.004,
  });
  equal(outcome.status, "failed");
  match(outcome.message, /% of the CPU time the serial reference needs/);
});

Deno.test("measureSpeedup() fails a burn of a fixed time: the CPU time does not follow the work", async () => {
  const { outcome } = await run({ wall: () => 0.14, cpu: () => 0.27 });
  equal(outcome.status, "failed");
  match(outcome.message, /did not follow them/);
});

Deno.test("measureSpeedup() fails work done on one thread at a time on a quiet machine", async () => {
  // CPU ÷ wall of 1: one busy thread, however the wall time came out.
  const { outcome } = await run({
    wall: (size) => (REFERENCE_SECONDS * size) / 1.6,
    cpu: (size) => (REFERENCE_SECONDS * size) / 1.6,
  });
  equal(outcome.status, "failed");
  match(outcome.message, /one thread at a time/);
});

Deno.test("measureSpeedup() fails a steady speedup below the threshold on a quiet machine", async () => {
  const { outcome } = await run({
    wall: (size) => (REFERENCE_SECONDS * size) / 1.15,
    cpu: (size) => REFERENCE_SECONDS * size * 1.3,
  });
  equal(outcome.status, "failed");
  match(outcome.message, /below the threshold 1.4×/);
});

Deno.test("measureSpeedup() never fails a correct solution for load that arrives mid-measurement", async () => {
  // A competing process takes a whole core from the third call on: the student's calls (which
  // need both cores) slow down to 1.1×, and its threads get less than a core each.
  const slowed: StudentModel = {
    wall: (size, index) => (REFERENCE_SECONDS * size) / (index >= 1 ? 1.1 : 1.9),
    cpu: (size) => REFERENCE_SECONDS * size * 1.02,
  };
  for (const from of [0, 2, 3, 5]) {
    const { outcome, calls } = await run(slowed, { other: (call) => (call >= from ? 1 : 0) });
    notEqual(outcome.status, "failed", `load from call ${from}: ${outcome.message}`);
    ok(calls.length <= 2 * (5 + MAX_PAIRS));
  }
});

Deno.test("measureSpeedup() ends inconclusive, bounded, when the whole machine stays busy", async () => {
  // Another process keeps a core busy throughout: the student's threads share what is left.
  const shared: StudentModel = {
    wall: (size) => (REFERENCE_SECONDS * size) / 1.05,
    cpu: (size) => REFERENCE_SECONDS * size * 1.02,
  };
  const { outcome, calls } = await run(shared, { other: () => 1 });
  equal(outcome.status, "inconclusive");
  equal(outcome.measurements?.pairs, MAX_PAIRS);
  ok(calls.length <= 2 * (5 + MAX_PAIRS));
  match(outcome.message, /run again when the machine is quieter/);
});

Deno.test("measureSpeedup() decides without /proc, from node:os cpus() and the harness's cpuUsage()", async () => {
  const passed = await run(HONEST, { proc: false });
  equal(passed.outcome.status, "passed", passed.outcome.message);
  equal(passed.outcome.measurements?.machineWitness, "os-cpus");
  equal(passed.outcome.measurements?.processWitness, "harness-cpu-usage");
  const sleep = await run({ wall: (size) => (REFERENCE_SECONDS * size) / 1.6, cpu: () => 0 }, {
    proc: false,
  });
  equal(sleep.outcome.status, "failed");
  const loaded = await run(
    { wall: (size) => (REFERENCE_SECONDS * size) / 1.1, cpu: (size) => REFERENCE_SECONDS * size },
    { proc: false, other: (call) => (call >= 3 ? 1 : 0) },
  );
  notEqual(loaded.outcome.status, "failed", loaded.outcome.message);
});

Deno.test("measureSpeedup() reports a wrong timed answer, which is never timed further", async () => {
  const { outcome, calls } = await run(HONEST, {
    plan: { ...PLAN, verify: () => ({ status: "failed", message: "countPrimes(3) returned 7" }) },
  });
  equal(outcome.status, "failed");
  equal(outcome.message, "countPrimes(3) returned 7");
  equal(calls.length, 2);
});
