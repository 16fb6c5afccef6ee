// The config.json fields GPT-2 reads, with transformers' GPT2Config defaults.
type Json = Record<string, unknown>;

export interface Gpt2Config {
  model_type: "gpt2";
  n_embd: number;
  n_head: number;
  n_layer: number;
  n_positions: number;
  vocab_size: number;
  /** MLP width; null in config.json means 4 · n_embd. */
  n_inner: number;
  layer_norm_epsilon: number;
  activation_function: "gelu_new" | "gelu_pytorch_tanh" | "gelu";
  scale_attn_by_inverse_layer_idx: boolean;
  bos_token_id?: number;
  eos_token_id?: number;
  [key: string]: unknown;
}

const ACTIVATIONS = new Set(["gelu_new", "gelu_pytorch_tanh", "gelu"]);

export function gpt2ConfigFromJson(json: Json, source = "config.json"): Gpt2Config {
  const num = (key: string, fallback: number): number => {
    const v = json[key] ?? fallback;
    if (typeof v !== "number") throw new Error(`${source}: field ${key} is not a number`);
    return v;
  };
  const embd = num("n_embd", 768);
  const act = json.activation_function ?? "gelu_new";
  if (typeof act !== "string" || !ACTIVATIONS.has(act))
    throw new Error(
      `${source}: activation_function ${JSON.stringify(act)} is not supported (${[...ACTIVATIONS]})`,
    );
  return {
    ...json,
    model_type: "gpt2",
    n_embd: embd,
    n_head: num("n_head", 12),
    n_layer: num("n_layer", 12),
    n_positions: num("n_positions", 1024),
    vocab_size: num("vocab_size", 50257),
    n_inner: num("n_inner", 4 * embd),
    layer_norm_epsilon: num("layer_norm_epsilon", 1e-5),
    activation_function: act as Gpt2Config["activation_function"],
    scale_attn_by_inverse_layer_idx: json.scale_attn_by_inverse_layer_idx === true,
  };
}
