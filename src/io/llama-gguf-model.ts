// Llama-family models (Llama 2/3, Mistral and SmolLM as "llama"; Qwen2 as "qwen2") between GGUF and
// the Hugging Face layout: config.json fields from GGUF metadata and back, tensor names, and the
// Q/K row permutation that only llama.cpp's "llama" architecture uses (Qwen2 uses NeoX-style RoPE,
// the HF order, so its rows are stored unpermuted).
import { GgufFile } from "./gguf-file.js";
import type { GgufValue } from "./gguf-types.js";
import { ggufToHfName, hfToGgufName } from "./llama-gguf-names.js";
import { permuteQk } from "./llama-qk-permute.js";
import { ModelFileError } from "./model-file-error.js";
import type { RawTensor } from "./raw-tensor.js";
import type { TensorInfo, TensorSource } from "./tensor-source.js";

export type LlamaFamilyArch = "llama" | "qwen2";

/** The config.json fields calign's Llama-family model reads. */
export interface LlamaConfig {
  model_type: LlamaFamilyArch;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  rms_norm_eps: number;
  rope_theta: number;
  max_position_embeddings: number;
  vocab_size: number;
  tie_word_embeddings: boolean;
  rope_scaling?: Record<string, unknown> | null;
  bos_token_id?: number;
  eos_token_id?: number;
  [key: string]: unknown;
}

/** The one layout string llama2.c exports carry: Meta's adjacent-pair RoPE order, like all llama GGUFs. */
const META_LAYOUT = "Meta AI original pth";

export interface GgufAsHf {
  gguf: GgufFile;
  config: LlamaConfig;
  /** HF-named, HF-ordered weights. */
  weights: TensorSource;
  /** GGUF tensors with no HF counterpart (e.g. Llama 3's rope_freqs), left out of `weights`. */
  unmapped: string[];
}

export function openGgufAsHf(path: string): GgufAsHf {
  const gguf = GgufFile.open(path);
  try {
    const config = llamaConfigFromGguf(gguf);
    const view = new HfView(gguf, config);
    return { gguf, config, weights: view, unmapped: view.unmapped };
  } catch (err) {
    gguf.close();
    throw err;
  }
}

export function llamaConfigFromGguf(gguf: GgufFile): LlamaConfig {
  const arch = gguf.get("general.architecture");
  if (arch !== "llama" && arch !== "qwen2") {
    throw new ModelFileError(
      gguf.path,
      `general.architecture ${JSON.stringify(arch)} is not supported (llama, qwen2)`,
    );
  }
  const layout = gguf.get(`${arch}.tensor_data_layout`);
  if (layout !== undefined && layout !== META_LAYOUT) {
    throw new ModelFileError(
      gguf.path,
      `${arch}.tensor_data_layout ${JSON.stringify(layout)} is not supported (only "${META_LAYOUT}")`,
    );
  }
  const num = (key: string, fallback?: number): number => {
    const v = gguf.get(`${arch}.${key}`);
    if (typeof v === "number" || typeof v === "bigint") return Number(v);
    if (fallback !== undefined) return fallback;
    throw new ModelFileError(gguf.path, `metadata ${arch}.${key} is missing or not a number`);
  };
  const tokens = gguf.get("tokenizer.ggml.tokens");
  const embd = gguf.tensorInfos.get("token_embd.weight");
  const vocab = num("vocab_size", Array.isArray(tokens) ? tokens.length : (embd?.dims[1] ?? Number.NaN));
  const heads = num("attention.head_count");
  const hidden = num("embedding_length");
  const config: LlamaConfig = {
    model_type: arch,
    architectures: [arch === "llama" ? "LlamaForCausalLM" : "Qwen2ForCausalLM"],
    hidden_size: hidden,
    intermediate_size: num("feed_forward_length"),
    num_hidden_layers: num("block_count"),
    num_attention_heads: heads,
    num_key_value_heads: num("attention.head_count_kv", heads),
    head_dim: num("rope.dimension_count", hidden / heads),
    rms_norm_eps: num("attention.layer_norm_rms_epsilon"),
    rope_theta: num("rope.freq_base", 10000),
    max_position_embeddings: num("context_length"),
    vocab_size: vocab,
    tie_word_embeddings: !gguf.has("output.weight"),
    rope_scaling: ropeScaling(gguf, arch),
  };
  for (const [key, field] of [
    ["tokenizer.ggml.bos_token_id", "bos_token_id"],
    ["tokenizer.ggml.eos_token_id", "eos_token_id"],
  ] as const) {
    const v = gguf.get(key);
    if (v !== undefined) config[field] = Number(v);
  }
  return config;
}

