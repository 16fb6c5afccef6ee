// Tokenizers: byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM) and SentencePiece BPE with byte
// fallback (Llama 2, Mistral), from tokenizer.json or GGUF metadata; chat templates.
export * from "./added-tokens.js";
export * from "./bpe-model.js";
export * from "./chat-template.js";
export * from "./from-gguf.js";
export * from "./from-tokenizer-json.js";
export * from "./load-tokenizer.js";
export * from "./to-gguf-metadata.js";
export * from "./tokenizer.js";
