// Layers that TypeScript would compose from many ops, as one call each: one JavaScript-to-native
// crossing instead of 6-11, which is most of a small model's decode step. Each is the ATen ops
// transformers runs, in its order (values and gradients unchanged). For float32 inference on the CPU
// they also have a fast path, since there ATen's fixed cost per op is most of their time on a few hundred
// floats, and each runs once or twice per layer per decoded token: RMSNorm and rotary embedding
// as plain loops, attention without a mask as direct BLAS calls.
#include "layers.h"

#include <dlfcn.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <stdexcept>

#include "common.h"

namespace calign {

// Float32 on the CPU (contiguous unless the caller reads the strides), and nothing to differentiate:
// the loops below apply.
static bool PlainCpuFloat(std::initializer_list<std::reference_wrapper<const torch::Tensor>> ts,
                          bool contiguous = true) {
  bool grad = torch::GradMode::is_enabled();
  for (const torch::Tensor& t : ts)
    if (!t.device().is_cpu() || t.scalar_type() != torch::kFloat32 || (contiguous && !t.is_contiguous()) ||
        (grad && t.requires_grad()))
      return false;
  return true;
}

torch::Tensor RmsNorm(const torch::Tensor& x, const torch::Tensor& w, double eps) {
  int64_t D = x.dim() > 0 ? x.size(-1) : 0;
  if (D > 0 && w.dim() == 1 && w.size(0) == D && PlainCpuFloat({x, w})) {
    auto y = torch::empty_like(x);
    const float* xp = x.data_ptr<float>();
    const float* wp = w.data_ptr<float>();
    float* yp = y.data_ptr<float>();
    for (int64_t r = 0, rows = x.numel() / D; r < rows; r++) {
      const float* a = xp + r * D;
      float* o = yp + r * D;
      double ss = 0;
      for (int64_t d = 0; d < D; d++) ss += static_cast<double>(a[d]) * a[d];
      float inv = 1.0f / std::sqrt(static_cast<float>(ss / D) + static_cast<float>(eps));
      for (int64_t d = 0; d < D; d++) o[d] = (a[d] * inv) * wp[d];
    }
    return y;
  }
  auto x32 = Fp32IfHalf(x);
  auto normed = x32.mul(x32.square().mean(-1, true).add(eps).rsqrt());
  return normed.to(x.scalar_type()).mul(w);
}

torch::Tensor ApplyRotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  // The loop takes cos and sin of shape (B or 1, 1, T, hd), as ropeTables makes them.
  bool tables = x.dim() == 4 && x.size(3) % 2 == 0 && cos.sizes() == sin.sizes() && cos.dim() == 4 &&
                (cos.size(0) == x.size(0) || cos.size(0) == 1) && cos.size(1) == 1 && cos.size(2) == x.size(2) &&
                cos.size(3) == x.size(3);
  if (tables && PlainCpuFloat({x, cos, sin})) {
    int64_t B = x.size(0), n = x.size(1), T = x.size(2), hd = x.size(3), half = hd / 2;
    bool perRow = cos.size(0) == B && B > 1;
    auto y = torch::empty_like(x);
    const float* xp = x.data_ptr<float>();
    const float* cp = cos.data_ptr<float>();
    const float* sp = sin.data_ptr<float>();
    float* yp = y.data_ptr<float>();
    for (int64_t b = 0; b < B; b++)
      for (int64_t h = 0; h < n; h++)
        for (int64_t t = 0; t < T; t++) {
          const float* a = xp + ((b * n + h) * T + t) * hd;
          int64_t table = ((perRow ? b : 0) * T + t) * hd;
          const float* c = cp + table;
          const float* s = sp + table;
          float* o = yp + ((b * n + h) * T + t) * hd;
          // Rounded as ATen rounds it: each product, then their sum.
          for (int64_t i = 0; i < half; i++) o[i] = a[i] * c[i] + (-a[i + half]) * s[i];
          for (int64_t i = half; i < hd; i++) o[i] = a[i] * c[i] + a[i - half] * s[i];
        }
    return y;
  }
  auto halves = x.chunk(2, -1);
  auto rotated = torch::cat({halves[1].neg(), halves[0]}, -1);
  return x.mul(cos).add(rotated.mul(sin));
}

