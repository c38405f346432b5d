// Locked, but one increment of `times` instead of `times` increments of 1.
import type { Value } from "../../lib/mod.ts";

export function addMany(counter: Value<"i">, times: number): void {
  using _ = counter.getLock().hold();
  counter.value += times;
}
