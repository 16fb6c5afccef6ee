import assert from "node:assert/strict";
import { test } from "node:test";
import { type ReferenceJob, runReference } from "../../test/reference/python-reference.js";
import { createRng } from "../util/random.js";
import { rougeLQuality } from "./quality.js";
import { ROUGE_TYPES, type RougeScores, rouge, rougeMax } from "./rouge.js";
import { rougeTokenize } from "./tokenizers.js";

type Prf = [number, number, number];
type Expected = Partial<Record<(typeof ROUGE_TYPES)[number], Prf>>;

// Worked by hand from Lin (2004); the reference scorer must reproduce these too.
const HAND: { target: string; prediction: string; stem: boolean; want: Expected }[] = [
  {
    target: "the cat sat on the mat",
    prediction: "the cat on the mat",
    stem: true,
    want: {
      rouge1: [1, 5 / 6, 10 / 11],
      rouge2: [3 / 4, 3 / 5, 2 / 3],
      rougeL: [1, 5 / 6, 10 / 11],
      rougeLsum: [1, 5 / 6, 10 / 11],
    },
  },
  {
    // Lin's union-LCS example: LCS with the two sentences are (one two) and (one three five).
    target: "one two three four five",
    prediction: "one two six seven eight\none three eight nine five",
    stem: false,
    want: {
      rouge1: [0.4, 0.8, 8 / 15],
      rouge2: [1 / 9, 1 / 4, 2 / 13],
      rougeL: [0.4, 0.8, 8 / 15],
      rougeLsum: [0.4, 0.8, 8 / 15],
    },
  },
  {
    // Without ROUGE-1.5.5's per-token counts this would count 4 hits against 2 prediction tokens.
    target: "x y\nx y",
    prediction: "x y",
    stem: false,
    want: { rougeLsum: [1, 0.5, 2 / 3], rougeL: [1, 0.5, 2 / 3] },
  },
  {
    target: "Running dogs!",
    prediction: "run, DOG",
    stem: true,
    want: { rouge1: [1, 1, 1], rouge2: [1, 1, 1], rougeL: [1, 1, 1] },
  },
  { target: "Running dogs!", prediction: "run, DOG", stem: false, want: { rouge1: [0, 0, 0] } },
  { target: "", prediction: "anything", stem: true, want: { rouge1: [0, 0, 0], rougeL: [0, 0, 0] } },
  { target: "Привет, мир", prediction: "Привет, мир", stem: true, want: { rougeL: [0, 0, 0] } },
];

// Inputs chosen to reach the tokenizer's corners: case, digits, punctuation runs, tabs, CRLF, blank
// lines, repeated words, non-ASCII letters (dropped) and letters that lowercase into ASCII (Kelvin sign).
const TABLE: { target: string; prediction: string }[] = [
  {
    target: "The quick brown fox jumps over the lazy dog",
    prediction: "The quick brown dog jumps on the log.",
  },
  { target: "It's 3:45pm -- the U.S.A. won 2-1!", prediction: "the usa won 2 to 1 at 3 45 pm" },
  { target: "line one\nline two\n\nline three", prediction: "line three\nline one\r\nline two" },
  { target: "a a a a b b", prediction: "a b a b a b a" },
  { target: "generalizations generously conditional", prediction: "general generous condition" },
  { target: "naïve café résumé", prediction: "naive cafe resume" },
  { target: "\u212Aelvin İstanbul", prediction: "kelvin istanbul" },
  { target: "tabs\tand  spaces\u00a0nbsp", prediction: "tabs and spaces nbsp" },
  { target: "...!!!", prediction: "???" },
  { target: "1990s 2000s versions v2", prediction: "1990 2000 version v2" },
  { target: "skies dying lying news innings", prediction: "sky die lie news inning" },
  { target: "x", prediction: "x x x x" },
  { target: "the the the\nthe", prediction: "the\nthe the the the" },
  { target: "Answer: yes", prediction: "yes" },
];

const WORDS = (
  "the a of to and model models answer answers answered answering paraphrase paraphrased consistent " +
  "consistency running runs ran happy happily happiness relate relational relations generalize is are " +
  "was 42 3 2024 cats cat's dog dogs x y z"
).split(" ");
const GLUE = [" ", " ", " ", ", ", ". ", "\n", " - ", "!\n", "\t", " (", ") "];

function randomText(rng: ReturnType<typeof createRng>): string {
  const n = rng.int(40);
  let text = "";
  for (let i = 0; i < n; i++) {
    let w = WORDS[rng.int(WORDS.length)]!;
    if (rng.next() < 0.15) w = w.toUpperCase();
    text += w + GLUE[rng.int(GLUE.length)]!;
  }
  return text;
}

function randomCases(count: number): NonNullable<ReferenceJob["rouge"]> {
  const rng = createRng(2024);
  const out: NonNullable<ReferenceJob["rouge"]> = [];
  for (let i = 0; i < count; i++) {
    const stem = rng.next() < 0.7;
    const prediction = randomText(rng);
    if (rng.next() < 0.3) {
      const targets = Array.from({ length: 1 + rng.int(3) }, () => randomText(rng));
      out.push({ targets, prediction, stem });
    } else out.push({ target: randomText(rng), prediction, stem });
  }
  return out;
}

function asPrf(scores: RougeScores, type: (typeof ROUGE_TYPES)[number]): Prf {
  const s = scores[type];
  return [s.precision, s.recall, s.f1];
}

