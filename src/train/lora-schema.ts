// LoRA options every training command can spread into its schema (PEFT's names and defaults, TRL's
// flag spelling), and the LoraOptions they describe for a given model.
import type { ConfigValue, Schema } from "../config/index.js";
import { defaultTargetModules, type LoraOptions } from "../models/index.js";

export const LORA_SCHEMA: Schema = {
  use_lora: {
    type: "boolean",
    default: false,
    help: "train LoRA adapters on the frozen base instead of every weight; writes model/ (adapter, PEFT layout) and model-merged/",
  },
  lora_r: { type: "integer", default: 8, min: 1, help: "rank of the LoRA update (PEFT r)" },
  lora_alpha: {
    type: "number",
    default: 16,
    min: 0,
    help: "LoRA scaling numerator: the update is scaled by lora_alpha / lora_r",
  },
  lora_dropout: {
    type: "number",
    default: 0.05,
    min: 0,
    max: 0.99,
    help: "dropout on the adapters' input while training",
  },
  lora_target_modules: {
    type: "string[]",
    default: null,
    help: "linear layers to adapt, by name or name suffix (q_proj,v_proj or all-linear); none: q_proj,k_proj,v_proj,o_proj (GPT-2: c_attn,attn.c_proj)",
  },
  lora_target_regex: {
    type: "string",
    default: null,
    help: "instead of lora_target_modules: a regular expression a layer's full name must match (PEFT's string form)",
  },
  use_rslora: {
    type: "boolean",
    default: false,
    help: "rank-stabilised LoRA: scale by lora_alpha / sqrt(lora_r)",
  },
};

/**
 * Why the weights cannot be trained in the dtype asked for, or null. A half-precision base is held frozen
 * under LoRA (its adapters and their optimizer state stay float32); full fine-tuning keeps float32 master
 * weights, as TRL's bf16 does, so there the dtype stays float32 and bf16 sets the matmuls' precision.
 */
export function baseDtypeProblem(get: (key: string) => ConfigValue): string | null {
  const dtype = get("dtype");
  if (dtype === "float32" || get("use_lora") === true) return null;
  return `${dtype} weights train only as a frozen base under use_lora; full fine-tuning keeps float32 master weights (bf16 computes the matmuls in bfloat16)`;
}

/** The LoRA the options ask for on a model of modelType, or null for full fine-tuning. */
export function loraOptions(get: (key: string) => ConfigValue, modelType: string): LoraOptions | null {
  if (!get("use_lora")) return null;
  const regex = get("lora_target_regex") as string | null;
  const list = get("lora_target_modules") as string[] | null;
  return {
    r: get("lora_r") as number,
    alpha: get("lora_alpha") as number,
    dropout: get("lora_dropout") as number,
    targetModules: regex ?? list ?? defaultTargetModules(modelType),
    useRslora: get("use_rslora") as boolean,
  };
}
