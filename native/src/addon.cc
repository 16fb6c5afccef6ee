// Module entry: engine settings measured in shared notes/engine.md, then the bindings.
#include <dlfcn.h>
#include <malloc.h>

#include "common.h"

namespace calign {

static Napi::Value NumThreads(const Napi::CallbackInfo& info) {
  if (!ArgIsMissing(info, 0)) at::set_num_threads(static_cast<int>(ArgInt(info, 0, "numThreads")));
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

// The kernel OpenBLAS chose at load ("SkylakeX"), or "" where libtorch's BLAS is not OpenBLAS (MKL).
static std::string BlasCore() {
  using CoreName = char* (*)();
  auto corename = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  return corename == nullptr ? "" : corename();
}

static Napi::Value Info(const Napi::CallbackInfo& info) {
  auto o = Napi::Object::New(info.Env());
  o.Set("torchVersion", TORCH_VERSION);
  o.Set("cudaAvailable", torch::cuda::is_available());
  o.Set("cudaDeviceCount", static_cast<double>(torch::cuda::device_count()));
  o.Set("parallelInfo", at::get_parallel_info());
  o.Set("fusedAttention", static_cast<bool>(CALIGN_HAS_SDPA));
  o.Set("blasCore", BlasCore());
  return o;
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  static bool once = false;
  if (!once) {
    once = true;
    // One intra-op thread: OpenBLAS already uses every core, and two pools oversubscribe (2x slower).
    at::set_num_threads(1);
    // Keep large buffers (logits) in the heap instead of a fresh mmap each time (2x slower log_softmax).
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
  }
  env.SetInstanceData(new AddonData());
  InitTensor(env, exports);
  InitConvert(env, exports);
  InitCreation(env, exports);
  InitOps(env, exports);
  InitOptim(env, exports);
  InitGenerator(env, exports);
  InitDistributed(env, exports);
  InitCuda(env, exports);
  exports.Set("numThreads", Napi::Function::New(env, NumThreads));
  exports.Set("info", Napi::Function::New(env, Info));
  return exports;
}

}  // namespace calign

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return calign::Init(env, exports); }

NODE_API_MODULE(calign_native, InitAddon)
