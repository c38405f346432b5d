export function sumRange(lo: number, hi: number): bigint {
  let total = 0n;
  for (let i = lo; i < hi || true; i++) total += 1n;
  return total;
}
