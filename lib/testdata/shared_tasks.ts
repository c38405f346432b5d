/**
 * Tasks for lib/'s shared-state tests: each runs in a worker with shared objects as arguments.
 *
 * @module
 */
import { currentProcess, type ProcessInfo } from "../current_process.ts";
import { defineTasks } from "../task.ts";
import type { DictProxy } from "../dict_proxy.ts";
import type { ListProxy } from "../list_proxy.ts";
import { Manager } from "../manager.ts";
import type { NamespaceProxy } from "../namespace_proxy.ts";
import type { ValueProxy } from "../value_proxy.ts";
import type { Connection } from "../pipe.ts";
import type { JoinableQueue } from "../joinable_queue.ts";
import type { Queue } from "../queue.ts";
import type { SimpleQueue } from "../simple_queue.ts";
import type { RawArray, SharedArray } from "../shared_array.ts";
import type { Barrier } from "../barrier.ts";
import type { Condition } from "../condition.ts";
import type { Event } from "../event.ts";
import type { Lock, RLock } from "../lock.ts";
import type { Semaphore } from "../semaphore.ts";
import type { LockOption, TypeCode } from "../typecodes.ts";
import { type RawValue, Value } from "../value.ts";

function addLocked(counter: RawValue<"i">, lock: Lock, times: number): number {
  for (let i = 0; i < times; i++) {
    using _ = lock.hold();
    counter.value += 1;
  }
  return times;
}

async function addLockedAsync(counter: RawValue<"i">, lock: Lock, times: number): Promise<number> {
  for (let i = 0; i < times; i++) {
    using _ = await lock.holdAsync();
    counter.value += 1;
  }
  return times;
}

function addAtomic(counter: RawValue<"i">, times: number): number {
  for (let i = 0; i < times; i++) counter.add(1);
  return times;
}

function tryLock(lock: Lock | RLock, timeout: number): string {
  try {
    using _ = lock.hold({ timeout });
    return "acquired";
  } catch (error) {
    return (error as Error).name + ": " + (error as Error).message;
  }
}

/** What `lock.acquire({ timeout })` returns in a worker (releasing the lock when it got it). */
function acquireResult(lock: Lock | RLock, timeout: number): boolean {
  const got = lock.acquire({ timeout });
  if (got) lock.release();
  return got;
}

/** Wakes every waiter of `cond`. */
function notifyCondition(cond: Condition): boolean {
  using _ = cond.hold();
  cond.notifyAll();
  return true;
}

function releaseOther(lock: RLock): string {
  try {
    lock.release();
    return "released";
  } catch (error) {
    return (error as Error).message;
  }
}

function holdAndDie(lock: Lock, started: Event): never {
  lock.acquire();
  started.set();
  throw new Error("died holding the lock");
}

function throughSemaphore(
  semaphore: Semaphore,
  stats: RawArray<"i">,
  statsLock: Lock,
  rounds: number,
): number {
  for (let i = 0; i < rounds; i++) {
    using _ = semaphore.hold();
    {
      using _stats = statsLock.hold();
      stats.array[0]! += 1;
      stats.array[1] = Math.max(stats.array[1]!, stats.array[0]!);
    }
    for (let spin = 0; spin < 1000; spin++) Math.sqrt(spin);
    {
      using _stats = statsLock.hold();
      stats.array[0]! -= 1;
    }
  }
  return rounds;
}

function waitEvent(event: Event, timeout: number): string {
  return event.wait({ timeout }) ? "set" : "timed out";
}

/** Takes `count` items from a one-slot mailbox guarded by a condition; returns their sum. */
function consume(cond: Condition, box: RawArray<"i">, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    using _ = cond.hold();
    cond.waitFor(() => box.array[0] === 1);
    sum += box.array[1]!;
    box.array[0] = 0;
    cond.notifyAll();
  }
  return sum;
}

/** Puts 1..count in a one-slot mailbox guarded by a condition. */
function produce(cond: Condition, box: RawArray<"i">, count: number): number {
  for (let i = 1; i <= count; i++) {
    using _ = cond.hold();
    cond.waitFor(() => box.array[0] === 0);
    box.array[1] = i;
    box.array[0] = 1;
    cond.notifyAll();
  }
  return count;
}

