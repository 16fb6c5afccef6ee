// Lexicon-based classification of words into the lexicon's categories.
import type { Rng } from "../../util/random.js";
import { lexicon } from "../lexicon.js";
import { between, joinList, pick, pickDistinct, shuffle } from "../pick.js";
import { defineFamily } from "../task-family.js";

const categoryNames = () => Object.keys(lexicon().categories);

/**
 * A category and three or four words of which `inside` belong to it; the work names the members, as the
 * corpus's category documents do.
 */
function categoryWords(rng: Rng, inside: (total: number) => number) {
  const { categories } = lexicon();
  const category = pick(rng, categoryNames());
  const total = between(rng, 3, 4);
  const hits = inside(total);
  const others = categoryNames()
    .filter((c) => c !== category)
    .flatMap((c) => categories[c]!);
  const members = new Set(pickDistinct(rng, categories[category]!, hits));
  const words = shuffle(rng, [...members, ...pickDistinct(rng, others, total - hits)]);
  const list = joinList(words);
  const insideWords = words.filter((w) => members.has(w));
  return {
    input: `Category: ${category}\nWords: ${list}`,
    work: `Category: ${category}\nMembers among ${list}: ${hits === 0 ? "none" : joinList(insideWords)}`,
    hits,
    total,
  };
}

const yesNo = (b: boolean) => (b ? "yes" : "no");

export const allInCategory = defineFamily({
  name: "all-in-category",
  description: 'Whether every one of three or four words belongs to a given category ("yes" or "no").',
  options: 2,
  make(rng) {
    // Half the instances are all inside; the rest have at least one word outside.
    const { input, work, hits, total } = categoryWords(rng, (n) => (rng.next() < 0.5 ? n : rng.int(n)));
    return { input, answer: yesNo(hits === total), work };
  },
});

export const anyInCategory = defineFamily({
  name: "any-in-category",
  description: 'Whether at least one of three or four words belongs to a given category ("yes" or "no").',
  options: 2,
  make(rng) {
    // Half the instances have no word inside; the rest have one or more.
    const { input, work, hits } = categoryWords(rng, (n) => (rng.next() < 0.5 ? 0 : between(rng, 1, n)));
    return { input, answer: yesNo(hits > 0), work };
  },
});

export const wordCategory = defineFamily({
  name: "word-category",
  description: "Which of three offered categories a word belongs to.",
  options: 3,
  make(rng) {
    const { categories } = lexicon();
    const [category, ...wrong] = pickDistinct(rng, categoryNames(), 3) as [string, ...string[]];
    const word = pick(rng, categories[category]!);
    return {
      input: `Word: ${word}\nOptions: ${joinList(shuffle(rng, [category, ...wrong]))}`,
      answer: category,
      work: `${word} is a kind of ${category}.`,
    };
  },
});
