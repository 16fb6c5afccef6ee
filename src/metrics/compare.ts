// Paired comparison of two systems (e.g. SFT vs SFT(IA) vs CAT) answering the same items: items are
// matched by id, and every figure's difference gets a paired bootstrap interval.
import { type BootstrapOptions, compareFigures, DEFAULT_BOOTSTRAP, type Difference } from "./bootstrap.js";
import type { Figure } from "./figures.js";
import type { ItemResult } from "./item.js";

export interface Comparison {
  /** Items present in both systems' results, the ones compared. */
  paired: number;
  onlyInA: string[];
  onlyInB: string[];
  figures: Record<string, Difference>;
}

export function compareSystems(
  figures: readonly Figure[],
  a: readonly ItemResult[],
  b: readonly ItemResult[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Comparison {
  const byId = new Map(b.map((item) => [item.id, item]));
  const pairedA = a.filter((item) => byId.has(item.id));
  if (pairedA.length === 0) throw new RangeError("the two systems share no item id");
  const ids = new Set(a.map((item) => item.id));
  return {
    paired: pairedA.length,
    onlyInA: a.filter((item) => !byId.has(item.id)).map((item) => item.id),
    onlyInB: b.filter((item) => !ids.has(item.id)).map((item) => item.id),
    figures: compareFigures(
      figures,
      pairedA,
      pairedA.map((item) => byId.get(item.id)!),
      options,
    ),
  };
}
