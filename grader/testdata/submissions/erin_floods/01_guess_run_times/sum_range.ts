/** Floods its output on purpose (a line per number of a few ranges), then answers exactly. */
export function sumRange(lo: number, hi: number): bigint {
  let total = 0n;
  for (let i = lo; i < hi; i++) {
    if (i - lo < 200_000) console.log(`adding ${i} to the total, which is now ${total}`);
    total += BigInt(i);
  }
  return total;
}
