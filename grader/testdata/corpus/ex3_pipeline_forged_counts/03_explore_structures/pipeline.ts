// Hostile: no Process runs at all. The squares are computed in the calling thread, and the
// grader's counts, kept by wrappers on the lib's prototypes in this same isolate, are forged:
// Function.prototype.apply is replaced so that the wrapped Process.prototype.start and join, called
// on two plain objects, never reach the lib's own start and join (which would throw on them) and
// so count them as started and joined; while the "start" runs, a Queue is shared with each, and
// the items are put on it and taken off in the calling thread, so its ring carried their bytes.
// Expected on Linux: both pipeline checks fail (the operating system saw no Worker thread end
// during either call). Where there is no /proc only the driver's counts speak, and they pass.
import { Process, Queue } from "../../lib/mod.ts";

const SHARE = Symbol.for("parakit.share");

type Callable = (this: unknown, ...args: unknown[]) => unknown;

async function forgeCounts(queue: Queue<number>): Promise<void> {
  const fakes: object[] = [{}, {}];
  const apply = Function.prototype.apply;
  Function.prototype.apply = function (this: Callable, self: unknown, args?: unknown[]) {
    if (fakes.includes(self as object) && (this.name === "start" || this.name === "join")) {
      if (this.name === "start") (queue as unknown as Record<symbol, () => unknown>)[SHARE]();
      return this.name === "join" ? Promise.resolve() : undefined;
    }
    return Reflect.apply(this, self, args ?? []);
  };
  try {
    const start = Process.prototype.start as unknown as Callable;
    const join = Process.prototype.join as unknown as Callable;
    for (const fake of fakes) start.call(fake);
    for (const fake of fakes) await join.call(fake);
  } finally {
    Function.prototype.apply = apply;
  }
}

export async function pipeline(items: number[]): Promise<number[]> {
  const queue = new Queue<number>();
  await forgeCounts(queue);
  // Bytes on the shared Queue's ring: put and taken in this thread (a few, for the big call).
  const some = items.slice(0, 1000);
  for (const item of some) queue.put(item);
  for (let i = 0; i < some.length; i++) queue.get();
  return items.map((x) => x * x);
}
