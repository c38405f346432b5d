import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { TimeoutError } from "./timeout.ts";
import { Pipe } from "./pipe.ts";
import { BufferTooShortError, PipeClosedError } from "./pipe_errors.ts";
import { Lock } from "./lock.ts";
import { runInWorker, runInWorkerWithin } from "./testdata/shared_spawn.ts";
import { pipeTasks } from "./testdata/shared_tasks.ts";

Deno.test("Pipe: a duplex pair talks both ways with a worker", async () => {
  const [mine, theirs] = Pipe<number>();
  const worker = runInWorker(pipeTasks.echoDouble, theirs);
  const answers: number[] = [];
  for (let i = 0; i < 100; i++) {
    mine.send(i);
    answers.push(await mine.recvAsync({ timeout: 30_000 }));
  }
  mine.close();
  deepEqual(answers, Array.from({ length: 100 }, (_, i) => 2 * i));
  deepEqual(await worker, { ok: true, value: 100 });
});

Deno.test("Pipe({ duplex: false }): the reader gets everything sent, then PipeClosedError", async () => {
  const [reader, writer] = Pipe<string>({ duplex: false });
  ok(reader.readable && !reader.writable && writer.writable && !writer.readable);
  const sent = await runInWorker(pipeTasks.sendAll, writer, ["a", "b", "c"]);
  deepEqual(sent, { ok: true, value: 3 });
  equal(reader.poll(), true);
  deepEqual([reader.recv(), reader.recv(), reader.recv()], ["a", "b", "c"]);
  equal(reader.poll(), true, "the end of the pipe is readable too");
  throws(() => reader.recv(), {
    name: "PipeClosedError",
    message: "Cannot receive: the pipe is closed",
  });
  throws(() => writer.send("d"), PipeClosedError);
  throws(() => reader.send("x"), { name: "PipeClosedError", message: /only receives/ });
});

Deno.test("Connection's waits time out and abort; poll waits up to its timeout", async () => {
  const [a, b] = Pipe<number>();
  equal(b.poll(), false);
  equal(b.poll(5), false);
  throws(() => b.recv({ timeout: 5 }), TimeoutError);
  const controller = new AbortController();
  const waiting = b.recvAsync({ signal: controller.signal });
  controller.abort();
  await rejects(waiting, { name: "AbortError" });
  a.send(1);
  equal(b.recv({ timeout: 0 }), 1);
  throws(() => a.send(new Lock() as unknown as number), TypeError);
  a.close();
  throws(() => a.send(2), { message: "Cannot send: this end is closed" });
  throws(() => Pipe({ capacity: 8 }), RangeError);
});

Deno.test("Connection.send() streams a message bigger than the pipe's capacity (_TestConnection.test_connection, big messages)", async () => {
  const [reader, writer] = Pipe<string>({ capacity: 64 });
  const sender = runInWorkerWithin(10_000, pipeTasks.sendBig, writer, 10_000);
  equal(await reader.recvAsync({ timeout: 10_000 }), "x".repeat(10_000));
  deepEqual(await sender, { ok: true, value: "sent" });
  writer.send("fits");
  equal(reader.recv(), "fits");
  const [small, end] = Pipe<string>({ capacity: 16 });
  const messages = ["a".repeat(500), "short", "b".repeat(333)];
  const worker = runInWorkerWithin(10_000, pipeTasks.sendAll, end, messages);
  for (const message of messages) equal(await small.recvAsync({ timeout: 10_000 }), message);
  deepEqual(await worker, { ok: true, value: 3 });
});

Deno.test("Connection.send() that times out on a full pipe says the pipe stayed full", () => {
  const [, writer] = Pipe<string>({ capacity: 64 });
  writer.send("x".repeat(40));
  throws(() => writer.send("y".repeat(40), { timeout: 5 }), {
    name: "TimeoutError",
    message: "Cannot send: the pipe stayed full for 5 ms",
  });
});

Deno.test("Pipe() rejects a wrong-typed option with a TypeError and an out-of-range one with a RangeError", () => {
  throws(() => Pipe({ capacity: "64" as unknown as number }), {
    name: "TypeError",
    message: "Cannot make pipe: capacity must be a number: received string",
  });
  throws(() => Pipe(7 as never), TypeError);
  throws(() => Pipe({ capacity: 8 }), RangeError);
});

Deno.test("Connection.sendBytes() and recvBytes() carry bytes; recvBytesInto() fills a buffer or throws BufferTooShortError (_TestConnection.test_connection)", () => {
  const [a, b] = Pipe();
  a.sendBytes(new TextEncoder().encode("hello world"), { offset: 6, size: 5 });
  deepEqual(new TextDecoder().decode(b.recvBytes()), "world");
  a.sendBytes(new Uint8Array([1, 2, 3]).buffer);
  const buffer = new Uint8Array(8);
  equal(b.recvBytesInto(buffer, { offset: 4 }), 3);
  deepEqual([...buffer], [0, 0, 0, 0, 1, 2, 3, 0]);
  a.sendBytes(new Uint8Array(10));
  throws(() => b.recvBytesInto(new Uint8Array(4)), (error: unknown) => {
    ok(error instanceof BufferTooShortError);
    equal(error.bytes.length, 10);
    return true;
  });
  a.sendBytes(new Uint8Array(10));
  throws(() => b.recvBytes({ maxLength: 4 }), RangeError);
  a.send("not bytes");
  throws(() => b.recvBytes(), TypeError);
  throws(() => a.sendBytes(new Uint8Array(2), { offset: 3 }), RangeError);
  equal(b.poll(-1), false); // a negative timeout acts as 0
});

Deno.test("The wrong end of a one-way Pipe fails as a closed end does (_TestConnection.test_duplex_false)", () => {
  const [reader, writer] = Pipe({ duplex: false });
  throws(() => reader.send(1), PipeClosedError);
  throws(() => writer.recv(), PipeClosedError);
  throws(() => writer.poll(), PipeClosedError);
  writer.send(1);
  equal(reader.recv(), 1);
});

Deno.test("A Connection is disposable: using closes it (_TestConnection.test_context)", () => {
  const [a, b] = Pipe<number>();
  {
    using end = a;
    end.send(1);
  }
  equal(a.closed, true);
  equal(b.recv(), 1);
  throws(() => b.recv(), PipeClosedError);
});
