// A data: module runs with the Worker's rights: it cannot read outside the workspace either.
await import("data:text/javascript,export default Deno.readTextFileSync(\"/etc/hostname\")");

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
