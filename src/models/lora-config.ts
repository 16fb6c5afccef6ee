// LoRA settings under PEFT's meanings (LoraConfig: r, lora_alpha, lora_dropout, target_modules,
// use_rslora), and the rule that picks a model's linear layers from target_modules.

export interface LoraOptions {
  /** Rank of the update B A. */
  r: number;
  /** lora_alpha: the update is scaled by alpha / r (alpha / √r with useRslora). */
  alpha: number;
  /** Dropout on the adapter's input, in training only. */
  dropout: number;
  /**
   * PEFT's target_modules: a list matches a module whose name equals an entry or ends with "." + entry
   * ("q_proj", "attn.c_proj"); ["all-linear"] takes every linear layer of the blocks; a string is a
   * regular expression the whole module name must match.
   */
  targetModules: readonly string[] | string;
  useRslora: boolean;
}

/** Attention projections, as PEFT users most often target them. */
export function defaultTargetModules(modelType: string): string[] {
  return modelType === "gpt2" ? ["c_attn", "attn.c_proj"] : ["q_proj", "k_proj", "v_proj", "o_proj"];
}

export function loraScaling(o: Pick<LoraOptions, "r" | "alpha" | "useRslora">): number {
  return o.useRslora ? o.alpha / Math.sqrt(o.r) : o.alpha / o.r;
}

export function checkLoraOptions(o: LoraOptions): void {
  if (!Number.isInteger(o.r) || o.r < 1)
    throw new RangeError(`LoRA: r must be a positive integer, got ${o.r}`);
  if (!(o.alpha > 0)) throw new RangeError(`LoRA: lora_alpha must be > 0, got ${o.alpha}`);
  if (!(o.dropout >= 0 && o.dropout < 1))
    throw new RangeError(`LoRA: lora_dropout must be in [0, 1), got ${o.dropout}`);
  if (typeof o.targetModules !== "string" && o.targetModules.length === 0)
    throw new RangeError("LoRA: target_modules is empty");
}

/** The module names (in model order) that target_modules selects; an error when it selects none. */
export function selectTargets(names: readonly string[], targets: readonly string[] | string): string[] {
  let hit: (name: string) => boolean;
  if (typeof targets === "string") {
    const re = new RegExp(`^(?:${targets})$`);
    hit = (n) => re.test(n);
  } else if (targets.length === 1 && targets[0] === "all-linear") {
    hit = () => true;
  } else {
    hit = (n) => targets.some((t) => n === t || n.endsWith(`.${t}`));
  }
  const chosen = names.filter(hit);
  if (chosen.length === 0) {
    const kinds = [...new Set(names.map((n) => n.slice(n.lastIndexOf(".") + 1)))].join(", ");
    throw new Error(
      `LoRA: target_modules ${JSON.stringify(targets)} match no linear layer; this model has ${kinds}`,
    );
  }
  return chosen;
}