// BLAS's sgemm (Fortran interface) where libtorch loaded one that exports it (OpenBLAS on Debian), else
// null. Found at run time: libtorch links it, the addon does not.
using Sgemm = void (*)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                       const int*, const float*, const int*, const float*, float*, const int*);
static Sgemm BlasSgemm() {
  static Sgemm f = reinterpret_cast<Sgemm>(dlsym(RTLD_DEFAULT, "sgemm_"));
  return f;
}

// row-major C (M x N) = alpha · A (M x K, row stride lda) · Bᵀ, B (N x K, row stride ldb); or, with
// bTransposed false, A · B with B (K x N, row stride ldb). Column-major BLAS sees each matrix transposed.
static void RowMajorGemm(Sgemm gemm, bool bTransposed, int M, int N, int K, float alpha, const float* a, int lda,
                         const float* b, int ldb, float* c) {
  const float beta = 0;
  gemm(bTransposed ? "T" : "N", "N", &N, &M, &K, &alpha, b, &ldb, a, &lda, &beta, c, &N);
}

// Keys and values are never repeated: each group's scores are one matrix product, the scale and the
// bias joining it in one baddbmm. Without a bias, in float32 inference on the CPU, the products go
// straight to BLAS: on a decode step's tiny matrices ATen's bmm spends more on selecting and checking
// every batch entry than on the products themselves.
torch::Tensor GroupedAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                               const c10::optional<torch::Tensor>& bias, double scale) {
  int64_t B = q.size(0), nh = q.size(1), T = q.size(2), hd = q.size(3), nkv = k.size(1), S = k.size(2);
  if (nkv <= 0 || nh % nkv != 0) throw std::invalid_argument("query heads must be a multiple of key/value heads");
  int64_t g = nh / nkv;
  // Keys and values may be a prefix of a longer cache: rows of hd floats, any head stride, a row stride
  // BLAS accepts as a leading dimension (not a broadcast's 0).
  auto rowsOfFloats = [&](const torch::Tensor& t) {
    return t.stride(3) == 1 && t.stride(2) >= hd && t.size(0) == B && t.size(3) == hd;
  };
  Sgemm gemm = BlasSgemm();
  if (gemm != nullptr && !bias.has_value() && PlainCpuFloat({q}) && PlainCpuFloat({k, v}, false) &&
      rowsOfFloats(k) && rowsOfFloats(v) && v.size(1) == nkv && v.size(2) == S) {
    auto scores = torch::empty({B, nkv, g * T, S}, q.options());
    auto out = torch::empty({B, nh, T, hd}, q.options());
    int M = static_cast<int>(g * T), N = static_cast<int>(S), K = static_cast<int>(hd);
    int ldk = static_cast<int>(k.stride(2)), ldv = static_cast<int>(v.stride(2));
    const float *qp = q.data_ptr<float>(), *kp = k.data_ptr<float>(), *vp = v.data_ptr<float>();
    float *sp = scores.data_ptr<float>(), *op = out.data_ptr<float>();
    // Query heads j·g ... j·g + g - 1 read key/value head j: one (g·T) x hd block of q and of out.
    auto block = [&](int64_t b, int64_t j) { return (b * nkv + j) * M; };
    for (int64_t b = 0; b < B; b++)
      for (int64_t j = 0; j < nkv; j++)
        RowMajorGemm(gemm, true, M, N, K, static_cast<float>(scale), qp + block(b, j) * K, K,
                     kp + b * k.stride(0) + j * k.stride(1), ldk, sp + block(b, j) * N);
    auto probs = scores.softmax(-1);
    const float* pp = probs.data_ptr<float>();
    for (int64_t b = 0; b < B; b++)
      for (int64_t j = 0; j < nkv; j++)
        RowMajorGemm(gemm, false, M, K, N, 1.0f, pp + block(b, j) * N, N, vp + b * v.stride(0) + j * v.stride(1), ldv,
                     op + block(b, j) * K);
    return out;
  }
  auto qg = q.reshape({B * nkv, g * T, hd});
  auto kt = k.reshape({B * nkv, S, hd}).transpose(1, 2);
  auto scores = bias.has_value() ? torch::baddbmm(*bias, qg, kt, 1, scale) : qg.bmm(kt).mul(scale);
  return scores.softmax(-1).bmm(v.reshape({B * nkv, S, hd})).view({B, nh, T, hd});
}

}  // namespace calign
