export function sumRange(_lo: number, _hi: number): Promise<bigint> {
  return new Promise(() => {});
}
