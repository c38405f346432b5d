/** Floods its output on purpose (20 000 lines a call, far past the 16 KiB kept), then answers exactly. */
export function sumRange(lo: number, hi: number): bigint {
  for (let i = 0; i < 20_000; i++) console.log(`adding ${lo + i} to the total, line ${i}`);
  if (hi <= lo) return 0n;
  const a = BigInt(lo);
  const b = BigInt(hi);
  return ((b - a) * (a + b - 1n)) / 2n;
}
