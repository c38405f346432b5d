import { deepEqual, equal, match, ok, rejects, throws } from "node:assert/strict";
import { activeChildren } from "./_children.ts";
import { KILLED_EXIT_CODE, Process, TERMINATED_EXIT_CODE } from "./process.ts";
import { Queue } from "./queue.ts";
import { Pipe } from "./pipe.ts";
import { PipeClosedError } from "./pipe_errors.ts";
import { currentProcess, type ProcessInfo } from "./current_process.ts";
import { Event } from "./event.ts";
import { Lock } from "./lock.ts";
import { TimeoutError } from "./timeout.ts";
import { processTasks } from "./testdata/shared_tasks.ts";
import { answerTasks, HAS_ANSWERS } from "./testdata/answers.ts";
import { tasks } from "./testdata/tasks.ts";
import { within } from "./testdata/deadline.ts";

Deno.test({
  name: "Process: a producer and a consumer joined by Queues deliver every item in order",
  // Its consumer is exercise 3's, word for word: instructor's kit only.
  ignore: !HAS_ANSWERS,
}, async () => {
  const { squareAll } = await answerTasks();
  const input = new Queue<number | null>({ maxsize: 2 });
  const output = new Queue<number | null>();
  const items = Array.from({ length: 200 }, (_, i) => i);
  const consumer = new Process(squareAll, [input, output], { name: "consumer" });
  const producer = new Process(processTasks.feed, [input, items]);
  equal(consumer.isAlive(), false);
  equal(consumer.exitCode, null);
  consumer.start();
  producer.start();
  ok(consumer.isAlive());
  equal(consumer.name, "consumer");
  ok(typeof consumer.pid === "number" && consumer.pid !== producer.pid);
  ok(activeChildren().some((child) => child.id === consumer.pid && child.kind === "process"));
  const squares: number[] = [];
  for (;;) {
    const square = await output.getAsync({ timeout: 30_000 });
    if (square === null) break;
    squares.push(square);
  }
  await Promise.all([consumer.join(), producer.join()]);
  deepEqual(squares, items.map((i) => i * i));
  equal(consumer.exitCode, 0);
  equal(producer.exitCode, 0);
  equal(consumer.isAlive(), false);
  ok(!activeChildren().some((child) => child.id === consumer.pid));
});

Deno.test("Process.exitCode is 1 after a throw and n after Deno.exit(n)", async () => {
  const failing = new Process(processTasks.fail, ["on purpose"]);
  const exiting = new Process(processTasks.exitWith, [3]);
  failing.start();
  exiting.start();
  await failing.join();
  await exiting.join();
  equal(failing.exitCode, 1);
  equal(exiting.exitCode, 3);
});

Deno.test("Process.terminate() and kill() end a worker blocked in a wait", async () => {
  const never = new Event();
  const first = new Process(processTasks.waitForever, [never]);
  const second = new Process(processTasks.waitForever, [never]);
  first.start();
  second.start();
  await first.join({ timeout: 20 });
  ok(first.isAlive(), "join({ timeout }) returns while the process runs");
  equal(first.exitCode, null);
  first.terminate();
  second.kill();
  await first.join();
  await second.join();
  equal(first.exitCode, TERMINATED_EXIT_CODE);
  equal(second.exitCode, KILLED_EXIT_CODE);
});

Deno.test("Process.join() waits for the end with a timeout of Infinity or past 2^31 ms", async () => {
  for (const timeout of [Infinity, 2 ** 31]) {
    const process = new Process(tasks.sleepFor, [50]);
    process.start();
    await within(process.join({ timeout }), `join({ timeout: ${timeout} })`);
    equal(process.exitCode, 0, `join({ timeout: ${timeout} }) returned before the end`);
  }
});

Deno.test("Process: closing or disposing a live process throws, a closed one's methods throw (_TestProcess.test_close)", async () => {
  const never = new Event();
  const process = new Process(processTasks.waitForever, [never]);
  process.start();
  throws(() => process.close(), { message: /it is still running: join or terminate it first/ });
  await rejects(process[Symbol.asyncDispose](), { message: /it is still running/ });
  equal(process.isAlive(), true);
  {
    await using terminated = process;
    terminated.terminate(); // disposing waits for a worker that is ending
  }
  equal(process.exitCode, TERMINATED_EXIT_CODE);
  throws(() => process.isAlive(), { message: /the process is closed/ });
  await rejects(process.join(), { message: /the process is closed/ });
  throws(() => process.start(), { message: /the process is closed/ });
  throws(() => process.terminate(), { message: /the process is closed/ });
  process.close(); // again: nothing
});

