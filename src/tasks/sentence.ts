// Short lowercase sentences from the lexicon's templates, for the sentence tasks. Slots are upper-case
// words (NAME, VERB, ADJ, THING, ANIMAL, PLACE, PREP); each slot kind draws distinct words within a
// sentence, so a sentence never names the same thing twice by accident. THING is any category word
// but animals (only ANIMAL slots put animals in a sentence) and colours (not things one can carry).
import type { Rng } from "../util/random.js";
import { lexicon } from "./lexicon.js";
import { pick, shuffle } from "./pick.js";

function slotWords(slot: string): readonly string[] | undefined {
  const lex = lexicon();
  switch (slot) {
    case "NAME":
      return lex.names;
    case "VERB":
      return lex.verbs;
    case "ADJ":
      return lex.adjectives;
    case "PLACE":
      return lex.places;
    case "PREP":
      return lex.prepositions;
    case "ANIMAL":
      return lex.categories.animal;
    case "THING":
      return Object.entries(lex.categories)
        .filter(([category]) => category !== "animal" && category !== "color")
        .flatMap(([, words]) => words);
    default:
      return undefined;
  }
}

/** Fills a template; `fixed` supplies slots the caller chose (e.g. SENT or NUM). */
export function fillTemplate(rng: Rng, template: string, fixed: Record<string, string> = {}): string {
  const queues = new Map<string, string[]>();
  return template
    .split(" ")
    .map((token) => {
      if (token in fixed) return fixed[token]!;
      const words = slotWords(token);
      if (words === undefined) return token;
      if (!queues.has(token)) queues.set(token, shuffle(rng, words));
      return queues.get(token)!.pop()!;
    })
    .join(" ");
}

export function randomSentence(rng: Rng, kind: keyof ReturnType<typeof lexicon>["templates"]): string {
  return fillTemplate(rng, pick(rng, lexicon().templates[kind]));
}
