export function sumRange(lo: number, hi: number): bigint {
  const parts: number[][] = [];
  while (parts.length >= 0) parts.push(new Array(1_000_000).fill(lo + hi + 0.5));
  return 0n;
}
