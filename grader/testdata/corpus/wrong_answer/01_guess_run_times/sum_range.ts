export function sumRange(lo: number, hi: number): bigint {
  return BigInt(lo + hi);
}
