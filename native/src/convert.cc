// Moving data between JavaScript typed arrays, files and tensors.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common.h"

namespace calign {

// fromArray(data: TypedArray | ArrayBuffer, dtype, shape, device?) -> Tensor. The bytes are copied once
// into libtorch-owned memory: a tensor must not alias a buffer the JS GC may move or free.
static Napi::Value FromArray(const Napi::CallbackInfo& info) {
  return Guard(info, "fromArray", [&]() -> Napi::Value {
    const char* op = "fromArray";
    void* src = nullptr;
    size_t bytes = 0;
    if (info.Length() > 0 && info[0].IsTypedArray()) {
      auto ta = info[0].As<Napi::TypedArray>();
      src = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
      bytes = ta.ByteLength();
    } else if (info.Length() > 0 && info[0].IsArrayBuffer()) {
      auto ab = info[0].As<Napi::ArrayBuffer>();
      src = ab.Data();
      bytes = ab.ByteLength();
    } else {
      throw Napi::TypeError::New(info.Env(), "fromArray: argument 0 must be a TypedArray or ArrayBuffer");
    }
    auto dtype = ParseDtype(ArgString(info, 1, op), op);
    auto shape = ArgInts(info, 2, op);
    int64_t numel = 1;
    for (auto d : shape) numel *= d;
    size_t want = static_cast<size_t>(numel) * c10::elementSize(dtype);
    if (want != bytes)
      throw std::invalid_argument("shape " + c10::str(c10::IntArrayRef(shape)) + " of " + DtypeName(dtype) +
                                  " needs " + std::to_string(want) + " bytes, got " + std::to_string(bytes));
    auto t = torch::empty(shape, torch::TensorOptions().dtype(dtype));
    if (bytes) std::memcpy(t.data_ptr(), src, bytes);
    if (!ArgIsMissing(info, 3)) t = t.to(ParseDevice(ArgString(info, 3, op), op));
    return Tensor::Wrap(info.Env(), t);
  });
}

// fromFile(path, offset, byteLength, dtype, shape, device?) -> Tensor: a region of a file (a checkpoint
// tensor's bytes), memory-mapped and copied once, straight into the tensor's memory on the device; the
// mapping is gone when it returns. Loading weights this way never holds a second host copy (a buffer for
// JavaScript, then the tensor) nor more than one tensor's pages mapped.
static Napi::Value FromFile(const Napi::CallbackInfo& info) {
  return Guard(info, "fromFile", [&]() -> Napi::Value {
    const char* op = "fromFile";
    auto path = ArgString(info, 0, op);
    auto offset = ArgInt(info, 1, op);
    auto bytes = ArgInt(info, 2, op);
    auto dtype = ParseDtype(ArgString(info, 3, op), op);
    auto shape = ArgInts(info, 4, op);
    auto device = ArgIsMissing(info, 5) ? torch::Device(torch::kCPU) : ParseDevice(ArgString(info, 5, op), op);
    int64_t numel = 1;
    for (auto d : shape) numel *= d;
    if (offset < 0 || bytes != numel * static_cast<int64_t>(c10::elementSize(dtype)))
      throw std::invalid_argument("shape " + c10::str(c10::IntArrayRef(shape)) + " of " + DtypeName(dtype) +
                                  " needs " + std::to_string(numel * c10::elementSize(dtype)) + " bytes, got " +
                                  std::to_string(bytes) + " at offset " + std::to_string(offset));
    auto options = torch::TensorOptions().dtype(dtype);
    if (bytes == 0) return Tensor::Wrap(info.Env(), torch::empty(shape, options.device(device)));
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
    struct stat st;
    // A region past the end would be a SIGBUS when read through the mapping, not an error.
    if (fstat(fd, &st) != 0 || offset + bytes > st.st_size) {
      close(fd);
      throw std::runtime_error(path + ": bytes " + std::to_string(offset) + "-" + std::to_string(offset + bytes) +
                               " lie past the end of the file (" + std::to_string(st.st_size) + " bytes)");
    }
    auto page = static_cast<int64_t>(sysconf(_SC_PAGESIZE));
    int64_t start = offset - offset % page;
    auto length = static_cast<size_t>(offset - start + bytes);
    void* map = mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, start);
    int mapErrno = errno;
    close(fd);
    if (map == MAP_FAILED) throw std::runtime_error(path + ": mmap failed: " + std::strerror(mapErrno));
    madvise(map, length, MADV_SEQUENTIAL);
    torch::Tensor t;
    try {
      auto view = torch::from_blob(static_cast<uint8_t*>(map) + (offset - start), shape, options);
      t = device.is_cpu() ? view.clone() : view.to(device);
    } catch (...) {
      munmap(map, length);
      throw;
    }
    munmap(map, length);
    return Tensor::Wrap(info.Env(), t);
  });
}

// toArray(t) -> ArrayBuffer over the tensor's own CPU memory (no copy when it is already contiguous on
// the CPU). The buffer keeps the storage alive, so it stays valid after dispose().
static Napi::Value ToArray(const Napi::CallbackInfo& info) {
  return Guard(info, "toArray", [&]() -> Napi::Value {
    auto t = ArgTensor(info, 0, "toArray").detach();
    if (!t.device().is_cpu()) t = t.to(torch::kCPU);
    t = t.contiguous();
    size_t bytes = t.numel() * t.element_size();
    if (bytes == 0) return Napi::ArrayBuffer::New(info.Env(), 0);
    auto* keep = new torch::Tensor(t);
    return Napi::ArrayBuffer::New(
        info.Env(), keep->data_ptr(), bytes, [](Napi::Env, void*, torch::Tensor* k) { delete k; }, keep);
  });
}

// item(t) -> number: the value of a one-element tensor.
static Napi::Value Item(const Napi::CallbackInfo& info) {
  return Guard(info, "item", [&]() -> Napi::Value {
    auto& t = ArgTensor(info, 0, "item");
    return Napi::Number::New(info.Env(), t.item().toDouble());
  });
}

void InitConvert(Napi::Env env, Napi::Object exports) {
  exports.Set("fromArray", Napi::Function::New(env, FromArray));
  exports.Set("fromFile", Napi::Function::New(env, FromFile));
  exports.Set("toArray", Napi::Function::New(env, ToArray));
  exports.Set("item", Napi::Function::New(env, Item));
}

}  // namespace calign
