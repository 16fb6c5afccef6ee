// The Tensor handle, argument conversion helpers and the error guard.
#include <sstream>

#include "common.h"

namespace calign {

std::atomic<int64_t> Tensor::live{0};

Napi::Value Tensor::Wrap(Napi::Env env, torch::Tensor t) {
  auto* box = new Tensor();
  box->tensor_ = std::move(t);
  box->holds_ = true;
  live.fetch_add(1, std::memory_order_relaxed);
  return Napi::External<Tensor>::New(env, box, [](Napi::Env, Tensor* b) { delete b; });
}

Tensor* Tensor::From(const Napi::Value& v) {
  if (!v.IsExternal()) return nullptr;
  auto* box = v.As<Napi::External<Tensor>>().Data();
  return box != nullptr && box->tag_ == kTag ? box : nullptr;
}

void Tensor::release() {
  if (!holds_) return;
  tensor_ = torch::Tensor();
  holds_ = false;
  live.fetch_sub(1, std::memory_order_relaxed);
}

torch::Tensor& Tensor::get(Napi::Env env, const char* op) {
  if (!holds_) throw Napi::Error::New(env, std::string(op) + ": tensor used after dispose()");
  return tensor_;
}

// The handle's own functions: dispose(h), isDisposed(h), shape(h), dtype(h), device(h), numel(h),
// requiresGrad(h).
static Tensor& Handle(const Napi::CallbackInfo& info, const char* op) {
  auto* t = info.Length() > 0 ? Tensor::From(info[0]) : nullptr;
  if (t == nullptr) throw Napi::TypeError::New(info.Env(), std::string(op) + ": argument 0 must be a Tensor");
  return *t;
}

// ---- argument conversion ----

static Napi::Error ArgError(Napi::Env env, const char* op, size_t i, const char* want) {
  return Napi::TypeError::New(env, std::string(op) + ": argument " + std::to_string(i) + " must be " + want);
}

torch::Tensor& ArgTensor(const Napi::CallbackInfo& info, size_t i, const char* op) {
  auto* t = i < info.Length() ? Tensor::From(info[i]) : nullptr;
  if (t == nullptr) throw ArgError(info.Env(), op, i, "a Tensor");
  return t->get(info.Env(), op);
}

std::vector<torch::Tensor> ArgTensorList(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (i >= info.Length() || !info[i].IsArray()) throw ArgError(info.Env(), op, i, "an array of Tensors");
  auto arr = info[i].As<Napi::Array>();
  std::vector<torch::Tensor> out;
  out.reserve(arr.Length());
  for (uint32_t k = 0; k < arr.Length(); k++) {
    auto* t = Tensor::From(arr[k]);
    if (t == nullptr) throw ArgError(info.Env(), op, i, "an array of Tensors");
    out.push_back(t->get(info.Env(), op));
  }
  return out;
}

std::vector<int64_t> ArgInts(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (i >= info.Length() || !info[i].IsArray()) throw ArgError(info.Env(), op, i, "an array of integers");
  auto arr = info[i].As<Napi::Array>();
  std::vector<int64_t> out(arr.Length());
  for (uint32_t k = 0; k < arr.Length(); k++) {
    Napi::Value v = arr[k];
    if (!v.IsNumber()) throw ArgError(info.Env(), op, i, "an array of integers");
    out[k] = v.As<Napi::Number>().Int64Value();
  }
  return out;
}

int64_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (i >= info.Length() || !info[i].IsNumber()) throw ArgError(info.Env(), op, i, "an integer");
  return info[i].As<Napi::Number>().Int64Value();
}

