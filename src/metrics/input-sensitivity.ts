// Input sensitivity: how often a model's answer changes when the input changes and the wording does
// not. Consistency across wordings is only worth having in a model that still reads its input; a model
// that gives one answer whatever it is asked is perfectly consistent and scores 0 here.
//
// The pairing, precisely: within one task, every unordered pair of variants (a of item A, b of item B)
// with A ≠ B, a.text === b.text (the same wording, compared as the exact instruction text, not by
// position: the built-in suite draws each item's wordings separately) and gold answers that differ
// (no normalised reference of A equals one of B). Sensitivity is the share of those pairs whose two
// responses differ after SuperNI normalisation. Pairs whose gold answers agree are left out, because
// the right answer does not change there; so an oracle scores 1 and a constant answer 0.
import type { ParaphraseGroup } from "../data/group.js";
import { normalizeAnswer } from "./normalize-answer.js";

export interface InputSensitivity {
  /** Pairs of different instances under one wording whose gold answers differ. */
  pairs: number;
  /** Of those, the pairs whose two responses differ after normalisation. */
  changed: number;
  /** changed / pairs; null when no such pair exists (every item has its own wordings, or one answer). */
  value: number | null;
}

interface Answer {
  item: number;
  gold: ReadonlySet<string>;
  response: string;
}

const disjoint = (a: ReadonlySet<string>, b: ReadonlySet<string>) => ![...a].some((x) => b.has(x));

/**
 * Input sensitivity of the responses to one task's groups (pass the groups of one task; pooling tasks
 * would pair inputs whose answers are not comparable). Groups without references and variants
 * without a response are left out.
 */
export function inputSensitivity(groups: readonly ParaphraseGroup[]): InputSensitivity {
  const byWording = new Map<string, Answer[]>();
  groups.forEach((g, item) => {
    if (g.references.length === 0) return;
    const gold = new Set(g.references.map(normalizeAnswer));
    for (const v of g.variants) {
      if (v.response === undefined) continue;
      const list = byWording.get(v.text) ?? [];
      list.push({ item, gold, response: normalizeAnswer(v.response) });
      byWording.set(v.text, list);
    }
  });
  let pairs = 0;
  let changed = 0;
  for (const answers of byWording.values()) {
    for (let i = 0; i < answers.length; i++) {
      for (let j = i + 1; j < answers.length; j++) {
        const [a, b] = [answers[i]!, answers[j]!];
        if (a.item === b.item || !disjoint(a.gold, b.gold)) continue;
        pairs++;
        if (a.response !== b.response) changed++;
      }
    }
  }
  return { pairs, changed, value: pairs === 0 ? null : changed / pairs };
}
