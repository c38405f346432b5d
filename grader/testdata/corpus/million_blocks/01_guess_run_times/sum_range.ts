// Blocks of a million numbers: exact up to about 1e9, but near 1e12 a block's sum passes 2^53.
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
