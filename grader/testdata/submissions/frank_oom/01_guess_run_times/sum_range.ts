/** Exhausts memory on purpose: keeps 256 MiB of bytes per step, never letting any go. */
const kept: Uint8Array[] = [];
export function sumRange(lo: number, hi: number): bigint {
  while (true) kept.push(new Uint8Array(256 * 1024 * 1024).fill((lo + hi) & 0xff));
}
