// Writing a model back out: a Hugging Face folder (safetensors under the same names it was loaded
// with) or, for the Llama family, a GGUF file llama.cpp and Ollama can run.
import type { Tensor } from "../engine/index.js";
import { toRawTensor } from "../io/engine-tensor.js";
import type { GgufValue } from "../io/index.js";
import {
  ggufMetadataFromLlamaConfig,
  type HfModelDirContents,
  hfTensorToGguf,
  writeGguf,
  writeHfDir,
} from "../io/index.js";
import type { CausalLM } from "./causal-lm.js";
import { isLlamaFamily, llamaConfigFromJson } from "./llama-config.js";

type Json = Record<string, unknown>;

/** Extra files for the folder (tokenizer.json, tokenizer_config.json, ...). */
export type HfDirExtras = Omit<HfModelDirContents, "config" | "tensors">;

/** Writes model as a Hugging Face folder; `params` replaces its weights (e.g. with LoRA merged in). */
export function saveHfDir(
  model: CausalLM,
  dir: string,
  extras: HfDirExtras = {},
  params: ReadonlyMap<string, Tensor> = model.params,
): void {
  const tensors = [...params].map(([name, t]) => toRawTensor(name, t.contiguous()));
  writeHfDir(dir, { ...extras, config: model.config as Json, tensors });
}

/** A GGUF file (F32 or F16 weights as the model holds them) with optional tokenizer metadata. */
export function saveGguf(
  model: CausalLM,
  path: string,
  tokenizerMetadata?: ReadonlyMap<string, GgufValue>,
): void {
  if (!isLlamaFamily(model.modelType))
    throw new Error(`saveGguf: only Llama-family models are written to GGUF, not ${model.modelType}`);
  const hf = llamaConfigFromJson(model.config as Json);
  // GGUF knows "llama" and "qwen2"; Mistral and SmolLM are "llama" there (Q/K rows permuted as such).
  const config = { ...hf, model_type: hf.model_type === "qwen2" ? "qwen2" : "llama" } as const;
  const metadata = ggufMetadataFromLlamaConfig(config);
  for (const [k, v] of tokenizerMetadata ?? []) metadata.set(k, v);
  const tensors = [...model.params].map(([name, t]) =>
    hfTensorToGguf(toRawTensor(name, t.contiguous()), config),
  );
  writeGguf(path, metadata, tensors);
}