function close(got: Prf, want: Prf, tolerance: number): boolean {
  return got.every((v, i) => Math.abs(v - want[i]!) <= tolerance);
}

function calignScores(c: NonNullable<ReferenceJob["rouge"]>[number]): RougeScores {
  return c.targets
    ? rougeMax(c.targets, c.prediction, { stem: c.stem })
    : rouge(c.target!, c.prediction, { stem: c.stem });
}

test("rouge: hand-computed cases", () => {
  for (const c of HAND) {
    const got = rouge(c.target, c.prediction, { stem: c.stem });
    for (const [type, want] of Object.entries(c.want) as [(typeof ROUGE_TYPES)[number], Prf][]) {
      assert.ok(close(asPrf(got, type), want, 1e-15), `${type} of ${JSON.stringify(c)}: ${asPrf(got, type)}`);
    }
  }
});

test("rouge: agrees with the independent reference scorer on a table and on random cases", (t) => {
  const hand = HAND.map((c) => ({ target: c.target, prediction: c.prediction, stem: c.stem }));
  const table = TABLE.flatMap((c) => [true, false].map((stem) => ({ ...c, stem })));
  const swapped = TABLE.map((c) => ({ target: c.prediction, prediction: c.target, stem: true }));
  const random = randomCases(600);
  const cases = [...hand, ...table, ...swapped, ...random];
  const ref = runReference({ rouge: cases });
  if (typeof ref === "string") {
    t.skip(`reference unavailable: ${ref}`);
    return;
  }
  // The reference reproduces the hand-computed values, so it can stand in for them elsewhere.
  HAND.forEach((c, i) => {
    for (const [type, want] of Object.entries(c.want) as [(typeof ROUGE_TYPES)[number], Prf][]) {
      assert.ok(close(ref.rouge[i]![type], want, 1e-15), `reference ${type} of case ${i}`);
    }
  });
  let worst = 0;
  let exact = 0;
  cases.forEach((c, i) => {
    const got = calignScores(c);
    for (const type of ROUGE_TYPES) {
      const want = ref.rouge[i]![type];
      const diff = Math.max(...asPrf(got, type).map((v, k) => Math.abs(v - want[k]!)));
      worst = Math.max(worst, diff);
      if (diff === 0) exact++;
      assert.ok(
        diff <= 1e-12,
        `${type} of ${JSON.stringify(c)}: calign ${asPrf(got, type)}, reference ${want}`,
      );
    }
  });
  t.diagnostic(`${cases.length} cases x 4 types: ${exact} bit-identical, max |difference| ${worst}`);
});

test("rouge: F1 is symmetric in (target, prediction) and P/R swap", () => {
  const rng = createRng(5);
  for (let i = 0; i < 200; i++) {
    const a = randomText(rng);
    const b = randomText(rng);
    const ab = rouge(a, b);
    const ba = rouge(b, a);
    for (const type of ["rouge1", "rouge2", "rougeL"] as const) {
      assert.equal(ab[type].precision, ba[type].recall);
      assert.ok(Math.abs(ab[type].f1 - ba[type].f1) < 1e-15);
    }
  }
});

test("rouge: max over references picks the best F1 per type; ROUGE-L quality agrees", () => {
  const targets = ["completely different words", "the cat sat on the mat", "the cat sat"];
  const best = rougeMax(targets, "the cat sat on a mat");
  assert.deepEqual(best.rougeL, rouge(targets[1]!, "the cat sat on a mat").rougeL);
  assert.equal(rougeLQuality()(targets, "the cat sat on a mat"), best.rougeL.f1);
  assert.equal(
    rougeLQuality({ stem: false })(targets, "the cat sat on a mat"),
    rougeMax(targets, "the cat sat on a mat", { stem: false }).rougeL.f1,
  );
  assert.throws(() => rougeMax([], "x"), RangeError);
});

test("tokenizers: the default drops non-ASCII text, the unicode one keeps it", () => {
  assert.deepEqual(rougeTokenize("Привет, мир!", { stem: true, tokenizer: "default" }), []);
  assert.deepEqual(rougeTokenize("Привет, мир!", { stem: true, tokenizer: "unicode" }), ["привет", "мир"]);
  assert.deepEqual(rougeTokenize("我爱北京。Hello 世界", { stem: false, tokenizer: "unicode" }), [
    "我",
    "爱",
    "北",
    "京",
    "hello",
    "世",
    "界",
  ]);
  assert.deepEqual(rougeTokenize("Ｆｕｌｌｗｉｄｔｈ naïve", { stem: false, tokenizer: "unicode" }), [
    "fullwidth",
    "naïve",
  ]);
  assert.equal(rouge("Привет, мир", "Привет, мир", { tokenizer: "unicode" }).rougeL.f1, 1);
});

test("tokenizers: on ASCII text the unicode tokenizer equals the default one", () => {
  const rng = createRng(11);
  for (let i = 0; i < 300; i++) {
    let text = "";
    for (let k = 0; k < 60; k++) text += String.fromCharCode(32 + rng.int(95));
    for (const stem of [true, false]) {
      assert.deepEqual(
        rougeTokenize(text, { stem, tokenizer: "unicode" }),
        rougeTokenize(text, { stem, tokenizer: "default" }),
      );
    }
  }
});
