// What the addon knows about CUDA: the runtime version the libtorch was built with, the GPUs' names,
// and the caching allocator's peak (training metrics). None of it needs CUDA's headers, which a pip
// `torch` wheel does not ship: the version comes from ATen's CUDA hooks (a stub that throws in a
// CPU-only libtorch), the names from the driver's stable C API, the peak from c10's device-generic
// allocator interface (libtorch >= 2.9).
#include <ATen/detail/CUDAHooksInterface.h>
#include <dlfcn.h>

#include "common.h"

#if CALIGN_TORCH_AT_LEAST(2, 9)
#include <c10/core/CachingDeviceAllocator.h>
#endif

namespace calign {

// "13.0" for a libtorch built with CUDA 13.0, "none" for a CPU-only one.
static std::string CudaVersion() {
  try {
    long v = at::detail::getCUDAHooks().versionCUDART();
    return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
  } catch (const c10::Error&) {
    return "none";
  }
}

// The name of each visible GPU, through libcuda's cuDeviceGet / cuDeviceGetName (int-based C calls,
// unchanged since CUDA 2); empty without a GPU.
static std::vector<std::string> GpuNames() {
  std::vector<std::string> names;
  size_t count = torch::cuda::device_count();
  if (count == 0) return names;
  void* lib = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
  using Init = int (*)(unsigned);
  using Get = int (*)(int*, int);
  using Name = int (*)(char*, int, int);
  auto init = lib ? reinterpret_cast<Init>(dlsym(lib, "cuInit")) : nullptr;
  auto get = lib ? reinterpret_cast<Get>(dlsym(lib, "cuDeviceGet")) : nullptr;
  auto name = lib ? reinterpret_cast<Name>(dlsym(lib, "cuDeviceGetName")) : nullptr;
  for (size_t i = 0; i < count; i++) {
    char buf[256] = "unknown GPU";
    int dev = 0;
    if (init && get && name && init(0) == 0 && get(&dev, static_cast<int>(i)) == 0) name(buf, sizeof buf, dev);
    names.emplace_back(buf);
  }
  return names;
}

void InitCuda(Napi::Env env, Napi::Object exports) {
  exports.Set("cudaInfo", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
                auto o = Napi::Object::New(info.Env());
                o.Set("cudaVersion", CudaVersion());
                auto names = GpuNames();
                auto arr = Napi::Array::New(info.Env(), names.size());
                for (size_t i = 0; i < names.size(); i++) arr.Set(i, names[i]);
                o.Set("gpuNames", arr);
                return o;
              }));
  // cudaPeakAllocated(deviceIndex, reset) -> the most bytes the caching allocator has held for tensors
  // on that GPU since the last reset (then resets when asked), or null where it cannot tell: no GPU, or
  // a libtorch older than 2.9.
  exports.Set("cudaPeakAllocated", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
                return Guard(info, "cudaPeakAllocated", [&]() -> Napi::Value {
                  auto index = static_cast<c10::DeviceIndex>(ArgInt(info, 0, "cudaPeakAllocated"));
                  bool reset = ArgBool(info, 1, "cudaPeakAllocated");
#if CALIGN_TORCH_AT_LEAST(2, 9)
                  if (torch::cuda::is_available()) {
                    auto* allocator = c10::getDeviceAllocator(c10::DeviceType::CUDA);
                    auto stats = allocator->getDeviceStats(index);
                    auto all = static_cast<size_t>(c10::CachingAllocator::StatType::AGGREGATE);
                    auto peak = static_cast<double>(stats.allocated_bytes[all].peak);
                    if (reset) allocator->resetPeakStats(index);
                    return Napi::Number::New(info.Env(), peak);
                  }
#else
                  (void)index;
                  (void)reset;
#endif
                  return info.Env().Null();
                });
              }));
}

}  // namespace calign