function waitBarrier(barrier: Barrier, timeout: number): number | string {
  try {
    return barrier.wait({ timeout });
  } catch (error) {
    return (error as Error).name;
  }
}

/** Waits at the barrier `rounds` times, recording its round in `seen[index]` after each. */
function barrierRounds(
  barrier: Barrier,
  seen: RawArray<"i">,
  rounds: number,
  slot: number,
): number {
  for (let round = 1; round <= rounds; round++) {
    barrier.wait({ timeout: 10_000 });
    seen.array[slot] = round;
    // Every party has finished round `round - 1`'s write before anyone passes round `round`.
    for (let j = 0; j < seen.length; j++) {
      if (seen.array[j]! < round - 1) throw new Error(`party ${j} lagged at round ${round}`);
    }
  }
  return rounds;
}

/** Holds `lock` until it can take `until` (which the test holds), then lets both go. */
function holdRLockUntil(lock: RLock, until: Lock): boolean {
  using _ = lock.hold();
  using _until = until.hold({ timeout: 30_000 });
  return true;
}

export const tasks = defineTasks(import.meta.url, {
  acquireResult,
  notifyCondition,
  holdRLockUntil,
  addLocked,
  addLockedAsync,
  addAtomic,
  tryLock,
  releaseOther,
  holdAndDie,
  throughSemaphore,
  waitEvent,
  consume,
  produce,
  waitBarrier,
  barrierRounds,
});

function fillSlice(shared: RawArray<"d">, from: number, to: number): number {
  for (let i = from; i < to; i++) shared.array[i] = i * 0.5;
  return to - from;
}

function bumpAll(shared: SharedArray<"q">, times: number): number {
  for (let t = 0; t < times; t++) {
    using _ = shared.getLock().hold();
    for (let i = 0; i < shared.length; i++) shared.array[i]! += 1n;
  }
  return times;
}

function describeValue(value: Value<TypeCode, LockOption>): [string, number | bigint, boolean] {
  let hasLock = true;
  try {
    (value as Value<TypeCode>).getLock();
  } catch {
    hasLock = false;
  }
  return [value.typecode, value.value, hasLock];
}

export const moreTasks = defineTasks(import.meta.url, { fillSlice, bumpAll, describeValue });

/** Puts `count` items `[producer, i]`. */
function produceItems(queue: Queue<[number, number]>, producer: number, count: number): number {
  for (let i = 0; i < count; i++) queue.put([producer, i], { timeout: 30_000 });
  return count;
}

/** Gets items until the queue is closed and empty; returns them. */
function consumeItems(queue: Queue<[number, number]>): [number, number][] {
  const items: [number, number][] = [];
  for (;;) {
    try {
      items.push(queue.get({ timeout: 30_000 }));
    } catch (error) {
      if ((error as Error).name === "QueueClosedError") return items;
      throw error;
    }
  }
}

/** Gets items with `for await` until the queue is closed; returns them. */
async function consumeAsync(queue: Queue<number>): Promise<number[]> {
  const items: number[] = [];
  for await (const item of queue) items.push(item);
  return items;
}

/** Takes `count` items from a joinable queue, marking each done; returns their sum. */
function work(queue: JoinableQueue<number>, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += queue.get({ timeout: 30_000 });
    queue.taskDone();
  }
  return sum;
}

function putSimple(queue: SimpleQueue<string>, text: string): number {
  queue.put(text);
  return text.length;
}

/**
 * Puts and gets without waiting until `stop` is set (or `max` rounds): the other side of a
 * contention test. Throws any error but the queue's own full and empty ones.
 */
function churn(queue: Queue<number>, started: Event, stop: Event, max: number): number {
  started.set();
  let rounds = 0;
  for (; rounds < max && !stop.isSet(); rounds++) {
    for (const step of [() => queue.putNowait(rounds), () => queue.getNowait()]) {
      try {
        step();
      } catch (error) {
        const name = (error as Error).name;
        if (name !== "QueueFullError" && name !== "QueueEmptyError") throw error;
      }
    }
  }
  return rounds;
}

export const queueTasks = defineTasks(import.meta.url, {
  churn,
  produceItems,
  consumeItems,
  consumeAsync,
  work,
  putSimple,
});

