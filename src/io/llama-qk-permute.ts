// The Q/K row order of llama.cpp files. llama.cpp's "llama" architecture applies RoPE to adjacent
// pairs (Meta's original layout); Hugging Face Llama rotates the two halves of each head. So
// convert_hf_to_gguf.py permutes q_proj/k_proj rows HF → Meta:
//   w.reshape(n_head, 2, head_dim // 2, in).swapaxes(1, 2).reshape(w.shape)
// and llama2.c exports ("Meta AI original pth") are in Meta order already. Loading a GGUF as HF
// weights applies the inverse; writing one applies the forward permutation.
import type { RawTensor } from "./raw-tensor.js";

export type QkDirection = "hf-to-gguf" | "gguf-to-hf";

/** Reorders the rows of a [n_head * head_dim, ...] weight or [n_head * head_dim] bias. */
export function permuteQk(t: RawTensor, nHead: number, direction: QkDirection): RawTensor {
  const rows = t.shape[0]!;
  if (rows % nHead !== 0 || (rows / nHead) % 2 !== 0) {
    throw new Error(`permuteQk: tensor ${t.name} has ${rows} rows, not n_head ${nHead} × an even head_dim`);
  }
  const headDim = rows / nHead;
  const half = headDim / 2;
  const rowBytes = t.data.byteLength / rows;
  const out = new Uint8Array(t.data.byteLength);
  for (let h = 0; h < nHead; h++) {
    for (let i = 0; i < half; i++) {
      for (let j = 0; j < 2; j++) {
        const hfRow = h * headDim + j * half + i; // (n_head, 2, half) in HF order
        const ggufRow = h * headDim + i * 2 + j; // (n_head, half, 2) in Meta order
        const [from, to] = direction === "hf-to-gguf" ? [hfRow, ggufRow] : [ggufRow, hfRow];
        out.set(t.data.subarray(from * rowBytes, (from + 1) * rowBytes), to * rowBytes);
      }
    }
  }
  return { name: t.name, dtype: t.dtype, shape: [...t.shape], data: out };
}
