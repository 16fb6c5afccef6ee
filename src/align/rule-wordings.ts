// Stage 2's wordings no stage trained on (`sample.wordings rules`): every wording training gave a task,
// rewritten by the rule-based paraphraser, RULE_REWRITES kept of each; none is a training wording and
// none is near a held-out wording of the task. Measured on the demo (docs/training.md, "Rule paraphrases
// of every training wording"): the stage-1 model is less sure of them than of the wordings it trained
// on, so its candidates disagree more and the self-reward has more to separate.
import type { ParaphraseGroup, Variant } from "../data/index.js";
import { ORIGINAL } from "../data/index.js";
import { augmentGroups } from "./augment.js";
import { DEFAULT_FILTERS } from "./augment-filters.js";
import type { ParaphraseSource } from "./paraphrase-source.js";

/** Rewrites kept per training wording. */
export const RULE_REWRITES = 2;
const RULE_ORIGIN = "rules";

/** Items of one task share its wordings; an item without a task stands for its instruction alone. */
const taskKey = (g: ParaphraseGroup) => (g.task === undefined ? `\u0000${g.instruction}` : g.task);

/**
 * Each of `groups` with its variants replaced by the rule rewrites of every wording `training` gives its
 * task (`training`'s variants, the items' own instructions among them); a group whose task has none keeps
 * its own wordings. `heldOut`: the evaluation groups (one without a task guards every task).
 */
export async function withRuleWordings(
  groups: readonly ParaphraseGroup[],
  training: readonly ParaphraseGroup[],
  rules: ParaphraseSource,
  opts: { seed: number; heldOut: readonly ParaphraseGroup[] },
): Promise<ParaphraseGroup[]> {
  const wordings = new Map<string, Set<string>>();
  for (const g of [...training, ...groups]) {
    const known = wordings.get(taskKey(g)) ?? new Set<string>();
    for (const text of [g.instruction, ...g.variants.map((v) => v.text)]) known.add(text);
    wordings.set(taskKey(g), known);
  }
  const fresh = new Map<string, Variant[]>();
  for (const [key, texts] of wordings) {
    // One pseudo-group per wording, so augment rewrites each once; only the task's held-out wordings
    // are compared with (a held-out wording of another task is no leak).
    const asked = [...texts].map((text) => ({
      id: text,
      task: key,
      instruction: text,
      input: "",
      variants: [{ text, origin: ORIGINAL }],
      references: [],
    }));
    const heldOut = opts.heldOut
      .filter((g) => g.task === undefined || taskKey(g) === key)
      .flatMap((g) => g.variants.map((v) => v.text));
    const { groups: rewritten } = await augmentGroups(asked, rules, {
      n: RULE_REWRITES,
      seed: opts.seed,
      origin: RULE_ORIGIN,
      filters: DEFAULT_FILTERS,
      heldOut,
    });
    const list: Variant[] = [];
    for (const v of rewritten.flatMap((g) => g.variants))
      if (v.origin === RULE_ORIGIN && !texts.has(v.text) && !list.some((x) => x.text === v.text))
        list.push(v);
    fresh.set(key, list);
  }
  return groups.map((g) => {
    const variants = fresh.get(taskKey(g)) ?? [];
    return variants.length === 0 ? g : { ...g, variants };
  });
}
