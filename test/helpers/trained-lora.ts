// Adapters on every linear layer of a tiny model, as if trained for a while: B starts at zero (so A's
// gradient would be zero too), so it gets small random values. For tests of gradients through LoRA.
import { Generator, noGrad, randn, type Tensor, tidy } from "../../src/engine/index.js";
import type { CausalLM } from "../../src/models/causal-lm.js";
import { attachLora, type LoraModel } from "../../src/models/lora.js";

/** The LoRA model and its adapters, which require grad. */
export function trainedLora(
  model: CausalLM,
  dropout: number,
  seed: number,
): { lora: LoraModel; adapters: Tensor[] } {
  const lora = attachLora(model, {
    r: 4,
    alpha: 8,
    dropout,
    targetModules: ["all-linear"],
    useRslora: false,
  });
  const gen = new Generator(seed);
  for (const [n, p] of lora.params)
    if (n.includes("lora_B"))
      tidy(() => noGrad(() => p.copy_(randn(p.shape, gen, { device: p.device }).mul(0.1))));
  return { lora, adapters: [...lora.params.values()].map((p) => p.setRequiresGrad(true)) };
}
