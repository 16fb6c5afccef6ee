// Thin bindings of libtorch ops. Each is `name(args...)` taking Tensor handles and plain values and
// returning new Tensor handles; all model logic lives in TypeScript.
#include "common.h"
#include "layers.h"

namespace calign {

// DEF(name, body...) defines exports.name with `op`, `info`, T(i) and R(expr) in scope.
#define DEF(name, ...)                                                                                 \
  exports.Set(#name, Napi::Function::New(                                                               \
                         env,                                                                           \
                         [](const Napi::CallbackInfo& info) -> Napi::Value {                             \
                           static const char* op = #name;                                              \
                           return Guard(info, op, [&]() -> Napi::Value { __VA_ARGS__ });                      \
                         },                                                                             \
                         #name))
#define T(i) ArgTensor(info, i, op)
#define R(expr) return Tensor::Wrap(info.Env(), (expr))
#define INT(i) ArgInt(info, i, op)
#define NUM(i) ArgNumber(info, i, op)
#define INTS(i) ArgInts(info, i, op)
#define BOOL(i) ArgBool(info, i, op)

// A JS number as a Scalar: integral values stay integral so int tensors keep their dtype, as Python does.
static torch::Scalar ToScalar(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && std::abs(v) < 9.0e15) return static_cast<int64_t>(v);
  return v;
}

static c10::optional<torch::Tensor> OptTensor(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (ArgIsMissing(info, i)) return c10::nullopt;
  return ArgTensor(info, i, op);
}

static c10::optional<int64_t> OptInt(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (ArgIsMissing(info, i)) return c10::nullopt;
  return ArgInt(info, i, op);
}

// (Tensor, Tensor|number) ops; the scalar form avoids allocating a tensor per constant.
template <typename F>
static Napi::Value Binary(const Napi::CallbackInfo& info, const char* op, F f) {
  auto& a = T(0);
  if (ArgIsNumber(info, 1)) R(f(a, ToScalar(NUM(1))));
  R(f(a, T(1)));
}

// Log-softmax and cross-entropy compute in fp32 for half inputs: they give the log-probs of scoring,
// losses and rewards, and low-precision log-softmax is a known NaN source. softmax keeps its input's
// dtype, as PyTorch's does (its kernels accumulate in fp32 anyway).
// (Fp32IfHalf, common.h.)

// torch::linear, except that a single row of float32/64 input on the CPU goes through BLAS gemv
// (addmv): libtorch sends it to gemm, where OpenBLAS packs the whole weight for one row and runs 4-5x
// slower than gemv. Batch-1 decoding is one row per step, so this is most of its time.
static torch::Tensor Linear(const torch::Tensor& x, const torch::Tensor& w, const c10::optional<torch::Tensor>& b) {
  bool oneRow = x.dim() >= 1 && x.numel() == x.size(-1) && w.dim() == 2;
  bool cpuFloat = x.device().is_cpu() && (x.scalar_type() == torch::kFloat32 || x.scalar_type() == torch::kFloat64) &&
                  w.scalar_type() == x.scalar_type() && (!b.has_value() || b->scalar_type() == x.scalar_type());
  if (!oneRow || !cpuFloat) return torch::linear(x, w, b);
  auto shape = x.sizes().vec();
  shape.back() = w.size(0);
  auto y = b.has_value() ? torch::addmv(*b, w, x.reshape({-1})) : torch::mv(w, x.reshape({-1}));
  return y.view(shape);
}

// torch::argmax, except that the last dimension of contiguous float32 on the CPU is a plain loop with
// the same answer (the first maximum; a NaN counts as the maximum, its first one wins): greedy decoding
// runs it over the vocabulary every token, where ATen's general reduction costs more than the loop.
static torch::Tensor Argmax(const torch::Tensor& x, int64_t dim, bool keepdim) {
  bool last = x.dim() > 0 && (dim == -1 || dim == x.dim() - 1) && x.size(-1) > 0;
  if (!last || !x.device().is_cpu() || x.scalar_type() != torch::kFloat32 || !x.is_contiguous())
    return torch::argmax(x, dim, keepdim);
  auto shape = x.sizes().vec();
  int64_t n = shape.back();
  if (keepdim) shape.back() = 1;
  else shape.pop_back();
  auto out = torch::empty(shape, torch::kInt64);
  const float* xp = x.data_ptr<float>();
  int64_t* op = out.data_ptr<int64_t>();
  for (int64_t r = 0, rows = x.numel() / n; r < rows; r++) {
    const float* a = xp + r * n;
    int64_t best = 0;
    for (int64_t i = 0; i < n && !std::isnan(a[best]); i++)
      if (a[i] > a[best] || std::isnan(a[i])) best = i;
    op[r] = best;
  }
  return out;
}

void InitOps(Napi::Env env, Napi::Object exports) {
  // ---- elementwise, unary ----
  DEF(neg, R(torch::neg(T(0))););
  DEF(exp, R(torch::exp(T(0))););
  DEF(log, R(torch::log(T(0))););
  DEF(log1p, R(torch::log1p(T(0))););
  DEF(sqrt, R(torch::sqrt(T(0))););
  DEF(rsqrt, R(torch::rsqrt(T(0))););
  DEF(abs, R(torch::abs(T(0))););
  DEF(sin, R(torch::sin(T(0))););
  DEF(cos, R(torch::cos(T(0))););
  DEF(tanh, R(torch::tanh(T(0))););
  DEF(sigmoid, R(torch::sigmoid(T(0))););
  DEF(logSigmoid, R(torch::log_sigmoid(T(0))););
  DEF(relu, R(torch::relu(T(0))););
  DEF(silu, R(torch::silu(T(0))););
  DEF(square, R(torch::square(T(0))););
  DEF(reciprocal, R(torch::reciprocal(T(0))););
  DEF(erf, R(torch::erf(T(0))););
  DEF(floor, R(torch::floor(T(0))););
  DEF(sign, R(torch::sign(T(0))););
  DEF(logicalNot, R(torch::logical_not(T(0))););
  DEF(isfinite, R(torch::isfinite(T(0))););
  DEF(isnan, R(torch::isnan(T(0))););
  // gelu(x, approximate: "none" | "tanh")
  DEF(gelu, R(torch::gelu(T(0), ArgString(info, 1, op))););
  // clamp(x, min|null, max|null)
  DEF(clamp, {
    c10::optional<torch::Scalar> lo, hi;
    if (!ArgIsMissing(info, 1)) lo = ToScalar(NUM(1));
    if (!ArgIsMissing(info, 2)) hi = ToScalar(NUM(2));
    R(torch::clamp(T(0), lo, hi));
  });

  // ---- elementwise, binary (second operand Tensor or number) ----
  DEF(add, return Binary(info, op, [](const auto& a, const auto& b) { return torch::add(a, b); }););
  DEF(sub, return Binary(info, op, [](const auto& a, const auto& b) { return torch::sub(a, b); }););
  DEF(mul, return Binary(info, op, [](const auto& a, const auto& b) { return torch::mul(a, b); }););
  DEF(div, return Binary(info, op, [](const auto& a, const auto& b) { return torch::div(a, b); }););
  DEF(pow, return Binary(info, op, [](const auto& a, const auto& b) { return torch::pow(a, b); }););
  DEF(eq, return Binary(info, op, [](const auto& a, const auto& b) { return torch::eq(a, b); }););
  DEF(ne, return Binary(info, op, [](const auto& a, const auto& b) { return torch::ne(a, b); }););
  DEF(lt, return Binary(info, op, [](const auto& a, const auto& b) { return torch::lt(a, b); }););
  DEF(le, return Binary(info, op, [](const auto& a, const auto& b) { return torch::le(a, b); }););
  DEF(gt, return Binary(info, op, [](const auto& a, const auto& b) { return torch::gt(a, b); }););
  DEF(ge, return Binary(info, op, [](const auto& a, const auto& b) { return torch::ge(a, b); }););
  DEF(maximum, R(torch::maximum(T(0), T(1))););
  DEF(minimum, R(torch::minimum(T(0), T(1))););
  DEF(logicalAnd, R(torch::logical_and(T(0), T(1))););
  DEF(logicalOr, R(torch::logical_or(T(0), T(1))););
  // where(cond, a: Tensor|number, b: Tensor|number)
  DEF(where, {
    auto& c = T(0);
    bool an = ArgIsNumber(info, 1), bn = ArgIsNumber(info, 2);
    if (an && bn) R(torch::where(c, ToScalar(NUM(1)), ToScalar(NUM(2))));
    if (an) R(torch::where(c, ToScalar(NUM(1)), T(2)));
    if (bn) R(torch::where(c, T(1), ToScalar(NUM(2))));
    R(torch::where(c, T(1), T(2)));
  });
  // maskedFill(x, mask, value)
  DEF(maskedFill, R(torch::masked_fill(T(0), T(1), ToScalar(NUM(2)))););

  // ---- reductions: dims = null means all dims ----
  DEF(sum, {
    if (ArgIsMissing(info, 1)) R(torch::sum(T(0)));
    R(torch::sum(T(0), INTS(1), BOOL(2)));
  });
  DEF(mean, {
    if (ArgIsMissing(info, 1)) R(torch::mean(T(0)));
    R(torch::mean(T(0), INTS(1), BOOL(2)));
  });
  DEF(amax, R(torch::amax(T(0), INTS(1), BOOL(2))););
  DEF(amin, R(torch::amin(T(0), INTS(1), BOOL(2))););
  DEF(logsumexp, R(torch::logsumexp(T(0), INTS(1), BOOL(2))););
  // variance(x, dims, unbiased, keepdim)
  DEF(variance, R(torch::var(T(0), INTS(1), BOOL(2), BOOL(3))););
  // norm(x, p, dims|null, keepdim)
  DEF(norm, {
    if (ArgIsMissing(info, 2)) R(torch::norm(T(0), NUM(1)));
    R(torch::norm(T(0), NUM(1), INTS(2), BOOL(3)));
  });
  DEF(argmax, R(Argmax(T(0), INT(1), BOOL(2))););
  DEF(all, R(torch::all(T(0))););
  DEF(any, R(torch::any(T(0))););
  DEF(cumsum, R(torch::cumsum(T(0), INT(1))););
  // max(x, dim, keepdim) -> [values, indices]
  DEF(maxDim, {
    auto r = torch::max(T(0), INT(1), BOOL(2));
    return TensorsToArray(info.Env(), {std::get<0>(r), std::get<1>(r)});
  });
  // topk(x, k, dim, largest, sorted) -> [values, indices]
  DEF(topk, {
    auto r = torch::topk(T(0), INT(1), INT(2), BOOL(3), BOOL(4));
    return TensorsToArray(info.Env(), {std::get<0>(r), std::get<1>(r)});
  });
  // sort(x, dim, descending) -> [values, indices]
  DEF(sort, {
    auto r = torch::sort(T(0), INT(1), BOOL(2));
    return TensorsToArray(info.Env(), {std::get<0>(r), std::get<1>(r)});
  });

  // ---- shapes and views ----
  DEF(reshape, R(torch::reshape(T(0), INTS(1))););
  DEF(view, R(T(0).view(INTS(1))););
  DEF(permute, R(T(0).permute(INTS(1))););
  DEF(transpose, R(torch::transpose(T(0), INT(1), INT(2))););
  DEF(contiguous, R(T(0).contiguous()););
  DEF(isContiguous, return Napi::Boolean::New(info.Env(), T(0).is_contiguous()););
  // slice(x, dim, start|null, end|null, step)
  DEF(slice, R(T(0).slice(INT(1), OptInt(info, 2, op), OptInt(info, 3, op), INT(4))););
  DEF(narrow, R(torch::narrow(T(0), INT(1), INT(2), INT(3))););
  // appendInPlace(buffer, dim, length, x): x written into buffer after its first `length` entries along
  // dim, and those entries plus x's returned (a KV cache's step in one call, not narrow + copy_ + narrow).
  DEF(appendInPlace, {
    auto& buffer = T(0);
    auto& x = T(3);
    int64_t dim = INT(1), length = INT(2), added = x.size(dim);
    buffer.narrow(dim, length, added).copy_(x);
    R(buffer.narrow(dim, 0, length + added));
  });
  DEF(select, R(torch::select(T(0), INT(1), INT(2))););
  DEF(squeeze, R(torch::squeeze(T(0), INT(1))););
  DEF(unsqueeze, R(torch::unsqueeze(T(0), INT(1))););
  DEF(flatten, R(torch::flatten(T(0), INT(1), INT(2))););
  DEF(expand, R(T(0).expand(INTS(1))););
  DEF(repeat, R(T(0).repeat(INTS(1))););
  DEF(repeatInterleave, R(torch::repeat_interleave(T(0), INT(1), INT(2))););
  DEF(flip, R(torch::flip(T(0), INTS(1))););
  // pad(x, pads (last dim first, as torch.nn.functional.pad), value)
  DEF(pad, R(torch::constant_pad_nd(T(0), INTS(1), ToScalar(NUM(2)))););
  DEF(cat, R(torch::cat(ArgTensorList(info, 0, op), INT(1))););
  DEF(stack, R(torch::stack(ArgTensorList(info, 0, op), INT(1))););
  DEF(split, return TensorsToArray(info.Env(), torch::split(T(0), INT(1), INT(2))););
  DEF(chunk, return TensorsToArray(info.Env(), torch::chunk(T(0), INT(1), INT(2))););
  DEF(indexSelect, R(torch::index_select(T(0), INT(1), T(2))););
  DEF(gather, R(torch::gather(T(0), INT(1), T(2))););
  // scatterAdd(x, dim, index, src)
  DEF(scatterAdd, R(torch::scatter_add(T(0), INT(1), T(2), T(3))););
  DEF(tril, R(torch::tril(T(0), INT(1))););
  DEF(triu, R(torch::triu(T(0), INT(1))););
  DEF(clone, R(T(0).clone()););
  DEF(toDtype, R(T(0).to(ParseDtype(ArgString(info, 1, op), op))););
  DEF(toDevice, R(T(0).to(ParseDevice(ArgString(info, 1, op), op))););

  // ---- linear algebra and layers ----
  DEF(matmul, R(torch::matmul(T(0), T(1))););
  DEF(bmm, R(torch::bmm(T(0), T(1))););
  // baddbmm(input, b1, b2, beta, alpha) = beta·input + alpha·(b1 @ b2): attention scores with their
  // scale and additive mask in one BLAS call.
  DEF(baddbmm, R(torch::baddbmm(T(0), T(1), T(2), ToScalar(NUM(3)), ToScalar(NUM(4)))););
  // linear(x, weight (out, in), bias|null)
  DEF(linear, R(Linear(T(0), T(1), OptTensor(info, 2, op))););
  DEF(softmax, R(torch::softmax(T(0), INT(1))););
#if CALIGN_HAS_SDPA
  // scaledDotProductAttention(q (B, nh, T, hd), k and v (B, nkv, S, hd), mask|null, isCausal, scale):
  // libtorch's fused attention (flash / memory-efficient kernels where they apply). mask is additive,
  // broadcastable to (B, nh, T, S). Query head h reads key/value head h / (nh / nkv). Grouped heads go
  // to the kernel as they are only without a mask (enable_gqa, libtorch >= 2.5): with a mask, CUDA's
  // memory-efficient kernel may not take them and the call would drop to the unfused math kernel, so
  // keys and values are repeated per query head instead (as transformers does).
  DEF(scaledDotProductAttention, {
    auto& q = T(0);
    torch::Tensor k = T(1), v = T(2);
    auto mask = OptTensor(info, 3, op);
    int64_t nh = q.size(1), nkv = k.size(1);
    if (nkv <= 0 || nh % nkv != 0) throw std::invalid_argument("query heads must be a multiple of key/value heads");
    bool gqa = false;
#if CALIGN_TORCH_AT_LEAST(2, 5)
    gqa = nh != nkv && !mask.has_value();
#endif
    if (nh != nkv && !gqa) {
      auto repeat = [&](const torch::Tensor& t) {
        auto s = t.sizes();
        return t.unsqueeze(2).expand({s[0], nkv, nh / nkv, s[2], s[3]}).reshape({s[0], nh, s[2], s[3]});
      };
      k = repeat(k);
      v = repeat(v);
    }
#if CALIGN_TORCH_AT_LEAST(2, 5)
    R(at::scaled_dot_product_attention(q, k, v, mask, 0.0, BOOL(4), NUM(5), gqa));
#else
    R(at::scaled_dot_product_attention(q, k, v, mask, 0.0, BOOL(4), NUM(5)));
#endif
  });
#endif
  DEF(logSoftmax, {
    auto& x = T(0);
    R(torch::log_softmax(Fp32IfHalf(x), INT(1)));
  });
  // crossEntropy(logits (N, C), target (N), ignoreIndex, reduction "mean"|"sum"|"none", labelSmoothing)
  DEF(crossEntropy, {
    auto red = ArgString(info, 3, op);
    int64_t r = red == "mean" ? at::Reduction::Mean : red == "sum" ? at::Reduction::Sum : red == "none" ? at::Reduction::None : -1;
    if (r < 0) throw std::invalid_argument("reduction must be mean, sum or none, got '" + red + "'");
    R(at::cross_entropy_loss(Fp32IfHalf(T(0)), T(1), c10::nullopt, r, INT(2), NUM(4)));
  });
  // embedding(weight (V, D), ids)
  DEF(embedding, R(torch::embedding(T(0), T(1))););
  // layerNorm(x, normalizedShape, weight|null, bias|null, eps)
  DEF(layerNorm, R(torch::layer_norm(T(0), INTS(1), OptTensor(info, 2, op), OptTensor(info, 3, op), NUM(4))););
  // rmsNorm(x, weight, eps)
  DEF(rmsNorm, R(RmsNorm(T(0), T(1), NUM(2))););
  // swiGlu(gate, up): silu(gate) · up, the gated MLP's activation, in one call
  DEF(swiGlu, R(torch::silu(T(0)).mul(T(1))););
  // applyRotary(x (..., hd), cos, sin)
  DEF(applyRotary, R(ApplyRotary(T(0), T(1), T(2))););
  // groupedAttention(q, k, v, bias|null, scale)
  DEF(groupedAttention, R(GroupedAttention(T(0), T(1), T(2), OptTensor(info, 3, op), NUM(4))););
  // dropout(x, p, generator|null): inverted dropout with a mask drawn from the given (CPU) generator, on
  // the CPU; on another device by DrawOnDevice.
  DEF(dropout, {
    auto& x = T(0);
    double p = NUM(1);
    if (p < 0 || p >= 1) throw std::invalid_argument("dropout p must be in [0, 1)");
    auto gen = ArgGenerator(info, 2, op);
    torch::Tensor mask;
    {
      torch::NoGradGuard ng;
      auto keep = [&](c10::optional<at::Generator> g) { return torch::empty_like(x).bernoulli_(1 - p, g).div_(1 - p); };
      mask = gen.has_value() && !x.is_cpu() ? DrawOnDevice(*gen, x.device(), keep) : keep(gen);
    }
    R(x * mask);
  });
  // multinomial(probs, n, replacement, generator|null); seeded off the CPU by DrawOnDevice.
  DEF(multinomial, {
    auto gen = ArgGenerator(info, 3, op);
    auto& probs = T(0);
    auto draw = [&](c10::optional<at::Generator> g) { return torch::multinomial(probs, INT(1), BOOL(2), g); };
    R(gen.has_value() && !probs.is_cpu() ? DrawOnDevice(*gen, probs.device(), draw) : draw(gen));
  });

  // ---- in place (for initialisation, optimizers, weight merging; under noGrad) ----
  DEF(copy_, {
    T(0).copy_(T(1));
    return info[0];
  });
  DEF(zero_, {
    T(0).zero_();
    return info[0];
  });
  DEF(fill_, {
    T(0).fill_(ToScalar(NUM(1)));
    return info[0];
  });
  // add_(x, other, alpha): x += alpha * other
  DEF(add_, {
    T(0).add_(T(1), ToScalar(NUM(2)));
    return info[0];
  });
  DEF(mul_, {
    T(0).mul_(ToScalar(NUM(1)));
    return info[0];
  });

  // ---- autograd ----
  DEF(setRequiresGrad, {
    T(0).set_requires_grad(BOOL(1));
    return info[0];
  });
  // backward(loss, grad|null, retainGraph)
  DEF(backward, {
    auto grad = OptTensor(info, 1, op);
    T(0).backward(grad.has_value() ? *grad : torch::Tensor(), BOOL(2));
    return info.Env().Undefined();
  });
  // grad(x) -> Tensor | null
  DEF(grad, {
    auto g = T(0).grad();
    if (!g.defined()) return info.Env().Null();
    R(g);
  });
  // setGrad(x, g|null)
  DEF(setGrad, {
    auto g = OptTensor(info, 1, op);
    T(0).mutable_grad() = g.has_value() ? *g : torch::Tensor();
    return info.Env().Undefined();
  });
  DEF(detach, R(T(0).detach()););
  DEF(isGradEnabled, return Napi::Boolean::New(info.Env(), torch::GradMode::is_enabled()););
  // setGradEnabled(on) -> previous setting
  DEF(setGradEnabled, {
    bool prev = torch::GradMode::is_enabled();
    torch::GradMode::set_enabled(BOOL(0));
    return Napi::Boolean::New(info.Env(), prev);
  });
}

}  // namespace calign
