// Model file formats: safetensors (single and sharded), GGUF v1-v3, Hugging Face folders.
export * from "./gguf-file.js";
export * from "./gguf-types.js";
export * from "./gguf-write.js";
export * from "./hf-dir.js";
export * from "./llama-gguf-model.js";
export * from "./llama-gguf-names.js";
export * from "./llama-qk-permute.js";
export * from "./model-file-error.js";
export * from "./raw-tensor.js";
export * from "./safetensors-file.js";
export * from "./safetensors-write.js";
export * from "./sharded-safetensors.js";
export * from "./tensor-source.js";
