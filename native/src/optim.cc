// libtorch's AdamW and SGD with parameter groups, their state as bytes (for checkpoints), and
// gradient-norm clipping. Thin wrappers: the update rules are PyTorch's own.
#include <sstream>

#include "common.h"

namespace calign {

static double GetNum(const Napi::Object& o, const char* key, double dflt) {
  auto v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : dflt;
}

static bool GetBool(const Napi::Object& o, const char* key, bool dflt) {
  auto v = o.Get(key);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : dflt;
}

static std::vector<torch::Tensor> GroupParams(Napi::Env env, const Napi::Object& g) {
  auto arr = g.Get("params");
  if (!arr.IsArray()) throw std::invalid_argument("each parameter group needs a params array");
  std::vector<torch::Tensor> out;
  auto a = arr.As<Napi::Array>();
  for (uint32_t k = 0; k < a.Length(); k++) {
    auto* t = Tensor::From(a[k]);
    if (t == nullptr) throw std::invalid_argument("params must be Tensors");
    out.push_back(t->get(env, "Optimizer"));
  }
  return out;
}

class Optimizer : public Napi::ObjectWrap<Optimizer> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Optimizer",
                       {InstanceMethod<&Optimizer::Step>("step"), InstanceMethod<&Optimizer::ZeroGrad>("zeroGrad"),
                        InstanceMethod<&Optimizer::SetLr>("setLr"), InstanceMethod<&Optimizer::GetLr>("getLr"),
                        InstanceMethod<&Optimizer::SaveState>("saveState"),
                        InstanceMethod<&Optimizer::LoadState>("loadState")});
  }

  // new Optimizer(kind: "adamw" | "sgd", groups: [{params, lr, betas, eps, weightDecay, momentum, ...}])
  explicit Optimizer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Optimizer>(info) {
    Guard(info, "Optimizer", [&]() -> Napi::Value {
      auto kind = ArgString(info, 0, "Optimizer");
      if (info.Length() < 2 || !info[1].IsArray()) throw std::invalid_argument("groups must be an array");
      auto groups = info[1].As<Napi::Array>();
      std::vector<torch::optim::OptimizerParamGroup> pg;
      for (uint32_t k = 0; k < groups.Length(); k++) {
        Napi::Value gv = groups[k];
        if (!gv.IsObject()) throw std::invalid_argument("each parameter group must be an object");
        auto g = gv.As<Napi::Object>();
        auto params = GroupParams(info.Env(), g);
        double lr = GetNum(g, "lr", 1e-3);
        if (kind == "adamw") {
          auto o = std::make_unique<torch::optim::AdamWOptions>(lr);
          o->betas({GetNum(g, "beta1", 0.9), GetNum(g, "beta2", 0.999)})
              .eps(GetNum(g, "eps", 1e-8))
              .weight_decay(GetNum(g, "weightDecay", 0.01))
              .amsgrad(GetBool(g, "amsgrad", false));
          pg.emplace_back(std::move(params), std::move(o));
        } else if (kind == "sgd") {
          auto o = std::make_unique<torch::optim::SGDOptions>(lr);
          o->momentum(GetNum(g, "momentum", 0))
              .dampening(GetNum(g, "dampening", 0))
              .weight_decay(GetNum(g, "weightDecay", 0))
              .nesterov(GetBool(g, "nesterov", false));
          pg.emplace_back(std::move(params), std::move(o));
        } else {
          throw std::invalid_argument("unknown optimizer '" + kind + "' (adamw, sgd)");
        }
      }
      if (kind == "adamw")
        opt_ = std::make_unique<torch::optim::AdamW>(std::move(pg));
      else
        opt_ = std::make_unique<torch::optim::SGD>(std::move(pg), torch::optim::SGDOptions(1e-3));
      return info.Env().Undefined();
    });
  }

 private:
  Napi::Value Step(const Napi::CallbackInfo& info) {
    return Guard(info, "Optimizer.step", [&]() -> Napi::Value {
      opt_->step();
      return info.Env().Undefined();
    });
  }

  // zeroGrad(): grads become undefined (PyTorch's set_to_none=True default since 2.0).
  Napi::Value ZeroGrad(const Napi::CallbackInfo& info) {
    for (auto& g : opt_->param_groups())
      for (auto& p : g.params()) p.mutable_grad() = torch::Tensor();
    return info.Env().Undefined();
  }

  Napi::Value SetLr(const Napi::CallbackInfo& info) {
    return Guard(info, "Optimizer.setLr", [&]() -> Napi::Value {
      auto i = ArgInt(info, 0, "Optimizer.setLr");
      auto& groups = opt_->param_groups();
      if (i < 0 || i >= static_cast<int64_t>(groups.size())) throw std::out_of_range("no parameter group " + std::to_string(i));
      groups[i].options().set_lr(ArgNumber(info, 1, "Optimizer.setLr"));
      return info.Env().Undefined();
    });
  }

  Napi::Value GetLr(const Napi::CallbackInfo& info) {
    return Guard(info, "Optimizer.getLr", [&]() -> Napi::Value {
      auto i = ArgInt(info, 0, "Optimizer.getLr");
      auto& groups = opt_->param_groups();
      if (i < 0 || i >= static_cast<int64_t>(groups.size())) throw std::out_of_range("no parameter group " + std::to_string(i));
      return Napi::Number::New(info.Env(), groups[i].options().get_lr());
    });
  }

  // saveState() -> Uint8Array: libtorch's own archive of the optimizer state (moments, step counts).
  Napi::Value SaveState(const Napi::CallbackInfo& info) {
    return Guard(info, "Optimizer.saveState", [&]() -> Napi::Value {
      torch::serialize::OutputArchive archive;
      opt_->save(archive);
      std::ostringstream os;
      archive.save_to(os);
      auto s = os.str();
      auto buf = Napi::Uint8Array::New(info.Env(), s.size());
      std::memcpy(buf.Data(), s.data(), s.size());
      return buf;
    });
  }

  Napi::Value LoadState(const Napi::CallbackInfo& info) {
    return Guard(info, "Optimizer.loadState", [&]() -> Napi::Value {
      if (info.Length() < 1 || !info[0].IsTypedArray()) throw std::invalid_argument("state must be a Uint8Array");
      auto arr = info[0].As<Napi::Uint8Array>();
      torch::serialize::InputArchive archive;
      archive.load_from(reinterpret_cast<const char*>(arr.Data()), arr.ByteLength());
      opt_->load(archive);
      return info.Env().Undefined();
    });
  }

  std::unique_ptr<torch::optim::Optimizer> opt_;
};

void InitOptim(Napi::Env env, Napi::Object exports) {
  auto ctor = Optimizer::Define(env);
  env.GetInstanceData<AddonData>()->optimizerCtor = Napi::Persistent(ctor);
  exports.Set("Optimizer", ctor);
  // clipGradNorm(params, maxNorm, normType) -> total norm before clipping
  exports.Set("clipGradNorm", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
                return Guard(info, "clipGradNorm", [&]() -> Napi::Value {
                  auto params = ArgTensorList(info, 0, "clipGradNorm");
                  double norm = torch::nn::utils::clip_grad_norm_(params, ArgNumber(info, 1, "clipGradNorm"),
                                                                  ArgNumber(info, 2, "clipGradNorm"));
                  return Napi::Number::New(info.Env(), norm);
                });
              }));
}

}  // namespace calign
