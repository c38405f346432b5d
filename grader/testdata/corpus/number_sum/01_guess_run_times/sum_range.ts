export function sumRange(lo: number, hi: number): bigint {
  let total = 0;
  for (let i = lo; i < hi; i++) total += i;
  return BigInt(total);
}
