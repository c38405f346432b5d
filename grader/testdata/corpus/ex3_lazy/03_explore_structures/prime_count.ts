export function countPrimes(limit: number): Promise<number> {
  let n = 0;
  for (let i = 2; i < limit; i++) { let p = true; for (let d = 2; d * d <= i; d++) if (i % d === 0) { p = false; break; } if (p) n++; }
  return Promise.resolve(n);
}
