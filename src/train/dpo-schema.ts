// `calign dpo` options: data and model, the preference loss and its knobs, LoRA, then the shared
// trainer options (with TRL DPOConfig's learning rate).

import type { OptionSpec, Schema } from "../config/index.js";
import { CHAT, DTYPE } from "../config/shared-options.js";
import { LORA_SCHEMA } from "./lora-schema.js";
import { TRAINER_SCHEMA } from "./trainer-schema.js";

export const DPO_SCHEMA: Schema = {
  model: {
    type: "string",
    default: null,
    help: "starting model (policy and frozen reference): a Hugging Face folder or a .gguf file",
  },
  dtype: DTYPE,
  data: {
    type: "string",
    default: null,
    help: 'TRL preference JSONL {"prompt","chosen","rejected"} (prompt optional) | ranked lists {"prompt","responses","rewards"}',
  },
  max_length: {
    type: "integer",
    default: 1024,
    min: 2,
    help: "tokens of the prompt plus any one response; longer responses are all cut to fit and counted",
  },
  chat: CHAT,
  loss: {
    type: "string",
    default: "sigmoid",
    choices: ["sigmoid", "hinge", "ipo", "ranking"],
    help: "sigmoid (DPO; cDPO with --label-smoothing), hinge (SLiC), ipo, ranking (RRHF over k responses)",
  },
  beta: {
    type: "number",
    default: 0.1,
    min: 0,
    help: "β: strength of the implicit KL penalty, and the scale of rewards/* (TRL beta)",
  },
  label_smoothing: {
    type: "number",
    default: 0,
    min: 0,
    max: 0.5,
    help: "conservative DPO: assumed probability that a preference is flipped (sigmoid only)",
  },
  sft_weight: {
    type: "number",
    default: 1,
    min: 0,
    help: "λ in loss = preference + λ·SFT(chosen) (TRL loss_weights / rpo_alpha; 0: pure preference)",
  },
  reference_cache: {
    type: "string",
    default: null,
    help: "folder of cached reference log-probs (none: $XDG_CACHE_HOME/calign/reference-logps)",
  },
  ...LORA_SCHEMA,
  ...TRAINER_SCHEMA,
  // TRL's DPOConfig default: preference training moves far from the reference at SFT's rates.
  learning_rate: { ...(TRAINER_SCHEMA.learning_rate as OptionSpec), default: 1e-6 },
};
