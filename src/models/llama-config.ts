// The config.json fields a Llama-family model reads (Llama 2/3, Mistral, SmolLM as "llama" or
// "mistral"; Qwen2 as "qwen2"), with the defaults transformers applies when a field is absent.
import type { LlamaConfig } from "../io/index.js";

export type { LlamaConfig };

type Json = Record<string, unknown>;

const LLAMA_TYPES = new Set(["llama", "mistral", "qwen2"]);

export function isLlamaFamily(modelType: unknown): boolean {
  return typeof modelType === "string" && LLAMA_TYPES.has(modelType);
}

/** A complete LlamaConfig from a config.json object (every field the model reads present). */
export function llamaConfigFromJson(json: Json, source = "config.json"): LlamaConfig {
  const num = (key: string, fallback?: number): number => {
    const v = json[key];
    if (typeof v === "number") return v;
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    throw new Error(`${source}: field ${key} is ${v === undefined ? "missing" : "not a number"}`);
  };
  const heads = num("num_attention_heads");
  const hidden = num("hidden_size");
  const modelType = String(json.model_type);
  return {
    ...json,
    model_type: modelType as LlamaConfig["model_type"],
    hidden_size: hidden,
    intermediate_size: num("intermediate_size"),
    num_hidden_layers: num("num_hidden_layers"),
    num_attention_heads: heads,
    num_key_value_heads: num("num_key_value_heads", heads),
    head_dim: num("head_dim", hidden / heads),
    rms_norm_eps: num("rms_norm_eps", 1e-6),
    rope_theta: num("rope_theta", 10000),
    max_position_embeddings: num("max_position_embeddings", 2048),
    vocab_size: num("vocab_size"),
    // transformers' PretrainedConfig default is true, but LlamaConfig and MistralConfig default to false.
    tie_word_embeddings: typeof json.tie_word_embeddings === "boolean" ? json.tie_word_embeddings : false,
    rope_scaling: (json.rope_scaling as Json | null | undefined) ?? null,
  };
}

/** Whether q/k/v projections carry a bias (always for Qwen2; `attention_bias` for Llama). */
export function hasQkvBias(c: LlamaConfig): boolean {
  return c.model_type === "qwen2" || c.attention_bias === true;
}

/** Whether o_proj carries a bias (Llama's `attention_bias`; Qwen2 never). */
export function hasOutputBias(c: LlamaConfig): boolean {
  return c.model_type !== "qwen2" && c.attention_bias === true;
}
