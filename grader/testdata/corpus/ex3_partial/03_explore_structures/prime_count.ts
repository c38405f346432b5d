import { defineTasks, type Pool } from "../../lib/mod.ts";

function countBlock(lo: number, hi: number): number {
  let count = 0;
  for (let n = Math.max(lo, 2); n < hi; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

const tasks = defineTasks(import.meta.url, { countBlock });

export function countPrimes(limit: number, pool: Pool): Promise<number> {
  const blocks = 16;
  const size = Math.ceil(limit / blocks);
  let total = 0;
  const results = [];
  for (let lo = 0; lo < limit; lo += size) {
    results.push(pool.applyAsync(tasks.countBlock, [lo, Math.min(lo + size, limit)], {
      callback: (count: number) => {
        total += count;
      },
    }));
  }
  return Promise.all(results.map((result) => result.get())).then(() => total);
}
