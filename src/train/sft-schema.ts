// `calign sft` options: the data and model, LoRA, then the shared trainer options.

import type { Schema } from "../config/index.js";
import { CHAT, DTYPE } from "../config/shared-options.js";
import { LORA_SCHEMA } from "./lora-schema.js";
import { TRAINER_SCHEMA } from "./trainer-schema.js";

export const SFT_SCHEMA: Schema = {
  model: { type: "string", default: null, help: "base model: a Hugging Face folder or a .gguf file" },
  dtype: DTYPE,
  data: {
    type: "string",
    default: null,
    help: 'TRL SFT JSONL: {"text"} | {"messages"} | {"prompt","completion"}',
  },
  max_length: {
    type: "integer",
    default: 1024,
    min: 2,
    help: "tokens per example; longer completions are cut and counted",
  },
  completion_only_loss: {
    type: "boolean",
    default: true,
    help: "loss on completion tokens only (TRL completion_only_loss)",
  },
  chat: CHAT,
  packing: {
    type: "boolean",
    default: false,
    help: "pack whole examples into rows of max_length (TRL packing)",
  },
  ...LORA_SCHEMA,
  ...TRAINER_SCHEMA,
};
