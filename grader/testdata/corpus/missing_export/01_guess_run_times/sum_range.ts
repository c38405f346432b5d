export function sum(lo: number, hi: number): bigint {
  return BigInt(lo + hi);
}
