// The rule paraphraser's own tables, written for instruction text. Each group lists phrases that are
// interchangeable wherever one of them occurs as whole words; entries that would be wrong in some
// context (the noun "answer", "right" as "correct") are given as longer phrases that pin the sense.

/** Interchangeable words and phrases (matched case-insensitively, longest first). */
export const SYNONYMS: readonly (readonly string[])[] = [
  ["give", "return", "output", "provide"],
  ["write down", "note down", "jot down"],
  ["tell me", "let me know"],
  ["show me", "give me"],
  ["determine", "figure out", "find out"],
  ["identify", "pick out", "point out"],
  ["calculate", "compute", "work out"],
  ["choose", "pick", "select"],
  ["sort", "arrange"],
  ["comes", "appears"],
  ["appear", "occur", "show up"],
  ["express", "convey"],
  ["expresses", "conveys"],
  ["mention", "refer to"],
  ["extract", "pull out"],
  ["classify", "categorize"],
  ["evaluate", "find the value of"],
  ["count", "tally"],
  ["backwards", "in reverse", "in reverse order"],
  ["alphabetically", "in alphabetical order"],
  ["ascending order", "increasing order"],
  ["largest", "biggest", "highest"],
  ["smallest", "lowest"],
  ["here are", "you are given"],
  ["every word", "each word"],
  ["in the order given", "in their original order", "keeping the original order"],
  ["tell me whether", "tell me if", "let me know whether"],
  ["this word", "the given word", "the word provided"],
  ["this sentence", "the given sentence", "the sentence provided"],
  ["these words", "the given words", "the words provided"],
  ["these numbers", "the given numbers", "the numbers provided"],
  ["contain", "include"],
  ["contains", "includes"],
  ["larger", "bigger", "greater"],
  ["smaller", "lower"],
  ["mentioned", "named", "referred to"],
  ["belong to", "fall under"],
  ["belongs to", "falls under"],
  ["the given", "the specified", "the provided"],
  ["answer with", "reply with", "respond with"],
  ["right after", "directly after", "immediately after", "just after"],
  ["right before", "directly before", "immediately before", "just before"],
  ["below", "underneath"],
];

/**
 * Answer-format demands said in other words. Every member keeps the same constraint words (yes/no,
 * comma, the unit of the answer), so the answer a rewrite asks for is the string the original asks for.
 */
export const FORMAT_PHRASES: readonly (readonly string[])[] = [
  [
    "answer with a single word",
    "reply using one word only",
    "respond in a single word",
    "use one word only in your answer",
  ],
  [
    "answer with just the word",
    "answer with the word only",
    "reply with only the word",
    "give the word alone",
  ],
  ["answer with just the number", "answer with the number only", "reply with only the number"],
  ["answer with just the letter", "answer with the letter only", "reply with only the letter"],
  ["answer yes or no", "reply yes or no", "respond with yes or no", "say yes or no", "answer with yes or no"],
  ["answer true or false", "reply true or false", "respond with true or false", "say true or false"],
  ["separated by commas", "comma-separated", "with commas between them"],
  ["nothing else", "and nothing more", "with no other text"],
];

/** Neutral frames a rewrite may put before the instruction. */
export const FRAMES: readonly string[] = ["Task:", "Instruction:", "Your task:"];

/** Imperative verbs a polite form may follow ("Please find ...", "Could you find ...?"). */
export const IMPERATIVE_VERBS: ReadonlySet<string> = new Set(
  (
    "write give return output provide name find identify count sort arrange list put spell convert " +
    "reverse classify choose pick select tell state evaluate calculate compute decide determine extract " +
    "rewrite change make order label look check say take copy show spot filter keep drop locate read " +
    "turn transform work compare answer reply respond"
  ).split(" "),
);

/** Phrases that carry a constraint: never rewritten by synonym substitution. */
export const PROTECTED_PHRASES: readonly string[] = [
  "yes or no",
  "true or false",
  "positive or negative",
  "comma-separated",
  "separated by commas",
  "one word",
  "single word",
  "upper case",
  "lower case",
  "uppercase",
  "lowercase",
  "capital letters",
  "all caps",
  "json",
  "csv",
  "bullet",
];
