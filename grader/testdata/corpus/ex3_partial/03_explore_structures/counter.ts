import type { Value } from "../../lib/mod.ts";

export function addMany(counter: Value<"i">, times: number): void {
  for (let i = 0; i < times; i++) {
    using _ = counter.getLock().hold();
    counter.value += 1;
  }
}
