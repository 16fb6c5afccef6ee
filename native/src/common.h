// Shared pieces of the addon: the Tensor handle, argument conversion and the error guard that turns
// libtorch exceptions into JavaScript errors naming the op and its argument shapes.
#pragma once

#include <napi.h>
#include <torch/torch.h>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

// libtorch version checks (torch/version.h): the fused attention binding needs 2.1 (`scale`), its
// grouped-query form 2.5 (`enable_gqa`), the device-generic allocator statistics 2.9.
#define CALIGN_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))
#define CALIGN_HAS_SDPA CALIGN_TORCH_AT_LEAST(2, 1)

namespace calign {

// A JavaScript handle owning one torch::Tensor: an External pointing at a Tensor (an ObjectWrap is made
// through a JavaScript constructor call and checked with instanceof, a large part of a small op's time).
// dispose() frees the tensor early; the GC finalizer deletes the handle (the safety net). `live` counts
// handles that still hold a tensor (for leak tests).
class Tensor {
 public:
  static Napi::Value Wrap(Napi::Env env, torch::Tensor t);
  // The handle v points at, or null when v is not a tensor handle.
  static Tensor* From(const Napi::Value& v);
  static std::atomic<int64_t> live;

  ~Tensor() { release(); }
  torch::Tensor& get(Napi::Env env, const char* op);
  bool defined() const { return holds_; }
  void release();

 private:
  // The addon's other Externals (process groups) point at something else; the tag tells them apart.
  static constexpr uint64_t kTag = 0x63616c69676e5431;  // "calignT1"
  uint64_t tag_ = kTag;
  torch::Tensor tensor_;
  bool holds_ = false;
};

// Per-environment data (worker threads each load the addon in their own env).
struct AddonData {
  Napi::FunctionReference generatorCtor;
  Napi::FunctionReference optimizerCtor;
};

// t in float32 when it is float16 or bfloat16, else t itself.
inline torch::Tensor Fp32IfHalf(const torch::Tensor& t) {
  auto s = t.scalar_type();
  return (s == torch::kFloat16 || s == torch::kBFloat16) ? t.to(torch::kFloat32) : t;
}

// Conversions between JavaScript values and libtorch types.
torch::Tensor& ArgTensor(const Napi::CallbackInfo& info, size_t i, const char* op);
std::vector<torch::Tensor> ArgTensorList(const Napi::CallbackInfo& info, size_t i, const char* op);
std::vector<int64_t> ArgInts(const Napi::CallbackInfo& info, size_t i, const char* op);
int64_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* op);
double ArgNumber(const Napi::CallbackInfo& info, size_t i, const char* op);
bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* op);
std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* op);
bool ArgIsNumber(const Napi::CallbackInfo& info, size_t i);
bool ArgIsMissing(const Napi::CallbackInfo& info, size_t i);
torch::ScalarType ParseDtype(const std::string& name, const char* op);
std::string DtypeName(torch::ScalarType t);
torch::Device ParseDevice(const std::string& name, const char* op);
Napi::Array IntsToArray(Napi::Env env, c10::IntArrayRef ints);
Napi::Array TensorsToArray(Napi::Env env, const std::vector<torch::Tensor>& ts);

// Runs body; a c10::Error or std::exception becomes a JS Error "op(shapes): message".
Napi::Value Guard(const Napi::CallbackInfo& info, const char* op, const std::function<Napi::Value()>& body);

void InitTensor(Napi::Env env, Napi::Object exports);
void InitConvert(Napi::Env env, Napi::Object exports);
void InitCreation(Napi::Env env, Napi::Object exports);
void InitOps(Napi::Env env, Napi::Object exports);
void InitOptim(Napi::Env env, Napi::Object exports);
void InitGenerator(Napi::Env env, Napi::Object exports);
void InitDistributed(Napi::Env env, Napi::Object exports);
void InitCuda(Napi::Env env, Napi::Object exports);

// The generator wrapped by a JS Generator handle (or nullopt for the default generator).
c10::optional<at::Generator> ArgGenerator(const Napi::CallbackInfo& info, size_t i, const char* op);

// A seeded draw (a dropout mask, a multinomial sample) on a device other than the CPU: drawn there by
// the device's own generator, reseeded from the next number of calign's CPU generator. The draw is a
// function of the CPU generator's state, so runs repeat and resume exactly, and nothing crosses to
// host memory (an 8B LoRA step draws gigabytes of dropout mask); it differs from the CPU's draw.
torch::Tensor DrawOnDevice(at::Generator& cpu, const torch::Device& device,
                           const std::function<torch::Tensor(c10::optional<at::Generator>)>& draw);

}  // namespace calign
