// torch.distributed's c10d from JavaScript: a TCPStore rendezvous, a Gloo (CPU) or NCCL (CUDA) process
// group, and the collectives calign needs (bucketed broadcast and all-reduce, all-gather of byte
// payloads, barrier). Every blocking call runs on a libuv worker thread and resolves a promise; every
// wait has the group's timeout, and a failed collective asks the store which peers are still there, so
// a dead peer becomes an error naming its rank instead of a hang.
// Backend.hpp declares Work, ReduceOp and the collective options: a build with neither Gloo nor NCCL
// (a pip wheel's libtorch without gloo's headers or NCCL's) gets them from nowhere else.
#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <algorithm>
#include <cstring>
#include <chrono>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "common.h"

namespace calign {

using Millis = std::chrono::milliseconds;
using WorkPtr = c10::intrusive_ptr<c10d::Work>;

// One process group: the store it rendezvoused through and the backend that runs the collectives.
struct Group {
  int rank = 0;
  int size = 1;
  // NCCL moves CUDA tensors only: the GPU this rank's byte payloads and barriers go through.
  int deviceIndex = 0;
  std::string backend;
  std::string endpoint;  // master addr:port, for messages
  Millis timeout{60000};
  uint64_t seq = 0;  // collectives issued so far (the same on every rank: calls are issued in order)
  c10::intrusive_ptr<c10d::Store> store;
#ifdef USE_C10D_GLOO
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#endif
#ifdef USE_C10D_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif

