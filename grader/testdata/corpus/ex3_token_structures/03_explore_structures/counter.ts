// One locked `value += times`, padded with `add(0)` calls so that the counter is touched `times`
// times: the count is right, but it never rose by 1.
import type { Value } from "../../lib/mod.ts";

export function addMany(counter: Value<"i">, times: number): void {
  {
    using _ = counter.getLock().hold();
    counter.value += times;
  }
  for (let i = 1; i < times; i++) counter.add(0);
}
