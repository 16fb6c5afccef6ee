// Views of an evaluation set by where its wordings came from: the same items, each keeping only the
// variants of one origin (say the seed wordings a model was trained on, and held-out wordings it never
// saw), so every figure, CR included, can be read per origin.
import type { ParaphraseGroup } from "./group.js";

/**
 * One view per origin present, in order of first appearance: the groups that have a variant of that
 * origin, each with only those variants (recorded log-probs cut to the same variants). Empty when
 * every variant has the same origin: the whole set is then the only view.
 */
export function originViews(groups: readonly ParaphraseGroup[]): Map<string, ParaphraseGroup[]> {
  const origins = [...new Set(groups.flatMap((g) => g.variants.map((v) => v.origin)))];
  const views = new Map<string, ParaphraseGroup[]>();
  if (origins.length < 2) return views;
  for (const origin of origins) {
    const view: ParaphraseGroup[] = [];
    for (const g of groups) {
      const kept = g.variants.flatMap((v, i) => (v.origin === origin ? [i] : []));
      if (kept.length === 0) continue;
      view.push({
        ...g,
        variants: kept.map((i) => {
          const v = { ...g.variants[i]! };
          if (v.logprobs !== undefined) v.logprobs = kept.map((j) => v.logprobs![j]!);
          return v;
        }),
      });
    }
    views.set(origin, view);
  }
  return views;
}
