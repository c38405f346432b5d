// No pool, no manager.
export function wordCount(texts: string[]): Promise<Record<string, number>> {
  const c: Record<string, number> = {};
  for (const t of texts) for (const w of t.split(/\s+/)) if (w) c[w.toLowerCase()] = (c[w.toLowerCase()] ?? 0) + 1;
  return Promise.resolve(c);
}
