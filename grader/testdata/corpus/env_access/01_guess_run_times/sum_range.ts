export function sumRange(_lo: number, _hi: number): bigint {
  return BigInt(Deno.env.get("HOME")?.length ?? 0);
}
