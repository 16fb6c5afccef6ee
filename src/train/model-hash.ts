// A model's identity for caches of its outputs: SHA-256 over its config and every parameter's name,
// dtype, shape and bytes as loaded (so the same weights from safetensors or GGUF, or a changed dtype
// on load, are told apart exactly as the forward pass would tell them apart).
import { createHash } from "node:crypto";
import { tidy } from "../engine/index.js";
import type { CausalLM } from "../models/index.js";

export function modelHash(model: CausalLM): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ modelType: model.modelType, config: model.config }));
  for (const [name, p] of model.params) {
    tidy(() => {
      const t = p.detach().contiguous();
      const d = t.data();
      h.update(JSON.stringify([name, t.dtype, t.shape]));
      h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    });
  }
  return h.digest("hex");
}
