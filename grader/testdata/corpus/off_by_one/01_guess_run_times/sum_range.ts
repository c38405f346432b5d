// Sums [lo, hi] instead of [lo, hi): the seed's parallel version's range.
export function sumRange(lo: number, hi: number): bigint {
  if (hi <= lo) return 0n;
  let total = 0n;
  for (let start = lo; start <= hi; start += 1_000_000) {
    const end = Math.min(start + 1_000_000, hi + 1);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  return total;
}