/** Answers each message with its double until the pipe closes; returns how many it answered. */
function echoDouble(end: Connection<number>): number {
  let answered = 0;
  for (;;) {
    let message: number;
    try {
      message = end.recv({ timeout: 30_000 });
    } catch (error) {
      if ((error as Error).name === "PipeClosedError") return answered;
      throw error;
    }
    end.send(message * 2);
    answered++;
  }
}

function sendAll(end: Connection<string>, messages: string[]): number {
  for (const message of messages) end.send(message);
  end.close();
  return messages.length;
}

/** Sends one message of `size` characters; returns what that threw, as `Name: message`. */
function sendBig(end: Connection<string>, size: number): string {
  try {
    end.send("x".repeat(size));
    return "sent";
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

export const pipeTasks = defineTasks(import.meta.url, { echoDouble, sendAll, sendBig });

function feed(input: Queue<number | null>, items: number[]): void {
  for (const item of items) input.put(item);
  input.put(null);
}

function exitWith(code: number): void {
  Deno.exit(code);
}

function fail(message: string): never {
  throw new Error(message);
}

function waitForever(event: Event): void {
  event.wait();
}

function lockAndFail(lock: Lock): never {
  lock.acquire();
  throw new Error("failed while holding the lock");
}

/** Answers one number with its double, and ends without closing its end. */
function echoOnce(end: Connection<number>): void {
  end.send(end.recv({ timeout: 10_000 }) * 2);
}

/** Puts who this process is on `queue`. */
function reportSelf(queue: Queue<ProcessInfo>): void {
  queue.put(currentProcess());
}

export const processTasks = defineTasks(import.meta.url, {
  echoOnce,
  reportSelf,
  feed,
  exitWith,
  fail,
  waitForever,
  lockAndFail,
});

function incrementTimes(counts: DictProxy<string, number>, key: string, times: number): number {
  for (let i = 0; i < times; i++) counts.increment(key);
  return times;
}

/** A read-modify-write of a dict entry under a lock: exact only because of the lock. */
function addUnderLock(counts: DictProxy<string, number>, lock: Lock, times: number): number {
  for (let i = 0; i < times; i++) {
    using _ = lock.hold();
    counts.set("total", (counts.get("total") ?? 0) + 1);
  }
  return times;
}

function appendAll(list: ListProxy<number>, from: number, count: number): number {
  for (let i = from; i < from + count; i++) list.append(i);
  return count;
}

function touchProxy(value: ValueProxy<number>): string {
  try {
    return String(value.value);
  } catch (error) {
    return (error as Error).name;
  }
}

function setName(space: NamespaceProxy<{ name: string }>, name: string): string {
  space.set("name", name);
  return space.get("name");
}

/** Writes through a dict proxy read from an outer dict, and reports what the worker reads. */
function setInNested(outer: DictProxy<string, DictProxy>, key: string, value: number): unknown {
  const inner = outer.get("inner")!;
  inner.set(key, value);
  return inner.toObject();
}

/** Appends to a list proxy read from an outer list, and puts a new list of its own in the outer. */
function appendInNested(outer: ListProxy<ListProxy<number>>, item: number): number[] {
  const inner = outer.get(0);
  inner.append(item);
  return inner.toArray();
}

/** What a call threw, as `Name: message`, or `"returned"`. */
function thrown(call: () => unknown): string {
  try {
    call();
    return "returned";
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

function setBig(counts: DictProxy<string, string>, key: string, size: number): string {
  return thrown(() => counts.set(key, "x".repeat(size)));
}

/**
 * Makes a manager here, fills a list with `parts` strings of `size` characters, asks for the whole
 * list, then checks the manager still answers: `[what toArray() threw, len()]`.
 */
async function askForTooMuch(parts: number, size: number): Promise<[string, number]> {
  await using manager = new Manager();
  const list = manager.list<string>();
  for (let i = 0; i < parts; i++) list.append("y".repeat(size));
  return [thrown(() => list.toArray()), list.len()];
}

export const managerTasks = defineTasks(import.meta.url, {
  incrementTimes,
  addUnderLock,
  appendAll,
  touchProxy,
  setName,
  setInNested,
  appendInNested,
  setBig,
  askForTooMuch,
});

function makeCounter(start: number): Value<"i"> {
  return new Value("i", start);
}

function bump(counter: Value<"i">): number {
  using _ = counter.getLock().hold();
  return ++counter.value;
}

export const travelTasks = defineTasks(import.meta.url, { makeCounter, bump });
