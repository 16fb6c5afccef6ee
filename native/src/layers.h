// Layers that TypeScript would compose from many ops, each one call into the addon (see layers.cc).
#pragma once

#include <torch/torch.h>

namespace calign {

// Llama's RMSNorm: x / sqrt(mean(x²) + eps) · weight, normalised in float32 as transformers does.
torch::Tensor RmsNorm(const torch::Tensor& x, const torch::Tensor& w, double eps);

// Rotary embedding in transformers' rotate-half layout: x·cos + rotate_half(x)·sin, with x
// (B, n, T, hd) and cos, sin broadcastable to it.
torch::Tensor ApplyRotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);

// Attention with query heads grouped by the key/value head they share (libtorch 1.13 has no fused
// kernel): q (B, nh, T, hd), k and v (B, nkv, S, hd), bias (B·nkv or 1, groups·T, S) or none ->
// (B, nh, T, hd).
torch::Tensor GroupedAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                               const c10::optional<torch::Tensor>& bias, double scale);

}  // namespace calign
