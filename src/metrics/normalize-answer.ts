// The answer normalisation of the Super-NaturalInstructions scorer (SQuAD's, without removing articles):
// lowercase, drop ASCII punctuation, collapse whitespace. Exact match compares normalised strings.

// Python's string.punctuation.
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// The characters Python's str.split() splits on (JavaScript's \s differs: it has U+FEFF, lacks U+001C-1F, U+0085).
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C-U+001F are whitespace to Python.
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, "")
    .split(PY_WHITESPACE)
    .filter((w) => w.length > 0)
    .join(" ");
}

export function exactMatch(a: string, b: string): boolean {
  return normalizeAnswer(a) === normalizeAnswer(b);
}
