// The Node-API surface of the native backend: one function per kernel under `kernels` (generated from the
// kernel table, see napi-args.h), the shared `params` array they read their parameters from, the choice of
// instruction set and threads, and the recycled memory tensors live in. Tensor data arrives as typed
// arrays and is used in place.
#include <napi.h>

#include <mutex>
#include <string>
#include <unordered_map>

#include "common/buffer-cache.h"
#include "common/dispatch.h"
#include "common/parallel.h"
#include "napi-args.h"

namespace lw {
namespace {

const KernelTable* g_kernels = nullptr;

#include "generated/bindings.h"

Napi::Value GetIsa(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), g_kernels->isa);
}

Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "setIsa: argument 'id' expected a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const std::string id = info[0].As<Napi::String>().Utf8Value();
  const KernelTable* table = kernels_for(id);
  if (table && kernel_difference(*table, *g_kernels)) {
    Napi::Error::New(env, std::string("setIsa: the ") + id + " build lacks kernel " + kernel_difference(*table, *g_kernels)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!table) {
    Napi::Error::New(env, "setIsa: instruction set '" + id + "' is not supported on this CPU").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  g_kernels = table;
  return env.Undefined();
}

Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), thread_count()); }

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber() || info[0].As<Napi::Number>().Int32Value() < 1) {
    Napi::TypeError::New(env, "setThreads: argument 'n' expected a positive integer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  set_thread_count(info[0].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

// One record per ArrayBuffer handed out: a buffer returned early by release() must not be returned a
// second time by its finalizer, even if its block has meanwhile gone to a new buffer.
struct BlockRecord {
  size_t bytes;
  bool released;
};
std::mutex g_live_mutex;  // worker threads are JavaScript threads of their own
std::unordered_map<void*, BlockRecord*> g_live;

void FinalizeBlock(Napi::Env, void* block, BlockRecord* record) {
  if (!record->released) {
    {
      std::lock_guard<std::mutex> lock(g_live_mutex);
      g_live.erase(block);
    }
    cache_release(block, record->bytes);
  }
  delete record;
}

constexpr size_t kMaxExternalBytes = size_t{1} << 32;

// alloc(bytes): an ArrayBuffer over a recycled block (see common/buffer-cache.h).
Napi::Value Alloc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "alloc: expected a byte count").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const double requested = info[0].As<Napi::Number>().DoubleValue();
  if (!(requested > 0) || requested > 1e15) {
    Napi::RangeError::New(env, "alloc: byte count out of range").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const size_t bytes = static_cast<size_t>(requested);
  // Node refuses external ArrayBuffers over 2^32 bytes, and its failure path frees the block it was given
  // a second time (an abort, not an exception): refuse them before anything is allocated.
  if (bytes > kMaxExternalBytes) {
    Napi::RangeError::New(env, "alloc: more than 2^32 bytes, the limit of an external ArrayBuffer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  void* block = cache_acquire(bytes);
  if (block == nullptr) {
    Napi::Error::New(env, "alloc: out of memory").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto* record = new BlockRecord{bytes, false};
  {
    std::lock_guard<std::mutex> lock(g_live_mutex);
    g_live[block] = record;
  }
  return Napi::ArrayBuffer::New(env, block, bytes, FinalizeBlock, record);
}

// release(buffer): for a buffer from alloc() that the library knows is unreachable: detaches it (any stale
// view reads as empty instead of someone else's data) and returns its block to the cache at once, without
// waiting for the collector. Returns false (and does nothing) for any other buffer.
Napi::Value Release(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArrayBuffer()) return Napi::Boolean::New(env, false);
  Napi::ArrayBuffer buffer = info[0].As<Napi::ArrayBuffer>();
  void* block = buffer.Data();
  BlockRecord* record = nullptr;
  {
    std::lock_guard<std::mutex> lock(g_live_mutex);
    auto it = g_live.find(block);
    if (block == nullptr || it == g_live.end()) return Napi::Boolean::New(env, false);
    record = it->second;
    g_live.erase(it);
  }
  record->released = true;
  buffer.Detach();
  cache_release(block, record->bytes);
  return Napi::Boolean::New(env, true);
}

// cacheStats(): { idleBytes, freshBlocks } of the recycling cache, for memory tests and tuning.
Napi::Value CacheStats(const Napi::CallbackInfo& info) {
  Napi::Object stats = Napi::Object::New(info.Env());
  stats.Set("idleBytes", static_cast<double>(cache_idle_bytes()));
  stats.Set("freshBlocks", static_cast<double>(cache_fresh_blocks()));
  return stats;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  if (!g_kernels) g_kernels = kernels_for(initial_isa());
  Napi::Float64Array params = Napi::Float64Array::New(env, kParamSlots);
  auto* instance = new Instance();
  instance->params_ref = Napi::Persistent(params);
  instance->params = params.Data();
  env.SetInstanceData(instance);

  std::vector<std::string> ids = supported_isas();
  Napi::Array isas = Napi::Array::New(env, ids.size());
  for (size_t i = 0; i < ids.size(); i++) isas.Set(static_cast<uint32_t>(i), ids[i]);
  Napi::Object kernels = Napi::Object::New(env);
  export_kernels(env, kernels, *g_kernels);

  exports.Set("params", params);
  exports.Set("tableHash", Napi::Number::New(env, kTableHash));
  exports.Set("isas", isas);
  exports.Set("kernels", kernels);
  exports.Set("isa", Napi::Function::New(env, GetIsa));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa));
  exports.Set("threads", Napi::Function::New(env, GetThreads));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("alloc", Napi::Function::New(env, Alloc));
  exports.Set("release", Napi::Function::New(env, Release));
  exports.Set("cacheStats", Napi::Function::New(env, CacheStats));
  return exports;
}

}  // namespace
}  // namespace lw

static Napi::Object InitLayerwise(Napi::Env env, Napi::Object exports) { return lw::Init(env, exports); }

NODE_API_MODULE(layerwise, InitLayerwise)
