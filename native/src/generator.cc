// Seedable random generators whose state can be saved and restored (for exact resume).
#include <ATen/CPUGeneratorImpl.h>

#include "common.h"

namespace calign {

class Generator : public Napi::ObjectWrap<Generator> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Generator",
                       {InstanceMethod<&Generator::GetState>("getState"), InstanceMethod<&Generator::SetState>("setState"),
                        InstanceMethod<&Generator::Seed>("seed")});
  }

  // new Generator(seed)
  explicit Generator(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Generator>(info) {
    auto seed = static_cast<uint64_t>(ArgInt(info, 0, "Generator"));
    gen_ = at::make_generator<at::CPUGeneratorImpl>(seed);
  }

  at::Generator gen_;

 private:
  // getState() -> Uint8Array copy of the generator state (the same bytes torch.Generator.get_state gives).
  Napi::Value GetState(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(gen_.mutex());
    auto state = gen_.get_state();
    auto buf = Napi::Uint8Array::New(info.Env(), state.numel());
    std::memcpy(buf.Data(), state.data_ptr(), state.numel());
    return buf;
  }

  Napi::Value SetState(const Napi::CallbackInfo& info) {
    return Guard(info, "Generator.setState", [&]() -> Napi::Value {
      if (info.Length() < 1 || !info[0].IsTypedArray()) throw std::invalid_argument("state must be a Uint8Array");
      auto arr = info[0].As<Napi::Uint8Array>();
      auto state = torch::empty({static_cast<int64_t>(arr.ElementLength())}, torch::kUInt8);
      std::memcpy(state.data_ptr(), arr.Data(), arr.ElementLength());
      std::lock_guard<std::mutex> lock(gen_.mutex());
      gen_.set_state(state);
      return info.Env().Undefined();
    });
  }

  Napi::Value Seed(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(gen_.mutex());
    gen_.set_current_seed(static_cast<uint64_t>(ArgInt(info, 0, "Generator.seed")));
    return info.Env().Undefined();
  }
};

torch::Tensor DrawOnDevice(at::Generator& cpu, const torch::Device& device,
                           const std::function<torch::Tensor(c10::optional<at::Generator>)>& draw) {
  uint64_t seed;
  {
    std::lock_guard<std::mutex> lock(cpu.mutex());
    seed = cpu.get<at::CPUGeneratorImpl>()->random64();
  }
  // One reseed-and-draw at a time: another thread's reseed cannot land between this one's and its draw.
  static std::mutex drawing;
  std::lock_guard<std::mutex> hold(drawing);
  at::Generator onDevice = at::globalContext().defaultGenerator(device);
  {
    std::lock_guard<std::mutex> lock(onDevice.mutex());
    onDevice.set_current_seed(seed);
  }
  return draw(onDevice);
}

c10::optional<at::Generator> ArgGenerator(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (ArgIsMissing(info, i)) return c10::nullopt;
  auto* data = info.Env().GetInstanceData<AddonData>();
  if (!info[i].IsObject() || !info[i].As<Napi::Object>().InstanceOf(data->generatorCtor.Value()))
    throw Napi::TypeError::New(info.Env(), std::string(op) + ": argument " + std::to_string(i) + " must be a Generator");
  return Generator::Unwrap(info[i].As<Napi::Object>())->gen_;
}

void InitGenerator(Napi::Env env, Napi::Object exports) {
  auto ctor = Generator::Define(env);
  env.GetInstanceData<AddonData>()->generatorCtor = Napi::Persistent(ctor);
  exports.Set("Generator", ctor);
  exports.Set("manualSeed", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
                torch::manual_seed(static_cast<uint64_t>(ArgInt(info, 0, "manualSeed")));
                return info.Env().Undefined();
              }));
}

}  // namespace calign
