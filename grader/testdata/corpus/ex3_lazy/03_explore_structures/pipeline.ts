// No Process, no Queue.
export function pipeline(items: number[]): Promise<number[]> {
  return Promise.resolve(items.map((x) => x * x));
}
