export function sumRange(_lo: number, _hi: number): bigint {
  throw new RangeError("not today");
}
