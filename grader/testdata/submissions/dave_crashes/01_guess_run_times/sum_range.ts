/** Crashes on purpose: ends its own thread as soon as it is called. */
export function sumRange(_lo: number, _hi: number): bigint {
  Deno.exit(7);
}
