// Tensor factories: zeros, ones, full, arange, and seeded random tensors.
#include "common.h"

namespace calign {

// Options from (dtype, device) arguments at positions i and i+1.
static torch::TensorOptions ArgOptions(const Napi::CallbackInfo& info, size_t i, const char* op) {
  auto opts = torch::TensorOptions().dtype(ParseDtype(ArgString(info, i, op), op));
  if (!ArgIsMissing(info, i + 1)) opts = opts.device(ParseDevice(ArgString(info, i + 1, op), op));
  return opts;
}

// Random tensors are drawn on the CPU from the given generator, then moved, so a seed gives the same
// numbers on every device.
static torch::Tensor OnDevice(torch::Tensor t, const torch::TensorOptions& opts) {
  return opts.device().is_cpu() ? t : t.to(opts.device());
}

void InitCreation(Napi::Env env, Napi::Object exports) {
  auto def = [&](const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&)) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  // zeros(shape, dtype, device?)
  def("zeros", [](const Napi::CallbackInfo& info) {
    return Guard(info, "zeros", [&]() -> Napi::Value {
      return Tensor::Wrap(info.Env(), torch::zeros(ArgInts(info, 0, "zeros"), ArgOptions(info, 1, "zeros")));
    });
  });
  def("ones", [](const Napi::CallbackInfo& info) {
    return Guard(info, "ones", [&]() -> Napi::Value {
      return Tensor::Wrap(info.Env(), torch::ones(ArgInts(info, 0, "ones"), ArgOptions(info, 1, "ones")));
    });
  });
  // full(shape, value, dtype, device?)
  def("full", [](const Napi::CallbackInfo& info) {
    return Guard(info, "full", [&]() -> Napi::Value {
      return Tensor::Wrap(info.Env(), torch::full(ArgInts(info, 0, "full"), ArgNumber(info, 1, "full"),
                                                  ArgOptions(info, 2, "full")));
    });
  });
  // arange(start, end, step, dtype, device?)
  def("arange", [](const Napi::CallbackInfo& info) {
    return Guard(info, "arange", [&]() -> Napi::Value {
      return Tensor::Wrap(info.Env(), torch::arange(ArgNumber(info, 0, "arange"), ArgNumber(info, 1, "arange"),
                                                    ArgNumber(info, 2, "arange"), ArgOptions(info, 3, "arange")));
    });
  });
  // randn(shape, generator?, dtype, device?)
  def("randn", [](const Napi::CallbackInfo& info) {
    return Guard(info, "randn", [&]() -> Napi::Value {
      auto opts = ArgOptions(info, 2, "randn");
      auto t = torch::randn(ArgInts(info, 0, "randn"), ArgGenerator(info, 1, "randn"), opts.device(torch::kCPU));
      return Tensor::Wrap(info.Env(), OnDevice(t, opts));
    });
  });
  // rand(shape, generator?, dtype, device?): uniform on [0, 1)
  def("rand", [](const Napi::CallbackInfo& info) {
    return Guard(info, "rand", [&]() -> Napi::Value {
      auto opts = ArgOptions(info, 2, "rand");
      auto t = torch::rand(ArgInts(info, 0, "rand"), ArgGenerator(info, 1, "rand"), opts.device(torch::kCPU));
      return Tensor::Wrap(info.Env(), OnDevice(t, opts));
    });
  });
  // randint(low, high, shape, generator?, dtype, device?)
  def("randint", [](const Napi::CallbackInfo& info) {
    return Guard(info, "randint", [&]() -> Napi::Value {
      auto opts = ArgOptions(info, 4, "randint");
      auto t = torch::randint(ArgInt(info, 0, "randint"), ArgInt(info, 1, "randint"), ArgInts(info, 2, "randint"),
                              ArgGenerator(info, 3, "randint"), opts.device(torch::kCPU));
      return Tensor::Wrap(info.Env(), OnDevice(t, opts));
    });
  });
}

}  // namespace calign
