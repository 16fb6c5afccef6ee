// Loading a model from what users have: a Hugging Face folder (config.json + safetensors) or a GGUF
// file (Llama family; names and Q/K layout mapped to HF's by src/io).
import { statSync } from "node:fs";
import { join } from "node:path";
import { openGgufAsHf, readHfDir } from "../io/index.js";
import { architectureOf } from "./architectures.js";
import type { CausalLM } from "./causal-lm.js";
import { type LoadOptions, loadWeights } from "./load-weights.js";

type Json = Record<string, unknown>;

/** eos_token_id of generation_config.json, else of config.json; a number or a list. */
export function eosTokenIdsOf(config: Json, generationConfig?: Json): number[] {
  const v = generationConfig?.eos_token_id ?? config.eos_token_id;
  if (typeof v === "number") return [v];
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === "number") : [];
}

export function fromPretrained(dir: string, opts: LoadOptions = {}): CausalLM {
  const hf = readHfDir(dir);
  try {
    const arch = architectureOf(hf.config, join(dir, "config.json"));
    return arch.build(
      loadWeights(hf.weights, arch.shapes, opts),
      eosTokenIdsOf(hf.config, hf.generationConfig),
    );
  } finally {
    hf.weights.close();
  }
}

export function fromGguf(path: string, opts: LoadOptions = {}): CausalLM {
  const g = openGgufAsHf(path);
  try {
    const arch = architectureOf(g.config, path);
    return arch.build(loadWeights(g.weights, arch.shapes, opts), eosTokenIdsOf(g.config));
  } finally {
    g.weights.close();
  }
}

/** A Hugging Face folder or a .gguf file. */
export function loadModel(path: string, opts: LoadOptions = {}): CausalLM {
  return statSync(path).isDirectory() ? fromPretrained(path, opts) : fromGguf(path, opts);
}
