export function sumRange(lo: number, hi: number): bigint {
  let total = 0n;
  for (let start = lo; start < hi; start += 1000) {
    const end = Math.min(start + 1000, hi);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  return total;
}