  // Calls f with the concrete backend (both expose the same collective methods in 1.13 and 2.x).
  template <class F>
  WorkPtr with(const char* op, F f) {
#ifdef USE_C10D_GLOO
    if (gloo) return f(*gloo);
#endif
#ifdef USE_C10D_NCCL
    if (nccl) return f(*nccl);
#endif
    throw std::runtime_error(std::string(op) + ": the process group was destroyed");
  }
};
using GroupPtr = std::shared_ptr<Group>;

static std::string FirstLineOf(const std::string& s) { return s.substr(0, s.find('\n')); }

static std::string ErrorText(const std::exception& e) {
  if (auto* c = dynamic_cast<const c10::Error*>(&e)) return FirstLineOf(c->what_without_backtrace());
  return FirstLineOf(e.what());
}

static std::string Seconds(Millis ms) {
  std::ostringstream os;
  os << static_cast<double>(ms.count()) / 1000 << " s";
  return os.str();
}

// After a failed collective: every surviving rank writes a key for it and waits a short grace for the
// others' keys; the ranks that never wrote are the lost ones. If the store itself is gone, its host is.
static std::string DescribeFault(Group& g, uint64_t seq) {
  const auto grace = std::min(g.timeout, Millis(5000));
  const std::string base = "calign/fault/" + std::to_string(seq) + "/";
  try {
    g.store->set(base + std::to_string(g.rank), std::vector<uint8_t>{1});
    std::vector<int> missing;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (true) {
      missing.clear();
      for (int r = 0; r < g.size; r++)
        if (r != g.rank && !g.store->check({base + std::to_string(r)})) missing.push_back(r);
      if (missing.empty() || std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(Millis(100));
    }
    if (missing.empty()) return "every rank is still reachable through the store";
    std::ostringstream os;
    os << "lost rank" << (missing.size() > 1 ? "s " : " ");
    for (size_t i = 0; i < missing.size(); i++) os << (i ? ", " : "") << missing[i];
    os << " (no word from " << (missing.size() > 1 ? "them" : "it") << " within " << Seconds(grace)
       << ": exited or hung)";
    return os.str();
  } catch (const std::exception& e) {
    return "the rendezvous store at " + g.endpoint +
           " is unreachable too, so its host (rank 0, or the launcher's agent) is lost (" + ErrorText(e) + ")";
  }
}

// Runs one collective's body; a failure becomes "op on rank r of n failed: cause; diagnosis".
static void RunCollective(Group& g, const char* op, const std::function<void()>& body) {
  const uint64_t seq = g.seq++;
  try {
    body();
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(op) + " on rank " + std::to_string(g.rank) + " of " +
                             std::to_string(g.size) + " failed (" + g.backend + ", timeout " +
                             Seconds(g.timeout) + "): " + ErrorText(e) + "; " + DescribeFault(g, seq));
  }
}

static void Wait(Group& g, const WorkPtr& work) {
  if (!work->wait(g.timeout)) throw std::runtime_error("timed out after " + Seconds(g.timeout));
}

// Consecutive tensors of one dtype and device grouped into buckets of about capBytes, as DDP's
// compute_bucket_assignment_by_size does: a bucket closes once it reaches the cap; the order is the same
// on every rank because it depends only on the tensors' dtypes and shapes.
static std::vector<std::vector<size_t>> Buckets(const std::vector<torch::Tensor>& ts, int64_t capBytes) {
  std::vector<std::vector<size_t>> done;
  std::map<std::string, std::pair<std::vector<size_t>, int64_t>> open;
  for (size_t i = 0; i < ts.size(); i++) {
    auto key = DtypeName(ts[i].scalar_type()) + "@" + ts[i].device().str();
    auto& [members, bytes] = open[key];
    members.push_back(i);
    bytes += ts[i].numel() * static_cast<int64_t>(ts[i].element_size());
    if (bytes >= capBytes) {
      done.push_back(std::move(members));
      open.erase(key);
    }
  }
  for (auto& [key, b] : open) done.push_back(std::move(b.first));
  return done;
}

// A bucket of one contiguous tensor is that tensor's own memory (no copy in or out), else a new buffer.
static torch::Tensor Flatten(const std::vector<torch::Tensor>& ts, const std::vector<size_t>& members) {
  if (members.size() == 1 && ts[members[0]].is_contiguous()) return ts[members[0]].view({-1});
  std::vector<torch::Tensor> flat;
  for (auto i : members) flat.push_back(ts[i].reshape({-1}));
  return flat.size() == 1 ? flat[0].clone() : torch::cat(flat);
}

static void Unflatten(const torch::Tensor& flat, const std::vector<torch::Tensor>& ts,
                      const std::vector<size_t>& members) {
  if (members.size() == 1 && flat.data_ptr() == ts[members[0]].data_ptr()) return;
  int64_t at = 0;
  for (auto i : members) {
    auto t = ts[i];
    t.copy_(flat.narrow(0, at, t.numel()).view(t.sizes()));
    at += t.numel();
  }
}

// A promise settled by a body run on a worker thread; the result is built back on the main thread.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Body = std::function<void()>;
  using Result = std::function<Napi::Value(Napi::Env)>;
  PromiseWorker(Napi::Env env, Body body, Result result)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), body_(std::move(body)),
        result_(std::move(result)) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      torch::NoGradGuard noGrad;  // collectives write into parameters in place
      body_();
    } catch (const std::exception& e) {
      SetError(ErrorText(e));
    }
  }
  void OnOK() override { deferred_.Resolve(result_(Env())); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Body body_;
  Result result_;
};

static Napi::Value Start(Napi::Env env, PromiseWorker::Body body, PromiseWorker::Result result) {
  auto* w = new PromiseWorker(env, std::move(body), std::move(result));
  auto p = w->Promise();
  w->Queue();
  return p;
}

static Napi::Value Undefined(Napi::Env env) { return env.Undefined(); }

static GroupPtr& ArgGroup(const Napi::CallbackInfo& info, const char* op) {
  if (info.Length() < 1 || !info[0].IsExternal())
    throw Napi::TypeError::New(info.Env(), std::string(op) + ": argument 0 must be a process group");
  return *info[0].As<Napi::External<GroupPtr>>().Data();
}

static std::string OptString(const Napi::Object& o, const char* key, const std::string& fallback) {
  auto v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : fallback;
}

static int64_t OptInt(const Napi::Object& o, const char* key) {
  auto v = o.Get(key);
  if (!v.IsNumber()) throw std::invalid_argument(std::string("distInit: option ") + key + " must be a number");
  return v.As<Napi::Number>().Int64Value();
}