Deno.test("Process.join() takes a negative timeout as 0 (_TestProcess.test_process)", async () => {
  const process = new Process(tasks.sleepFor, [50]);
  process.start();
  await process.join({ timeout: -1 });
  await process.join();
  equal(process.exitCode, 0);
});

Deno.test("A Process that dies holding a Lock leaves it locked; waiters time out", async () => {
  const lock = new Lock();
  const process = new Process(processTasks.lockAndFail, [lock]);
  process.start();
  await process.join();
  equal(process.exitCode, 1);
  equal(lock.locked, true);
  equal(await lock.acquireAsync({ timeout: 10 }), false);
  await rejects(lock.holdAsync({ timeout: 10 }), (error: Error) => {
    ok(error instanceof TimeoutError);
    match(error.message, /another thread holds it \(a worker that ended while holding it/);
    return true;
  });
});

Deno.test("new Process() rejects bad options with a clear message", () => {
  const before = activeChildren().length;
  throws(() => new Process(tasks.square, [3], { maxHeapMb: -5 }), {
    name: "RangeError",
    message: "Cannot make process: maxHeapMb must be a positive number of MiB: received -5",
  });
  throws(() => new Process(tasks.square, [3], { maxHeapMb: "big" as never }), {
    name: "TypeError",
    message: "Cannot make process: maxHeapMb must be a positive number of MiB: received string",
  });
  throws(() => new Process(tasks.square, [3], { name: 42 as never }), {
    name: "TypeError",
    message: "Cannot make process: name must be a string: received number",
  });
  throws(() => new Process(tasks.square, [3], null as never), {
    name: "TypeError",
    message: "Cannot make process: options must be an object: received null",
  });
  equal(activeChildren().length, before);
});

Deno.test("Process checks its use", async () => {
  throws(() => new Process((() => 1) as never, []), TypeError);
  throws(() => new Process(processTasks.fail, "x" as unknown as [string]), TypeError);
  const process = new Process(processTasks.exitWith, [0]);
  await rejects(process.join(), { message: /it was never started/ });
  process.start();
  throws(() => process.start(), { message: /it was started before/ });
  await rejects(process.join({ timeout: Number.NaN }), RangeError);
  await process.join();
  const unsendable = new Process(processTasks.fail, [(() => "x") as unknown as string]);
  throws(() => unsendable.start(), { name: "TypeError", message: /cannot be sent to a worker/ });
  equal(unsendable.isAlive(), false);
});

Deno.test("currentProcess() gives a child its own name and pid, and the main thread MainProcess (_TestProcess.test_current)", async () => {
  deepEqual(currentProcess(), { name: "MainProcess", pid: 0 });
  const queue = new Queue<ProcessInfo>();
  const named = new Process(processTasks.reportSelf, [queue], { name: "reporter" });
  const unnamed = new Process(processTasks.reportSelf, [queue]);
  named.start();
  unnamed.start();
  await named.join();
  await unnamed.join();
  const seen = [queue.get({ timeout: 10_000 }), queue.get({ timeout: 10_000 })];
  seen.sort((a, b) => (a.pid ?? 0) - (b.pid ?? 0));
  deepEqual(seen, [
    { name: named.name, pid: named.pid },
    { name: unnamed.name, pid: unnamed.pid },
  ]);
  equal(named.name, "reporter");
  match(unnamed.name, /^Process-\d+$/);
});

Deno.test("Closing the parent's copy of a Connection handed to a Process leaves the child's open until it ends (_TestConnection.test_spawn_close)", async () => {
  const [mine, theirs] = Pipe<number>();
  const child = new Process(processTasks.echoOnce, [theirs]);
  child.start();
  theirs.close(); // the parent's copy only
  mine.send(21);
  equal(await mine.recvAsync({ timeout: 10_000 }), 42);
  await child.join();
  // The child's copy went with its worker: the pipe is closed now.
  await rejects(mine.recvAsync({ timeout: 10_000 }), PipeClosedError);
});
