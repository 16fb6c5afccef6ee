// A tiny Llama model directory for trainer and pipeline tests: random weights, and a byte-level
// tokenizer (one token per byte, no merges) with BOS/EOS/PAD and a simple chat template.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CausalLM, randomModel, saveHfDir } from "../../src/models/index.js";
import { BYTE_TO_CHAR } from "../../src/tokenizers/byte-level.js";
import { TINY } from "./tiny-models.js";

export const TINY_CHAT_TEMPLATE =
  "{{ bos_token }}{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% if m.role == 'assistant' %}{{ eos_token }}{% endif %}{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}";

const BOS = 256;
const EOS = 257;
const PAD = 258;

/** The tiny tied GQA Llama of the model tests, with a vocabulary of 256 bytes + BOS/EOS/PAD. */
export function tinyLlamaConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...TINY["llama tied, GQA"],
    architectures: ["LlamaForCausalLM"],
    vocab_size: 259,
    max_position_embeddings: 256,
    bos_token_id: BOS,
    eos_token_id: EOS,
    pad_token_id: PAD,
    torch_dtype: "float32",
    ...overrides,
  };
}

function tokenizerJson(): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  BYTE_TO_CHAR.forEach((c, b) => {
    vocab[c] = b;
  });
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: "1.0",
    added_tokens: [special(BOS, "<s>"), special(EOS, "</s>"), special(PAD, "<pad>")],
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "<s>", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
      ],
      special_tokens: { "<s>": { id: "<s>", ids: [BOS], tokens: ["<s>"] } },
    },
    decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, vocab, merges: [] },
  };
}

/** A model and its directory (config, weights, tokenizer) in a fresh temporary folder. */
export function tinyModelDir(
  seed = 0,
  overrides: Record<string, unknown> = {},
): { dir: string; model: CausalLM } {
  const dir = mkdtempSync(join(tmpdir(), "calign-tiny-"));
  const model = randomModel(tinyLlamaConfig(overrides), seed, 0.1);
  saveHfDir(model, dir, {
    tokenizerJson: tokenizerJson(),
    tokenizerConfig: {
      bos_token: "<s>",
      eos_token: "</s>",
      pad_token: "<pad>",
      add_bos_token: true,
      chat_template: TINY_CHAT_TEMPLATE,
    },
    generationConfig: { bos_token_id: BOS, eos_token_id: EOS },
  });
  return { dir, model };
}