function ropeScaling(gguf: GgufFile, arch: string): Record<string, unknown> | null {
  const type = gguf.get(`${arch}.rope.scaling.type`);
  if (type === undefined || type === "none") return null;
  const factor = Number(gguf.get(`${arch}.rope.scaling.factor`) ?? 1);
  const original = gguf.get(`${arch}.rope.scaling.original_context_length`);
  return {
    rope_type: type,
    factor,
    ...(original === undefined ? {} : { original_max_position_embeddings: Number(original) }),
  };
}

/** GGUF metadata (without tokenizer keys) describing a Llama-family HF config. */
export function ggufMetadataFromLlamaConfig(config: LlamaConfig, name = "calign"): Map<string, GgufValue> {
  const arch = config.model_type;
  const u32 = (value: number): GgufValue => ({ type: "u32", value });
  const f32 = (value: number): GgufValue => ({ type: "f32", value });
  const m = new Map<string, GgufValue>([
    ["general.architecture", { type: "string", value: arch }],
    ["general.name", { type: "string", value: name }],
    [`${arch}.context_length`, u32(config.max_position_embeddings)],
    [`${arch}.embedding_length`, u32(config.hidden_size)],
    [`${arch}.block_count`, u32(config.num_hidden_layers)],
    [`${arch}.feed_forward_length`, u32(config.intermediate_size)],
    [`${arch}.attention.head_count`, u32(config.num_attention_heads)],
    [`${arch}.attention.head_count_kv`, u32(config.num_key_value_heads)],
    [`${arch}.attention.layer_norm_rms_epsilon`, f32(config.rms_norm_eps)],
    [`${arch}.rope.freq_base`, f32(config.rope_theta)],
    [`${arch}.rope.dimension_count`, u32(config.head_dim ?? config.hidden_size / config.num_attention_heads)],
    [`${arch}.vocab_size`, u32(config.vocab_size)],
  ]);
  const scaling = config.rope_scaling;
  if (scaling) {
    const type = scaling.rope_type ?? scaling.type;
    if (type !== "linear" && type !== "yarn")
      throw new Error(
        `ggufMetadataFromLlamaConfig: rope_scaling type ${String(type)} cannot be written to GGUF`,
      );
    m.set(`${arch}.rope.scaling.type`, { type: "string", value: type });
    m.set(`${arch}.rope.scaling.factor`, f32(Number(scaling.factor)));
    if (scaling.original_max_position_embeddings !== undefined) {
      m.set(
        `${arch}.rope.scaling.original_context_length`,
        u32(Number(scaling.original_max_position_embeddings)),
      );
    }
  }
  return m;
}

/** HF tensor → GGUF tensor: llama.cpp name, and Q/K rows permuted for the "llama" architecture. */
export function hfTensorToGguf(t: RawTensor, config: LlamaConfig): RawTensor {
  const name = hfToGgufName(t.name);
  if (name === undefined) throw new Error(`hfTensorToGguf: no llama.cpp name for ${t.name}`);
  const heads = qkHeads(name, config);
  return { ...(heads === undefined ? t : permuteQk(t, heads, "hf-to-gguf")), name };
}

function qkHeads(ggufName: string, config: LlamaConfig): number | undefined {
  if (config.model_type !== "llama") return undefined;
  if (/^blk\.\d+\.attn_q\./.test(ggufName)) return config.num_attention_heads;
  if (/^blk\.\d+\.attn_k\./.test(ggufName)) return config.num_key_value_heads;
  return undefined;
}

class HfView implements TensorSource {
  readonly path: string;
  readonly unmapped: string[] = [];
  private readonly toGguf = new Map<string, string>();

  constructor(
    private readonly gguf: GgufFile,
    private readonly config: LlamaConfig,
  ) {
    this.path = gguf.path;
    for (const name of gguf.tensorInfos.keys()) {
      const hf = ggufToHfName(name);
      if (hf === undefined) this.unmapped.push(name);
      else this.toGguf.set(hf, name);
    }
  }

  list(): TensorInfo[] {
    const byGguf = new Map(this.gguf.list().map((t) => [t.name, t]));
    return [...this.toGguf].map(([hf, g]) => ({ ...byGguf.get(g)!, name: hf }));
  }

  has(name: string): boolean {
    return this.toGguf.has(name);
  }

  read(name: string): RawTensor {
    const g = this.toGguf.get(name);
    if (g === undefined) throw new ModelFileError(this.path, "no GGUF tensor maps to this HF name", name);
    const t = { ...this.gguf.read(g), name };
    const heads = qkHeads(g, this.config);
    return heads === undefined ? t : permuteQk(t, heads, "gguf-to-hf");
  }

  close(): void {
    this.gguf.close();
  }
}
