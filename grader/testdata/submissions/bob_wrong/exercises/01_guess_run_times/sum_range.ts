/** Wrong on purpose: a plain number total (inexact past 2^53) and hi included. */
export function sumRange(lo: number, hi: number): bigint {
  let total = 0;
  for (let i = lo; i <= hi; i++) total += i;
  return BigInt(total);
}