double ArgNumber(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (i >= info.Length() || !info[i].IsNumber()) throw ArgError(info.Env(), op, i, "a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (i >= info.Length() || !info[i].IsBoolean()) throw ArgError(info.Env(), op, i, "a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* op) {
  if (i >= info.Length() || !info[i].IsString()) throw ArgError(info.Env(), op, i, "a string");
  return info[i].As<Napi::String>().Utf8Value();
}

bool ArgIsNumber(const Napi::CallbackInfo& info, size_t i) { return i < info.Length() && info[i].IsNumber(); }

bool ArgIsMissing(const Napi::CallbackInfo& info, size_t i) {
  return i >= info.Length() || info[i].IsUndefined() || info[i].IsNull();
}

struct DtypeEntry {
  const char* name;
  torch::ScalarType type;
};
static const DtypeEntry kDtypes[] = {
    {"float32", torch::kFloat32}, {"float64", torch::kFloat64}, {"float16", torch::kFloat16},
    {"bfloat16", torch::kBFloat16}, {"int64", torch::kInt64}, {"int32", torch::kInt32},
    {"int16", torch::kInt16}, {"int8", torch::kInt8}, {"uint8", torch::kUInt8}, {"bool", torch::kBool},
};

torch::ScalarType ParseDtype(const std::string& name, const char* op) {
  for (const auto& e : kDtypes)
    if (name == e.name) return e.type;
  throw std::invalid_argument(std::string("unknown dtype '") + name + "'");
}

std::string DtypeName(torch::ScalarType t) {
  for (const auto& e : kDtypes)
    if (t == e.type) return e.name;
  return c10::toString(t);
}

torch::Device ParseDevice(const std::string& name, const char* op) { return torch::Device(name); }

Napi::Array IntsToArray(Napi::Env env, c10::IntArrayRef ints) {
  auto arr = Napi::Array::New(env, ints.size());
  for (size_t k = 0; k < ints.size(); k++) arr.Set(k, Napi::Number::New(env, static_cast<double>(ints[k])));
  return arr;
}

Napi::Array TensorsToArray(Napi::Env env, const std::vector<torch::Tensor>& ts) {
  auto arr = Napi::Array::New(env, ts.size());
  for (size_t k = 0; k < ts.size(); k++) arr.Set(k, Tensor::Wrap(env, ts[k]));
  return arr;
}

// ---- errors ----

static void DescribeArg(Napi::Env env, const Napi::Value& v, std::ostringstream& os) {
  if (auto* t = Tensor::From(v)) {
    if (!t->defined()) {
      os << "<disposed>";
      return;
    }
    const auto& tt = t->get(env, "describe");
    os << tt.sizes() << ":" << DtypeName(tt.scalar_type());
  } else if (v.IsArray()) {
    auto arr = v.As<Napi::Array>();
    os << "[";
    for (uint32_t k = 0; k < arr.Length() && k < 8; k++) {
      if (k) os << ", ";
      DescribeArg(env, arr[k], os);
    }
    if (arr.Length() > 8) os << ", ...";
    os << "]";
  } else if (v.IsNumber()) {
    os << v.As<Napi::Number>().DoubleValue();
  } else if (v.IsString()) {
    os << '"' << v.As<Napi::String>().Utf8Value() << '"';
  } else if (v.IsBoolean()) {
    os << (v.As<Napi::Boolean>().Value() ? "true" : "false");
  } else {
    os << "_";
  }
}

static std::string FirstLine(const std::string& s) {
  auto pos = s.find('\n');
  return pos == std::string::npos ? s : s.substr(0, pos);
}

Napi::Value Guard(const Napi::CallbackInfo& info, const char* op, const std::function<Napi::Value()>& body) {
  auto fail = [&](const std::string& msg) -> Napi::Value {
    std::ostringstream os;
    os << op << "(";
    for (size_t k = 0; k < info.Length(); k++) {
      if (k) os << ", ";
      DescribeArg(info.Env(), info[k], os);
    }
    os << "): " << msg;
    throw Napi::Error::New(info.Env(), os.str());
  };
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    return fail(FirstLine(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    return fail(FirstLine(e.what()));
  }
}

void InitTensor(Napi::Env env, Napi::Object exports) {
  auto def = [&](const char* name, Napi::Value (*fn)(const Napi::CallbackInfo&)) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  def("dispose", [](const Napi::CallbackInfo& info) -> Napi::Value {
    Handle(info, "dispose").release();
    return info.Env().Undefined();
  });
  def("isDisposed", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::Boolean::New(info.Env(), !Handle(info, "isDisposed").defined());
  });
  def("shape", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return IntsToArray(info.Env(), Handle(info, "shape").get(info.Env(), "shape").sizes());
  });
  def("dtype", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::String::New(info.Env(), DtypeName(Handle(info, "dtype").get(info.Env(), "dtype").scalar_type()));
  });
  def("device", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::String::New(info.Env(), Handle(info, "device").get(info.Env(), "device").device().str());
  });
  def("numel", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::Number::New(info.Env(), static_cast<double>(Handle(info, "numel").get(info.Env(), "numel").numel()));
  });
  def("requiresGrad", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::Boolean::New(info.Env(), Handle(info, "requiresGrad").get(info.Env(), "requiresGrad").requires_grad());
  });
  def("liveTensors", [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::Number::New(info.Env(), static_cast<double>(Tensor::live.load()));
  });
}

}  // namespace calign
