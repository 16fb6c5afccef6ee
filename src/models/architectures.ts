// From a config.json object to an architecture: its typed config, its parameter shapes, the model.
import type { Tensor } from "../engine/index.js";
import type { CausalLM, ParameterShapes } from "./causal-lm.js";
import { Gpt2 } from "./gpt2.js";
import { gpt2ConfigFromJson } from "./gpt2-config.js";
import { Llama } from "./llama.js";
import { isLlamaFamily, llamaConfigFromJson } from "./llama-config.js";

type Json = Record<string, unknown>;

export interface Architecture {
  shapes: ParameterShapes;
  build(params: ReadonlyMap<string, Tensor>, eosTokenIds?: readonly number[]): CausalLM;
}

/** The architecture a config.json describes; `source` names the file in errors. */
export function architectureOf(json: Json, source = "config.json"): Architecture {
  const type = json.model_type;
  if (type === "gpt2") {
    const c = gpt2ConfigFromJson(json, source);
    return { shapes: Gpt2.parameterShapes(c), build: (p, eos) => new Gpt2(c, p, eos) };
  }
  if (isLlamaFamily(type)) {
    const c = llamaConfigFromJson(json, source);
    return { shapes: Llama.parameterShapes(c), build: (p, eos) => new Llama(c, p, eos) };
  }
  throw new Error(
    `${source}: model_type ${JSON.stringify(type)} is not supported (llama, mistral, qwen2, gpt2)`,
  );
}
