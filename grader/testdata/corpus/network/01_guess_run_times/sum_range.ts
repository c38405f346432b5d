export async function sumRange(_lo: number, _hi: number): Promise<bigint> {
  const response = await fetch("http://127.0.0.1:9/");
  return BigInt((await response.text()).length);
}
