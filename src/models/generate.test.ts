// Generation on tiny random models: the KV cache changes nothing, batching with left padding changes
// nothing, rows sharing a prompt share its prefill, sampling is reproducible under a seed, and the
// stopping rules hold.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import type { CausalLM } from "./causal-lm.js";
import { generate } from "./generate.js";
import { randomModel } from "./random-model.js";

const PROMPTS = [
  [5, 17, 3, 88, 41, 9],
  [7, 19],
  [44, 13, 6, 60],
];

for (const name of ["gpt2", "llama tied, GQA", "qwen2 (QKV bias, GQA 4:1)"]) {
  test(`generate (${name}): KV-cached greedy equals full recompute, batched equals one by one`, () => {
    const model = randomModel(TINY[name]!, 7, 0.5, TEST_DEVICE);
    try {
      const opts = { maxNewTokens: 12, eosTokenIds: [] };
      const cached = generate(model, PROMPTS, opts);
      const full = generate(model, PROMPTS, { ...opts, useCache: false });
      assert.deepEqual(cached, full);
      const single = PROMPTS.map((p) => generate(model, [p], opts)[0]);
      assert.deepEqual(cached, single);
      assert.ok(cached.every((g) => g.tokens.length === 12 && g.finishReason === "length"));
    } finally {
      model.dispose();
    }
  });
}

test("generate: seeded sampling repeats; top-k 1 is greedy; the penalty changes the choice", () => {
  const model = randomModel(TINY["llama untied"]!, 3, 0.5, TEST_DEVICE);
  try {
    const sample = { maxNewTokens: 10, eosTokenIds: [], temperature: 1.3, topP: 0.9, topK: 40 };
    const a = generate(model, PROMPTS, { ...sample, seed: 11 });
    assert.deepEqual(generate(model, PROMPTS, { ...sample, seed: 11 }), a);
    assert.notDeepEqual(generate(model, PROMPTS, { ...sample, seed: 12 }), a);
    const greedy = generate(model, PROMPTS, { maxNewTokens: 10, eosTokenIds: [] });
    assert.deepEqual(
      generate(model, PROMPTS, { maxNewTokens: 10, eosTokenIds: [], temperature: 0.7, topK: 1, seed: 1 }),
      greedy,
    );
    const penalized = generate(model, PROMPTS, { maxNewTokens: 10, eosTokenIds: [], repetitionPenalty: 100 });
    for (const [r, g] of penalized.entries()) {
      const seen = [...PROMPTS[r]!, ...g.tokens];
      assert.equal(new Set(seen).size, seen.length, "a huge penalty never repeats a token");
    }
  } finally {
    model.dispose();
  }
});

test("generate: EOS and stop strings end a row; the callback streams every token", () => {
  const model = randomModel(TINY["llama untied"]!, 3, 0.5, TEST_DEVICE);
  try {
    const [free] = generate(model, [PROMPTS[0]!], { maxNewTokens: 8, eosTokenIds: [] });
    const third = free!.tokens[2]!;
    const [stopped] = generate(model, [PROMPTS[0]!], { maxNewTokens: 8, eosTokenIds: [third] });
    assert.deepEqual(stopped, {
      tokens: free!.tokens.slice(0, free!.tokens.indexOf(third)),
      finishReason: "eos",
    });
    const decode = (ids: number[]) => ids.map((i) => `<${i}>`).join("");
    const [byString] = generate(model, [PROMPTS[0]!], {
      maxNewTokens: 8,
      eosTokenIds: [],
      decode,
      stopStrings: [`<${free!.tokens[1]}><${free!.tokens[2]}>`],
    });
    assert.deepEqual(byString, { tokens: free!.tokens.slice(0, 3), finishReason: "stop" });
    const streamed: Array<[number, number]> = [];
    const both = generate(model, PROMPTS.slice(0, 2), {
      maxNewTokens: 4,
      eosTokenIds: [],
      onToken: (r, id) => streamed.push([r, id]),
    });
    for (const r of [0, 1])
      assert.deepEqual(
        streamed.filter(([row]) => row === r).map(([, id]) => id),
        both[r]!.tokens,
      );
  } finally {
    model.dispose();
  }
});

test("generate: rows sharing a prompt are prefilled once, with the tokens of a full recompute", () => {
  const model = randomModel(TINY["llama tied, GQA"]!, 5, 0.5, TEST_DEVICE);
  try {
    const prompts = [PROMPTS[0]!, PROMPTS[1]!, PROMPTS[0]!, PROMPTS[0]!, PROMPTS[2]!, PROMPTS[1]!];
    const fed: number[] = [];
    const spy: CausalLM = Object.create(model);
    spy.hidden = (ids, o) => {
      fed.push(ids.size(0));
      return model.hidden(ids, o);
    };
    const opts = { maxNewTokens: 8, eosTokenIds: [], temperature: 1.3, seed: 5 };
    const shared = generate(spy, prompts, opts);
    assert.deepEqual(
      fed,
      [3, 6, 6, 6, 6, 6, 6, 6],
      "the prefill feeds the 3 distinct prompts, then every row",
    );
    assert.deepEqual(shared, generate(model, prompts, { ...opts, useCache: false }));
  } finally {
    model.dispose();
  }
});

test("generate: finished rows leave the batch, and the others' tokens equal a full recompute", () => {
  const model = randomModel(TINY["llama tied, GQA"]!, 5, 0.5, TEST_DEVICE);
  try {
    const prompts = [...PROMPTS, [9, 8, 7], [30, 31, 32, 33, 34], [2], [61, 62], [70, 71, 72, 73]];
    const sample = { maxNewTokens: 10, temperature: 1.3, seed: 9 };
    // EOS ids taken from the rows' own free-running tokens, so rows end at different steps.
    const free = generate(model, prompts, { ...sample, eosTokenIds: [] });
    const eosTokenIds = [free[0]!.tokens[1]!, free[3]!.tokens[4]!, free[5]!.tokens[6]!];
    const fed: number[] = [];
    const spy: CausalLM = Object.create(model);
    spy.hidden = (ids, o) => {
      fed.push(ids.size(0));
      return model.hidden(ids, o);
    };
    const opts = { ...sample, eosTokenIds };
    const cached = generate(spy, prompts, opts);
    assert.deepEqual(cached, generate(model, prompts, { ...opts, useCache: false }));
    const lengths = cached.map((g) => g.tokens.length);
    assert.ok(new Set(lengths).size >= 3, `rows end at different steps: ${lengths}`);
    // A step feeds the rows still going once a quarter of the batch has finished since the last cut.
    let live = prompts.length;
    for (const [step, n] of fed.entries()) {
      const going = lengths.filter((l) => l >= step).length;
      if (going <= (live * 3) / 4) live = going;
      assert.equal(n, live, `step ${step} feeds ${live} rows`);
    }
    assert.ok(fed.at(-1)! < prompts.length);
  } finally {
    model.dispose();
  }
});
