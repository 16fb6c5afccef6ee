// The hint after an unknown key: the known keys a typo away from it (Levenshtein distance on the whole
// dotted key or on its last part, at most a third of the typed part's length), else the first few
// known keys. Substring matches named unrelated keys: any key ending in a one-letter part ("n")
// matched every typo that contained that letter.

/** Insertions, deletions and substitutions that turn `a` into `b` (two-row dynamic programme). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

const lastPart = (key: string) => key.slice(key.lastIndexOf(".") + 1);

/** "did you mean a, b?" for keys within the threshold, closest first; else "known: …" (8 at most). */
export function nearestKeysHint(key: string, known: readonly string[]): string {
  const distance = (k: string) =>
    Math.min(
      editDistance(key, k) / Math.max(1, key.length),
      editDistance(lastPart(key), lastPart(k)) / Math.max(1, lastPart(key).length),
    );
  const close = known
    .map((k) => [k, distance(k), editDistance(key, k)] as const)
    .filter(([, d]) => d <= 1 / 3)
    .sort((x, y) => x[1] - y[1] || x[2] - y[2])
    .map(([k]) => k);
  return close.length > 0
    ? `did you mean ${close.slice(0, 3).join(", ")}?`
    : `known: ${known.slice(0, 8).join(", ")}`;
}
