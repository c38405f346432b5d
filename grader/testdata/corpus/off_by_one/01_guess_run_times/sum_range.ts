export function sumRange(lo: number, hi: number): bigint {
  let total = 0n;
  for (let i = lo; i <= hi && hi > lo; i++) total += BigInt(i);
  return total;
}
