import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { REVIVE, SHARE } from "./_shareable.ts";
import { Lock, RLock } from "./lock.ts";
import { runAll, runInWorker } from "./testdata/shared_spawn.ts";
import { moreTasks, tasks, travelTasks } from "./testdata/shared_tasks.ts";
import { answerTasks, HAS_ANSWERS } from "./testdata/answers.ts";
import { Pool } from "./pool.ts";
import { SharedArray } from "./shared_array.ts";
import { RawValue, Value } from "./value.ts";

const WORKERS = 4;

Deno.test({
  name: "Value with its lock: N workers x M increments are exact, many times in a row",
  // Its task is exercise 3's counter, word for word: instructor's kit only.
  ignore: !HAS_ANSWERS,
}, async () => {
  const { addWithValueLock } = await answerTasks();
  for (let run = 0; run < 3; run++) {
    const counter = new Value("i", 0);
    const times = 20_000;
    await runAll(addWithValueLock, Array.from({ length: WORKERS }, () => [counter, times]));
    equal(counter.value, WORKERS * times);
  }
});

Deno.test("RawValue.add() is atomic: no update is lost without a lock", async () => {
  const counter = new RawValue("i", 0);
  await runAll(tasks.addAtomic, Array.from({ length: WORKERS }, () => [counter, 20_000]));
  equal(counter.value, WORKERS * 20_000);
  throws(() => new RawValue("d", 0).add(1), { message: /is a float: hold the lock/ });
  equal(new RawValue("q", 5n).add(2n), 5n);
});

Deno.test("Value arrives in a worker as the same value, with its type and lock", async () => {
  const value = new Value("q", 41n);
  deepEqual(await runInWorker(moreTasks.describeValue, value), {
    ok: true,
    value: ["q", 41n, true],
  });
  const bare = new Value("d", 2.5, { lock: false });
  deepEqual(await runInWorker(moreTasks.describeValue, bare), {
    ok: true,
    value: ["d", 2.5, false],
  });
});

Deno.test("Value's type codes map to typed arrays and convert like them", () => {
  equal(new RawValue("b", 200).value, -56);
  equal(new RawValue("B", 256).value, 0);
  equal(new RawValue("h", 40_000).value, -25_536);
  equal(new RawValue("H", -1).value, 65_535);
  equal(new RawValue("i", 2 ** 31).value, -(2 ** 31));
  equal(new RawValue("I", -1).value, 2 ** 32 - 1);
  equal(new RawValue("l", 2n ** 62n).value, 2n ** 62n);
  equal(new RawValue("L", -1n).value, 2n ** 64n - 1n);
  equal(new RawValue("q", -3n).value, -3n);
  equal(new RawValue("Q", 3n).value, 3n);
  equal(new RawValue("f", 0.1).value, Math.fround(0.1));
  equal(new RawValue("d", 0.1).value, 0.1);
  equal(new RawValue("int64").value, 0n);
  equal(new RawValue("float64").value, 0);
  equal(new RawValue("uint8", 7).typecode, "uint8");
});

Deno.test("Value rejects an unknown type code, a wrong initial type and a wrong lock", () => {
  throws(() => new Value("x" as "i", 0), { name: "TypeError", message: /unknown type code "x"/ });
  throws(() => new Value("q", 1 as unknown as bigint), {
    name: "TypeError",
    message: 'Cannot make Value: type "q" holds bigint values: received number',
  });
  throws(() => new Value("i", 1n as unknown as number), TypeError);
  throws(() => new Value("i", 0, { lock: "yes" as unknown as boolean }), TypeError);
  const bare = new Value("i", 0, { lock: false });
  // @ts-expect-error: a Value made with lock: false has no getLock in its type
  throws(() => bare.getLock(), {
    message: "Cannot get lock: this Value was made with lock: false",
  });
});

Deno.test("Value defaults to an RLock and can share a given lock", () => {
  ok(new Value("i").getLock() instanceof RLock);
  const lock = new Lock();
  const a = new Value("i", 0, { lock });
  const b = new Value("d", 0, { lock });
  equal(a.getLock(), lock);
  equal(b.getLock(), lock);
});

Deno.test("Value revives from its handle onto the same memory", () => {
  const value = new Value("i", 1);
  const handle = value[SHARE]();
  equal(handle.kind, "Value");
  const twin = Value[REVIVE](handle.state);
  twin.value = 9;
  equal(value.value, 9);
  throws(() => Value[REVIVE]({ type: "i" }), { name: "TypeError", message: /no shared buffer/ });
});

Deno.test("Value travels by reference through Pool tasks, as an argument and as a result", async () => {
  await using pool = new Pool({ processes: 2 });
  const counter = await pool.apply(travelTasks.makeCounter, [10]);
  ok(counter instanceof Value);
  const bumps = await Promise.all(
    Array.from({ length: 8 }, () => pool.apply(travelTasks.bump, [counter])),
  );
  equal(counter.value, 18);
  deepEqual([...bumps].sort((a, b) => a - b), [11, 12, 13, 14, 15, 16, 17, 18]);
});

/**
 * Two async flows of this thread each add 1 `times` times across an `await`, under the value's
 * lock; returns how many were inside at once at most.
 */
async function addAcrossAwaits(counter: Value<"i">, times: number): Promise<number> {
  let inside = 0;
  let mostInside = 0;
  const flow = async () => {
    for (let i = 0; i < times; i++) {
      using _ = await counter.getLock().holdAsync();
      mostInside = Math.max(mostInside, ++inside);
      const read = counter.value;
      await new Promise((resolve) => setTimeout(resolve, 0));
      counter.value = read + 1;
      inside--;
    }
  };
  await Promise.all([flow(), flow()]);
  return mostInside;
}

Deno.test("Value's default RLock lets two async flows of one thread in at once; a Lock keeps them apart", async () => {
  const reentrant = new Value("i", 0);
  equal(await addAcrossAwaits(reentrant, 10), 2, "an RLock's owner is the thread");
  ok(reentrant.value < 20, "updates were lost");
  const exclusive = new Value("i", 0, { lock: new Lock() });
  equal(await addAcrossAwaits(exclusive, 10), 1);
  equal(exclusive.value, 20);
});

Deno.test("Value and SharedArray made with lock: false say so in their type and hasLock (_TestValue.test_getobj_getlock, _TestArray.test_getobj_getlock_obj)", () => {
  const locked = new Value("i", 5);
  equal(locked.hasLock, true);
  ok(locked.getLock() instanceof RLock);
  const given = new Value("i", 5, { lock: new Lock() });
  equal(given.hasLock, true);
  ok(given.getLock() instanceof Lock);
  const bare = new Value("i", 5, { lock: false });
  equal(bare.hasLock, false);
  const bareArray = new SharedArray("i", 3, { lock: false });
  equal(bareArray.hasLock, false);
  // @ts-expect-error: no getLock on a lockless array's type
  throws(() => bareArray.getLock(), TypeError);
  const accepts = (value: Value<"i">) => value.getLock();
  accepts(given); // a Value with a given lock is a Value<"i">
  // @ts-expect-error: a lockless Value is not
  throws(() => accepts(bare), TypeError);
});