// distInit({rank, worldSize, masterAddr, masterPort, timeoutMs, hostStore, prefix, backend, deviceIndex})
//   -> Promise<group>. hostStore: this rank starts the TCPStore server (rank 0 under `calign launch` or
// torchrun --standalone); otherwise every rank is a client (torchrun's agent hosts it). prefix: key
// prefix for an agent-hosted store (`/worker/attempt_<restart count>`, as torch.distributed uses).
static Napi::Value DistInit(const Napi::CallbackInfo& info) {
  return Guard(info, "distInit", [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsObject()) throw std::invalid_argument("argument 0 must be an options object");
    auto o = info[0].As<Napi::Object>();
    auto g = std::make_shared<Group>();
    g->rank = static_cast<int>(OptInt(o, "rank"));
    g->size = static_cast<int>(OptInt(o, "worldSize"));
    g->timeout = Millis(OptInt(o, "timeoutMs"));
    g->backend = OptString(o, "backend", "gloo");
    g->deviceIndex = static_cast<int>(OptInt(o, "deviceIndex"));
    const auto addr = OptString(o, "masterAddr", "127.0.0.1");
    const auto port = OptInt(o, "masterPort");
    const bool hostStore = o.Get("hostStore").ToBoolean();
    const auto prefix = OptString(o, "prefix", "");
    g->endpoint = addr + ":" + std::to_string(port);
    if (g->size < 1 || g->rank < 0 || g->rank >= g->size)
      throw std::invalid_argument("rank " + std::to_string(g->rank) + " is outside world size " +
                                  std::to_string(g->size));
    if (port < 1 || port > 65535) throw std::invalid_argument("master port " + std::to_string(port) + " is not 1-65535");
#ifndef USE_C10D_GLOO
    if (g->backend == "gloo") throw std::invalid_argument("this addon was built without Gloo (no gloo headers)");
#endif
#ifndef USE_C10D_NCCL
    if (g->backend == "nccl") throw std::invalid_argument("this addon was built without NCCL");
#endif
    if (g->backend != "gloo" && g->backend != "nccl")
      throw std::invalid_argument("backend must be gloo or nccl, got " + g->backend);
    auto body = [g, addr, port, hostStore, prefix]() {
      try {
        c10d::TCPStoreOptions so;
        so.port = static_cast<std::uint16_t>(port);
        so.isServer = hostStore;
        so.numWorkers = static_cast<std::size_t>(g->size);
        so.waitWorkers = false;  // the process group's own rendezvous waits for every rank, with its timeout
        so.timeout = g->timeout;
        so.multiTenant = hostStore;
        c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(addr, so);
        if (!prefix.empty()) store = c10::make_intrusive<c10d::PrefixStore>(prefix, store);
        g->store = c10::make_intrusive<c10d::PrefixStore>("calign", store);
#ifdef USE_C10D_GLOO
        if (g->backend == "gloo") {
          auto opts = c10d::ProcessGroupGloo::Options::create(g->timeout);
          const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
          opts->devices.push_back(ifname && *ifname ? c10d::ProcessGroupGloo::createDeviceForInterface(ifname)
                                                    : c10d::ProcessGroupGloo::createDefaultDevice());
          g->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(g->store, g->rank, g->size, opts);
        }
#endif
#ifdef USE_C10D_NCCL
        if (g->backend == "nccl") {
          auto opts = c10d::ProcessGroupNCCL::Options::create();
          opts->timeout = g->timeout;
          g->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(g->store, g->rank, g->size, opts);
        }
#endif
      } catch (const std::exception& e) {
        throw std::runtime_error("rendezvous of rank " + std::to_string(g->rank) + " of " + std::to_string(g->size) +
                                 " at " + g->endpoint + (hostStore ? " (hosting the store)" : "") +
                                 " failed (" + g->backend + ", timeout " + Seconds(g->timeout) +
                                 "): " + ErrorText(e));
      }
    };
    return Start(info.Env(), body, [g](Napi::Env env) -> Napi::Value {
      return Napi::External<GroupPtr>::New(env, new GroupPtr(g), [](Napi::Env, GroupPtr* p) { delete p; });
    });
  });
}

