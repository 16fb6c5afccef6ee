// Language models on the engine: Llama family and GPT-2, loading and saving, generation, scoring.
export * from "./architectures.js";
export * from "./causal-lm.js";
export * from "./from-pretrained.js";
export * from "./generate.js";
export * from "./generate-text.js";
export * from "./gpt2.js";
export * from "./gpt2-config.js";
export * from "./kv-cache.js";
export * from "./llama.js";
export * from "./llama-config.js";
export * from "./load-weights.js";
export * from "./prompt-ids.js";
export * from "./random-model.js";
export * from "./sampling.js";
export * from "./save-model.js";
export * from "./score.js";
export * from "./score-text.js";
