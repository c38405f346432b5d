/** Right: the closed form, exact as bigint. */
export function sumRange(lo: number, hi: number): bigint {
  if (hi <= lo) return 0n;
  const a = BigInt(lo);
  const b = BigInt(hi);
  return ((b - a) * (a + b - 1n)) / 2n;
}