// distBroadcast(group, tensors, root, bucketBytes) -> Promise<void>: tensors take root's values.
static Napi::Value DistBroadcast(const Napi::CallbackInfo& info) {
  return Guard(info, "distBroadcast", [&]() -> Napi::Value {
    auto g = ArgGroup(info, "distBroadcast");
    auto ts = ArgTensorList(info, 1, "distBroadcast");
    auto root = ArgInt(info, 2, "distBroadcast");
    auto cap = ArgInt(info, 3, "distBroadcast");
    if (root < 0 || root >= g->size) throw std::invalid_argument("root rank " + std::to_string(root) + " is outside the group");
    return Start(info.Env(), [g, ts, root, cap]() {
      RunCollective(*g, "broadcast", [&]() {
        for (auto& members : Buckets(ts, cap)) {
          std::vector<torch::Tensor> flat{Flatten(ts, members)};
          c10d::BroadcastOptions bo;
          bo.rootRank = root;
          bo.timeout = g->timeout;
          Wait(*g, g->with("broadcast", [&](auto& pg) { return pg.broadcast(flat, bo); }));
          if (g->rank != root) Unflatten(flat[0], ts, members);
        }
      });
    }, Undefined);
  });
}

// distAllReduce(group, tensors, op "sum" | "avg" | "max" | "min", bucketBytes) -> Promise<void>, in
// place. Every bucket's all-reduce is issued before the first wait so Gloo's threads overlap them. AVG is
// SUM then a division (ReduceOp::AVG fails on Gloo in 1.13).
static Napi::Value DistAllReduce(const Napi::CallbackInfo& info) {
  return Guard(info, "distAllReduce", [&]() -> Napi::Value {
    auto g = ArgGroup(info, "distAllReduce");
    auto ts = ArgTensorList(info, 1, "distAllReduce");
    auto opName = ArgString(info, 2, "distAllReduce");
    auto cap = ArgInt(info, 3, "distAllReduce");
    c10d::ReduceOp op = c10d::ReduceOp::SUM;
    if (opName == "max") op = c10d::ReduceOp::MAX;
    else if (opName == "min") op = c10d::ReduceOp::MIN;
    else if (opName != "sum" && opName != "avg")
      throw std::invalid_argument("op must be sum, avg, max or min, got " + opName);
    const bool avg = opName == "avg";
    return Start(info.Env(), [g, ts, op, avg, cap]() {
      RunCollective(*g, "allReduce", [&]() {
        auto buckets = Buckets(ts, cap);
        std::vector<std::vector<torch::Tensor>> flats;
        std::vector<WorkPtr> works;
        for (auto& members : buckets) {
          flats.push_back({Flatten(ts, members)});
          c10d::AllreduceOptions ao;
          ao.reduceOp = op;
          ao.timeout = g->timeout;
          works.push_back(g->with("allReduce", [&](auto& pg) { return pg.allreduce(flats.back(), ao); }));
        }
        for (size_t b = 0; b < buckets.size(); b++) {
          Wait(*g, works[b]);
          if (avg) flats[b][0].div_(g->size);
          Unflatten(flats[b][0], ts, buckets[b]);
        }
      });
    }, Undefined);
  });
}

