// A model with seeded random weights for a config.json object: for parity tests and benchmarks.
import { Generator, noGrad, randn, type Tensor, tidy } from "../engine/index.js";
import { architectureOf } from "./architectures.js";
import type { CausalLM } from "./causal-lm.js";

/**
 * Matrices and biases ~ N(0, std²); norm weights ~ 1 + N(0, std²) so they are not all ones. Drawn on
 * the CPU and moved to `device`, so a seed gives the same weights everywhere.
 */
export function randomModel(config: Record<string, unknown>, seed = 0, std = 0.02, device = "cpu"): CausalLM {
  const arch = architectureOf(config);
  const g = new Generator(seed);
  const params = tidy(() =>
    noGrad(() => {
      const out = new Map<string, Tensor>();
      for (const [name, shape] of arch.shapes) {
        const isNorm = /norm|ln_/.test(name) && name.endsWith(".weight");
        out.set(
          name,
          isNorm ? randn(shape, g, { device }).mul(std).add(1) : randn(shape, g, { device }).mul(std),
        );
      }
      return out;
    }),
  );
  return arch.build(params);
}
