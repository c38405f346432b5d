// The npm loader ignores a Worker's own denial: the subprocess's --no-npm refuses it.
await import("npm:is-odd@3.0.1");

export function sumRange(lo: number, hi: number): bigint {
  let total = 0n;
  for (let start = lo; start < hi; start += 1_000_000) {
    const end = Math.min(start + 1_000_000, hi);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  return total;
}