// distAllGatherBytes(group, bytes: Uint8Array) -> Promise<Uint8Array[]>: every rank's payload, in rank
// order; payloads may differ in length (sizes first, then payloads padded to the longest).
static Napi::Value DistAllGatherBytes(const Napi::CallbackInfo& info) {
  return Guard(info, "distAllGatherBytes", [&]() -> Napi::Value {
    auto g = ArgGroup(info, "distAllGatherBytes");
    if (info.Length() < 2 || !info[1].IsTypedArray())
      throw std::invalid_argument("argument 1 must be a Uint8Array");
    auto ta = info[1].As<Napi::Uint8Array>();
    auto mine = std::make_shared<std::vector<uint8_t>>(ta.Data(), ta.Data() + ta.ByteLength());
    auto out = std::make_shared<std::vector<std::vector<uint8_t>>>();
    return Start(info.Env(), [g, mine, out]() {
      RunCollective(*g, "allGatherBytes", [&]() {
        // The payloads are host bytes: NCCL gathers them through this rank's GPU, Gloo as they are.
        const bool viaGpu = g->backend == "nccl";
        auto gather = [&](const torch::Tensor& host) {
          std::vector<torch::Tensor> in{viaGpu ? host.to(torch::Device(torch::kCUDA, g->deviceIndex)) : host};
          std::vector<std::vector<torch::Tensor>> outs(1);
          for (int r = 0; r < g->size; r++) outs[0].push_back(torch::empty_like(in[0]));
          c10d::AllgatherOptions ao;
          ao.timeout = g->timeout;
          Wait(*g, g->with("allGatherBytes", [&](auto& pg) { return pg.allgather(outs, in, ao); }));
          for (auto& t : outs[0]) t = t.cpu();
          return outs[0];
        };
        auto sizes = gather(torch::full({1}, static_cast<int64_t>(mine->size()), torch::kInt64));
        int64_t longest = 0;
        for (auto& s : sizes) longest = std::max(longest, s.item<int64_t>());
        auto padded = torch::zeros({std::max<int64_t>(longest, 1)}, torch::kUInt8);
        if (!mine->empty()) std::memcpy(padded.data_ptr(), mine->data(), mine->size());
        auto payloads = gather(padded);
        for (int r = 0; r < g->size; r++) {
          auto* p = payloads[r].data_ptr<uint8_t>();
          out->emplace_back(p, p + sizes[r].item<int64_t>());
        }
      });
    }, [out](Napi::Env env) -> Napi::Value {
      auto arr = Napi::Array::New(env, out->size());
      for (size_t r = 0; r < out->size(); r++) {
        auto& bytes = (*out)[r];
        auto buf = Napi::Uint8Array::New(env, bytes.size());
        if (!bytes.empty()) std::memcpy(buf.Data(), bytes.data(), bytes.size());
        arr.Set(static_cast<uint32_t>(r), buf);
      }
      return arr;
    });
  });
}

// distBarrier(group) -> Promise<void>: resolves once every rank has reached it.
static Napi::Value DistBarrier(const Napi::CallbackInfo& info) {
  return Guard(info, "distBarrier", [&]() -> Napi::Value {
    auto g = ArgGroup(info, "distBarrier");
    return Start(info.Env(), [g]() {
      RunCollective(*g, "barrier", [&]() {
        c10d::BarrierOptions bo;
        bo.timeout = g->timeout;
        if (g->backend == "nccl") bo.device_ids = {g->deviceIndex};
        Wait(*g, g->with("barrier", [&](auto& pg) { return pg.barrier(bo); }));
      });
    }, Undefined);
  });
}

// distDestroy(group): releases the backend and the store connection (a no-op the second time).
static Napi::Value DistDestroy(const Napi::CallbackInfo& info) {
  return Guard(info, "distDestroy", [&]() -> Napi::Value {
    auto g = ArgGroup(info, "distDestroy");
#ifdef USE_C10D_GLOO
    g->gloo.reset();
#endif
#ifdef USE_C10D_NCCL
    g->nccl.reset();
#endif
    g->store.reset();
    return info.Env().Undefined();
  });
}

// distBackends() -> the backends this build has ("gloo" needs gloo's headers, "nccl" a CUDA libtorch).
static Napi::Value DistBackends(const Napi::CallbackInfo& info) {
  std::vector<std::string> names;
#ifdef USE_C10D_GLOO
  names.push_back("gloo");
#endif
#ifdef USE_C10D_NCCL
  names.push_back("nccl");
#endif
  auto arr = Napi::Array::New(info.Env(), names.size());
  for (size_t i = 0; i < names.size(); i++) arr.Set(static_cast<uint32_t>(i), names[i]);
  return arr;
}

void InitDistributed(Napi::Env env, Napi::Object exports) {
  exports.Set("distInit", Napi::Function::New(env, DistInit));
  exports.Set("distBroadcast", Napi::Function::New(env, DistBroadcast));
  exports.Set("distAllReduce", Napi::Function::New(env, DistAllReduce));
  exports.Set("distAllGatherBytes", Napi::Function::New(env, DistAllGatherBytes));
  exports.Set("distBarrier", Napi::Function::New(env, DistBarrier));
  exports.Set("distDestroy", Napi::Function::New(env, DistDestroy));
  exports.Set("distBackends", Napi::Function::New(env, DistBackends));
}

}  // namespace calign
