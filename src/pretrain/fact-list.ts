// Up to n different facts from a random fact maker: a document never states the same fact twice.
export function factList(n: number, make: () => string): string[] {
  const out = new Set<string>();
  for (let tries = 0; out.size < n && tries < n * 4; tries++) out.add(make());
  return [...out];
}
