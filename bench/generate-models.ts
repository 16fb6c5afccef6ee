// The two Llama-architecture models of `npm run bench:generate` (random weights) and their workloads,
// written once as an HF folder (calign, PyTorch) and a GGUF F32 file with a placeholder SentencePiece
// vocabulary (llama.cpp needs one to load; the benchmark feeds token ids, never text).
import { join } from "node:path";
import { GGUF_TOKEN_TYPE, type GgufValue } from "../src/io/index.js";
import { randomModel, saveGguf, saveHfDir } from "../src/models/index.js";

/** A Llama config.json with the given shape. */
export const llama = (
  hidden: number,
  layers: number,
  heads: number,
  kvHeads: number,
  ffn: number,
  vocab: number,
  tied: boolean,
) => ({
  model_type: "llama",
  hidden_size: hidden,
  intermediate_size: ffn,
  num_hidden_layers: layers,
  num_attention_heads: heads,
  num_key_value_heads: kvHeads,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  max_position_embeddings: 2048,
  vocab_size: vocab,
  tie_word_embeddings: tied,
  bos_token_id: 1,
  eos_token_id: 2,
});

export const SIZES = {
  "10M": llama(256, 8, 8, 4, 688, 8000, false), // 9.9 M parameters
  "100M": llama(768, 12, 12, 4, 2048, 32000, true), // 100 M parameters
} as const;

export type Size = keyof typeof SIZES;

/** Greedy generation: one prompt, KV cache, EOS ignored. */
export const GENERATE = { prompt: Array.from({ length: 16 }, (_, i) => 300 + i * 7), new: 128 };
/** Batched greedy generation: 32 prompts of 4 tokens, no padding, KV cache, EOS ignored. */
export const BATCH = { batch: 32, promptLen: 4, new: 64 };

export function batchPrompts(vocab: number): number[][] {
  return Array.from({ length: BATCH.batch }, (_, r) =>
    Array.from({ length: BATCH.promptLen }, (_, i) => 3 + ((r * 197 + i * 31) % (vocab - 3))),
  );
}

/** Scoring: a batch of 8 rows, 64 prompt + 64 completion tokens each (no padding). */
export const SCORE = { batch: 8, promptLen: 64, completionLen: 64 };

export function scoreIds(vocab: number): number[][] {
  const n = SCORE.promptLen + SCORE.completionLen;
  return Array.from({ length: SCORE.batch }, (_, r) =>
    Array.from({ length: n }, (_, i) => 3 + ((r * 131 + i * 17) % (vocab - 3))),
  );
}

/** Each size's HF folder, and its GGUF file when llama.cpp runs too. */
export function writeModels(dir: string, sizes: readonly Size[], gguf: boolean): void {
  for (const name of sizes) {
    const config = SIZES[name];
    const model = randomModel(config, 0, 0.02);
    saveHfDir(model, join(dir, name));
    if (gguf) saveGguf(model, join(dir, `${name}.gguf`), placeholderVocab(config.vocab_size));
    model.dispose();
  }
}

function placeholderVocab(n: number): Map<string, GgufValue> {
  const tokens = Array.from({ length: n }, (_, i) =>
    i < 3
      ? ["<unk>", "<s>", "</s>"][i]!
      : i < 259
        ? `<0x${(i - 3).toString(16).toUpperCase().padStart(2, "0")}>`
        : `▁t${i}`,
  );
  const types = tokens.map((_, i) =>
    i === 0
      ? GGUF_TOKEN_TYPE.unknown
      : i < 3
        ? GGUF_TOKEN_TYPE.control
        : i < 259
          ? GGUF_TOKEN_TYPE.byte
          : GGUF_TOKEN_TYPE.normal,
  );
  return new Map<string, GgufValue>([
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", value: tokens }],
    ["tokenizer.ggml.scores", { type: "array", itemType: "f32", value: tokens.map(() => 0) }],
    ["tokenizer.ggml.token_type", { type: "array", itemType: "i32", value: types }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: 1 }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: 2 }],
  ]);
}
