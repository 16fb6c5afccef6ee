// The SFT trainer against independent references: its loss and every parameter gradient equal Debian
// PyTorch's on the same weights and examples; a tiny model overfits a small set; bad data is named.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { largestGradientDifference } from "../../test/helpers/gradient-difference.js";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { tinyLlamaConfig, tinyModelDir } from "../../test/helpers/tiny-model.js";
import { runPythonFile, torchUnavailable } from "../../test/helpers/torch-python.js";
import { testTrainerOptions } from "../../test/helpers/trainer-options.js";
import { DataError } from "../data/index.js";
import { tidy } from "../engine/index.js";
import { loadModel } from "../models/index.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { readSftExamples } from "./sft-examples.js";
import { sftObjective } from "./sft-objective.js";
import type { TokenizedExample } from "./tokenized-example.js";
import { type TrainerOptions, train } from "./trainer.js";

const REFERENCE = fileURLToPath(new URL("../../../test/reference/sft_grad_reference.py", import.meta.url));
const at = { file: "t.jsonl", line: 1 };

const EXAMPLES: TokenizedExample[] = [
  { prompt: [256, 72, 105], completion: [33, 32, 104, 101, 108, 108, 111, 257], at },
  { prompt: [256, 97, 98, 99, 100, 101, 102], completion: [103, 257], at },
  { prompt: [256, 120], completion: [121, 122, 257], at },
];

test("SFT loss and every parameter gradient equal PyTorch's on the same weights and batch", (t) => {
  const why = torchUnavailable();
  if (why) return t.skip(why);
  const { dir } = tinyModelDir(5);
  try {
    const model = loadModel(dir, { device: TEST_DEVICE });
    const objective = sftObjective(model, EXAMPLES, null);
    for (const p of model.params.values()) p.setRequiresGrad(true);
    const units = objective.units([0, 1, 2]);
    const loss = tidy(() => {
      const { loss } = objective.loss([0, 1, 2], units, 0, [0, 1, 2]);
      loss.backward();
      return loss.item();
    });
    const ref = runPythonFile<{ loss: number; grads: Record<string, number[]> }>(REFERENCE, {
      config: tinyLlamaConfig(),
      weights: join(dir, "model.safetensors"),
      examples: EXAMPLES.map((e) => ({ prompt: e.prompt, completion: e.completion })),
    });
    assert.ok(Math.abs(loss - ref.loss) < tolerance(1e-5), `loss ${loss} vs ${ref.loss}`);
    const worst = largestGradientDifference(model.params, ref.grads);
    assert.ok(worst < tolerance(1e-5), `largest gradient difference ${worst}`);
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const options = (outputDir: string, over: Partial<TrainerOptions> = {}) =>
  testTrainerOptions(outputDir, { epochs: 60, learningRate: 1e-2, logSteps: 10, ...over });

test("a tiny model overfits a small SFT set (loss falls near zero)", async () => {
  const { dir } = tinyModelDir(6);
  try {
    const model = loadModel(dir, { device: TEST_DEVICE });
    const r = await train(sftObjective(model, EXAMPLES, null), options(join(dir, "out")));
    assert.equal(r.steps, 60);
    assert.equal(r.skippedSteps, 0);
    assert.ok((r.lastMetrics?.loss ?? 1) < 0.05, `final loss ${r.lastMetrics?.loss}`);
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad SFT data gets errors naming the file, line and field", async () => {
  const { dir } = tinyModelDir(7);
  try {
    const tok = loadTokenizer(dir);
    const opts = { maxLength: 16, completionOnly: true, chat: false, eosId: 257 };
    const cases: [string, RegExp][] = [
      ['{"prompt": "hi"}\n', /:1: completion: .*missing/],
      ['{"prompt": "a", "completion": "b"}\n{"prompt": "a", "completion": ""}\n', /:2: completion: is empty/],
      [
        '{"prompt": "this prompt is far too long", "completion": "x"}\n',
        /:1: prompt: is \d+ tokens, no room/,
      ],
      [
        '{"messages": [{"role": "user", "content": "hi"}]}\n',
        /:1: messages: the last message must be the assistant's/,
      ],
      ['{"text": "x", "prompt": "y"}\n', /:1: \(record\): expected exactly one of/],
      ["{oops\n", /:1: \(json\): malformed JSON/],
    ];
    for (const [body, pattern] of cases) {
      const file = join(dir, "bad.jsonl");
      writeFileSync(file, body);
      await assert.rejects(readSftExamples(file, tok, opts), (e: unknown) => {
        assert.ok(e instanceof DataError, String(e));
        assert.match(e.message, pattern);
        assert.ok(e.message.startsWith(file), e.message);
        return true;
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("long completions are cut to max length and counted, never dropped", async () => {
  const { dir } = tinyModelDir(8);
  try {
    const tok = loadTokenizer(dir);
    const file = join(dir, "d.jsonl");
    writeFileSync(
      file,
      '{"prompt": "ab", "completion": "cdefghijklmnop"}\n{"prompt": "a", "completion": "b"}\n',
    );
    const { examples, truncation } = await readSftExamples(file, tok, {
      maxLength: 8,
      completionOnly: true,
      chat: false,
      eosId: 257,
    });
    assert.deepEqual(truncation, { truncated: 1, total: 2 });
    assert.equal(
      (examples[0] as TokenizedExample).prompt.length + (examples[0] as TokenizedExample).completion.length,
      8,
    );
    assert.deepEqual((examples[1] as TokenizedExample).completion, [98, 257]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
