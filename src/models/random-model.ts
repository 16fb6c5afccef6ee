// A model with seeded random weights for a config.json object: for parity tests and benchmarks.
import { type DType, Generator, noGrad, randn, type Tensor, tidy } from "../engine/index.js";
import { architectureOf } from "./architectures.js";
import type { CausalLM } from "./causal-lm.js";

/**
 * Matrices and biases ~ N(0, std²); norm weights ~ 1 + N(0, std²) so they are not all ones. Drawn on
 * the CPU in float32 and moved to `device` in `dtype`, one tensor at a time (an 8B-shaped model never
 * holds a float32 copy), so a seed gives the same weights everywhere.
 */
export function randomModel(
  config: Record<string, unknown>,
  seed = 0,
  std = 0.02,
  device = "cpu",
  dtype: DType = "float32",
): CausalLM {
  const arch = architectureOf(config);
  const g = new Generator(seed);
  const params = new Map<string, Tensor>();
  for (const [name, shape] of arch.shapes) {
    const isNorm = /norm|ln_/.test(name) && name.endsWith(".weight");
    const drawn = tidy(() =>
      noGrad(() => {
        const x = randn(shape, g, { device }).mul(std);
        return (isNorm ? x.add(1) : x).to(dtype);
      }),
    );
    params.set(name, drawn);
  }
  return arch.build(params);
}
