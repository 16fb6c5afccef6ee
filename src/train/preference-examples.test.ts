// Preference data into token ids: TRL's explicit, conversational and implicit-prompt forms, calign's
// ranked lists, symmetric truncation with counts, and bad data named by file, line and field.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { DataError } from "../data/index.js";
import { loadTokenizer, type Tokenizer } from "../tokenizers/index.js";
import { type PreferenceDataOptions, readPreferenceExamples } from "./preference-examples.js";

const BOS = 256;
const EOS = 257;
const bytes = (s: string) => [...Buffer.from(s, "utf8")];
const OPTS: PreferenceDataOptions = { maxLength: 64, chat: false, eosId: EOS, pairsOnly: true };

async function withTokenizer(fn: (tok: Tokenizer, file: (lines: unknown[]) => string) => Promise<void>) {
  const { dir, model } = tinyModelDir(30);
  model.dispose();
  try {
    const tok = loadTokenizer(dir);
    let n = 0;
    const file = (lines: unknown[]) => {
      const path = join(dir, `d${n++}.jsonl`);
      writeFileSync(
        path,
        lines.map((l) => (typeof l === "string" ? `${l}\n` : `${JSON.stringify(l)}\n`)).join(""),
      );
      return path;
    };
    await fn(tok, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("TRL pairs: prompt and responses tokenized apart, EOS closing each; chat through the template", () =>
  withTokenizer(async (tok, file) => {
    const user = { role: "user", content: "hi" };
    const { examples } = await readPreferenceExamples(
      file([
        { prompt: "Q:", chosen: " yes", rejected: " no" },
        {
          prompt: [user],
          chosen: [{ role: "assistant", content: "A" }],
          rejected: [{ role: "assistant", content: "B" }],
        },
      ]),
      tok,
      OPTS,
    );
    const [plain, chat] = examples;
    assert.deepEqual(plain?.prompt, [BOS, ...bytes("Q:")]);
    assert.deepEqual(plain?.responses, [
      [...bytes(" yes"), EOS],
      [...bytes(" no"), EOS],
    ]);
    assert.deepEqual([plain?.rewards, plain?.chosen, plain?.rejected], [[1, 0], 0, 1]);
    // The tiny template: BOS <|user|>hi <|assistant|> ... EOS; no double BOS, no EOS twice.
    assert.deepEqual(chat?.prompt, [BOS, ...bytes("<|user|>hi<|assistant|>")]);
    assert.deepEqual(chat?.responses, [
      [...bytes("A"), EOS],
      [...bytes("B"), EOS],
    ]);
  }));

test("implicit prompts: common leading messages, or common leading text moved back before a space", () =>
  withTokenizer(async (tok, file) => {
    const u = { role: "user", content: "Sky?" };
    const { examples } = await readPreferenceExamples(
      file([
        { chosen: "The sky is blue.", rejected: "The sky is green." },
        {
          chosen: [u, { role: "assistant", content: "Blue" }],
          rejected: [u, { role: "assistant", content: "Green" }],
        },
        { chosen: "abc", rejected: "abcd" },
      ]),
      tok,
      OPTS,
    );
    const [text, conv, prefix] = examples;
    assert.deepEqual(text?.prompt, [BOS, ...bytes("The sky is")]);
    assert.deepEqual(text?.responses, [
      [...bytes(" blue."), EOS],
      [...bytes(" green."), EOS],
    ]);
    assert.deepEqual(conv?.prompt, [BOS, ...bytes("<|user|>Sky?<|assistant|>")]);
    assert.deepEqual(conv?.responses[1], [...bytes("Green"), EOS]);
    // One text a prefix of the other: both keep at least one character.
    assert.deepEqual(prefix?.prompt, [BOS, ...bytes("ab")]);
    assert.deepEqual(prefix?.responses, [
      [...bytes("c"), EOS],
      [...bytes("cd"), EOS],
    ]);
  }));

test("ranked lists: k responses with rewards; chosen is the best, rejected the worst", () =>
  withTokenizer(async (tok, file) => {
    const path = file([{ prompt: "p", responses: ["a", "b", "c"], rewards: [0.5, 0.9, -1] }]);
    const { examples } = await readPreferenceExamples(path, tok, { ...OPTS, pairsOnly: false });
    const ex = examples[0];
    assert.deepEqual(ex?.responses, [
      [97, EOS],
      [98, EOS],
      [99, EOS],
    ]);
    assert.deepEqual([ex?.chosen, ex?.rejected], [1, 2]);
    assert.deepEqual(ex?.rewards, [0.5, 0.9, -1]);
  }));

test("truncation is symmetric: every response cut to the room the prompt leaves, none dropped, counted", () =>
  withTokenizer(async (tok, file) => {
    const path = file([
      { prompt: "abcd", chosen: "0123456789", rejected: "xy" },
      { prompt: "a", chosen: "b", rejected: "c" },
      { prompt: "abcd", chosen: "0123456789", rejected: "0123456780" },
    ]);
    const { examples, truncation } = await readPreferenceExamples(path, tok, { ...OPTS, maxLength: 8 });
    assert.deepEqual(truncation, { examples: 3, truncated: 2, responsesTruncated: 3, identical: 1 });
    // 5 prompt tokens leave 3: the long response keeps its first 3, the short one is whole.
    assert.deepEqual(examples[0]?.responses, [bytes("012"), [...bytes("xy"), EOS]]);
    assert.deepEqual(examples[1]?.responses, [
      [98, EOS],
      [99, EOS],
    ]);
    assert.deepEqual(examples[2]?.responses, [bytes("012"), bytes("012")]);
  }));

test("bad preference data gets errors naming the file, line and field", () =>
  withTokenizer(async (tok, file) => {
    const ok = { prompt: "a", chosen: "b", rejected: "c" };
    const cases: [unknown[], RegExp, Partial<PreferenceDataOptions>?][] = [
      [[ok, { prompt: "a", chosen: "b" }], /:2: rejected: .*missing/],
      [[{ prompt: "a", chosen: "", rejected: "c" }], /:1: chosen: is empty/],
      [[{ prompt: "a", chosen: "b", rejected: "" }], /:1: rejected: is empty/],
      [
        [{ prompt: "a prompt far too long", chosen: "b", rejected: "c" }],
        /:1: prompt: is \d+ tokens, no room/,
        { maxLength: 10 },
      ],
      [[{ chosen: "same", rejected: "same" }], /:1: rejected: is identical to chosen/],
      [
        [{ chosen: "a", rejected: [{ role: "assistant", content: "b" }] }],
        /:1: rejected: must be the same kind/,
      ],
      [
        [{ prompt: "p", responses: ["a", "b", "c"], rewards: [1, 2, 3] }],
        /:1: responses: .*needs --loss ranking/,
      ],
      [
        [{ prompt: "p", responses: ["a", "b"], rewards: [1] }],
        /:1: rewards: has 1 values for 2 responses/,
        { pairsOnly: false },
      ],
      [
        [{ prompt: "p", responses: ["a", "b"], rewards: [1, 1] }],
        /:1: rewards: are all equal/,
        { pairsOnly: false },
      ],
      [
        [{ prompt: "p", responses: ["a"], rewards: [1] }],
        /:1: responses: needs at least 2/,
        { pairsOnly: false },
      ],
      [
        [{ prompt: "p", responses: ["a", ""], rewards: [1, 0] }],
        /:1: responses\[1\]: is empty/,
        { pairsOnly: false },
      ],
      [
        [{ prompt: "p", responses: ["a", [{ role: "assistant" }]], rewards: [1, 0] }],
        /:1: responses\[1\]\[0\]\.content: missing/,
        { pairsOnly: false },
      ],
      [["{oops"], /:1: \(json\): malformed JSON/],
      [[], /: \(file\): no examples/],
    ];
    for (const [lines, pattern, over] of cases) {
      const path = file(lines);
      await assert.rejects(readPreferenceExamples(path, tok, { ...OPTS, ...over }), (e: unknown) => {
        assert.ok(e instanceof DataError, String(e));
        assert.match(e.message, pattern);
        assert.ok(e.message.startsWith(path), e.message);
        return true;
      });
    }
  }));
