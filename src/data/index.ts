// Data: the paraphrase-group record and streaming readers/writers for the formats users bring.
export * from "./calign-jsonl.js";
export * from "./chat.js";
export * from "./csv.js";
export * from "./errors.js";
export * from "./fields.js";
export * from "./group.js";
export * from "./group-reader.js";
export * from "./jsonl.js";
export * from "./line-reader.js";
export * from "./openai.js";
export * from "./ranked-list.js";
export * from "./references.js";
export * from "./robust-alpaca-eval.js";
export * from "./rouge-pairs.js";
export * from "./source.js";
export * from "./superni.js";
export * from "./trl.js";
