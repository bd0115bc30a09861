// The Node-API surface of the native backend. Tensor data arrives as Float32Arrays and is used in place;
// integer parameters (shapes, strides, geometry) arrive through `params`, a Float64Array owned by this
// module that the caller fills before each call, because reading many JavaScript values one by one costs
// more than many kernels take. Every length is checked against those parameters before any memory is
// touched.
#include <napi.h>

#include <mutex>
#include <string>
#include <unordered_map>

#include "common/buffer-cache.h"
#include "common/dispatch.h"
#include "common/kernel-table.h"
#include "common/parallel.h"
#include "napi-args.h"

namespace lw {
namespace {

constexpr size_t kParamCount = 64;
const KernelTable* g_kernels = nullptr;

Napi::Value Unary(const Napi::CallbackInfo& info) {
  Args args(info);
  const UnaryOp op = enum_arg<UnaryOp>(args, 0, "unary op", kUnaryOpCount);
  size_t n = 0;
  float* out = args.f32_any(2, "out", &n);
  const float* x = args.f32(1, "x", n);
  const double alpha = args.number(3, "alpha");
  if (args.ok()) g_kernels->unary(op, x, out, static_cast<int64_t>(n), static_cast<float>(alpha));
  return args.env().Undefined();
}

Napi::Value UnaryGrad(const Napi::CallbackInfo& info) {
  Args args(info);
  const UnaryOp op = enum_arg<UnaryOp>(args, 0, "unary op", kUnaryOpCount);
  size_t n = 0;
  float* out = args.f32_any(4, "out", &n);
  const float* x = args.f32(1, "x", n);
  const float* y = args.f32(2, "y", n);
  const float* dy = args.f32(3, "dy", n);
  const double alpha = args.number(5, "alpha");
  if (args.ok()) g_kernels->unary_grad(op, x, y, dy, out, static_cast<int64_t>(n), static_cast<float>(alpha));
  return args.env().Undefined();
}

// params: rank, shape[rank], aStrides[rank], bStrides[rank].
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Args args(info);
  const BinaryOp op = enum_arg<BinaryOp>(args, 0, "binary op", kBinaryOpCount);
  BroadcastArgs bc;
  bc.rank = static_cast<int>(args.param(0));
  args.require(bc.rank >= 0 && bc.rank <= kMaxRank, "broadcast rank out of range");
  int64_t size = 1, a_extent = 1, b_extent = 1;
  for (int d = 0; args.ok() && d < bc.rank; d++) {
    bc.shape[d] = args.param(1 + d);
    bc.a_strides[d] = args.param(1 + bc.rank + d);
    bc.b_strides[d] = args.param(1 + 2 * bc.rank + d);
    args.require(bc.shape[d] >= 0 && bc.a_strides[d] >= 0 && bc.b_strides[d] >= 0, "negative shape or stride");
    size *= bc.shape[d];
    a_extent += (bc.shape[d] - 1) * bc.a_strides[d];
    b_extent += (bc.shape[d] - 1) * bc.b_strides[d];
  }
  size_t a_length = 0, b_length = 0;
  const float* a = args.f32_any(1, "a", &a_length);
  const float* b = args.f32_any(2, "b", &b_length);
  float* out = args.f32(3, "out", to_size(size));
  if (args.ok() && size > 0) {
    args.require(a_extent <= static_cast<int64_t>(a_length) && b_extent <= static_cast<int64_t>(b_length),
                 "operand shorter than its broadcast strides reach");
  }
  if (args.ok() && size > 0) g_kernels->binary(op, a, b, out, bc);
  return args.env().Undefined();
}

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Args args(info);
  const ReduceOp op = enum_arg<ReduceOp>(args, 0, "reduce op", kReduceOpCount);
  const int64_t outer = static_cast<int64_t>(args.number(3, "outer"));
  const int64_t size = static_cast<int64_t>(args.number(4, "size"));
  const int64_t inner = static_cast<int64_t>(args.number(5, "inner"));
  args.require(outer >= 0 && size >= 0 && inner >= 0, "negative reduction extent");
  const float* x = args.f32(1, "x", to_size(outer * size * inner));
  float* out = args.f32(2, "out", to_size(outer * inner));
  if (args.ok()) g_kernels->reduce(op, x, out, outer, size, inner);
  return args.env().Undefined();
}

// Reads the epilogue from params[at] (activation code, -1 for none) and params[at + 1] (alpha).
bool read_epilogue(Args& args, size_t at, size_t bias_arg, int64_t columns, Epilogue* epilogue) {
  const int64_t activation = args.param(at);
  if (activation < 0) return false;
  args.require(activation < kActivationCount, "unknown activation");
  epilogue->activation = static_cast<Activation>(activation);
  epilogue->alpha = static_cast<float>(args.param_double(at + 1));
  epilogue->bias = args.f32_or_null(bias_arg, "bias", to_size(columns));
  return true;
}

// params: batch, m, n, k, transA, transB, aBatchStride, bBatchStride, activation, alpha.
Napi::Value Matmul(const Napi::CallbackInfo& info) {
  Args args(info);
  MatmulArgs mm{args.param(0), args.param(1), args.param(2), args.param(3), args.param(4) != 0, args.param(5) != 0,
                args.param(6), args.param(7)};
  args.require(mm.batch >= 0 && mm.m >= 0 && mm.n >= 0 && mm.k >= 0 && mm.a_batch_stride >= 0 && mm.b_batch_stride >= 0,
               "negative matmul dimension");
  size_t a_length = 0, b_length = 0;
  const float* a = args.f32_any(0, "a", &a_length);
  const float* b = args.f32_any(1, "b", &b_length);
  float* out = args.f32(2, "out", to_size(mm.batch * mm.m * mm.n));
  Epilogue epilogue{};
  const bool fused = args.ok() && read_epilogue(args, 8, 3, mm.n, &epilogue);
  if (args.ok() && mm.batch > 0) {
    args.require((mm.batch - 1) * mm.a_batch_stride + mm.m * mm.k <= static_cast<int64_t>(a_length) &&
                     (mm.batch - 1) * mm.b_batch_stride + mm.k * mm.n <= static_cast<int64_t>(b_length),
                 "matmul operand shorter than its batch strides reach");
  }
  if (args.ok()) g_kernels->matmul(a, b, out, mm, fused ? &epilogue : nullptr);
  return args.env().Undefined();
}

// params: batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft.
ConvArgs read_conv(Args& args) {
  ConvArgs c{args.param(0), args.param(1),  args.param(2),  args.param(3),  args.param(4),
             args.param(5), args.param(6),  args.param(7),  args.param(8),  args.param(9),
             args.param(10), args.param(11), args.param(12), args.param(13), args.param(14)};
  args.require(c.batch >= 0 && c.in_h >= 0 && c.in_w >= 0 && c.in_c >= 0 && c.out_h >= 0 && c.out_w >= 0 &&
                   c.out_c >= 0 && c.k_h >= 0 && c.k_w >= 0 && c.stride_h >= 1 && c.stride_w >= 1 &&
                   c.dilation_h >= 1 && c.dilation_w >= 1,
               "invalid convolution geometry");
  return c;
}
size_t image_size(const ConvArgs& c) { return to_size(c.batch * c.in_h * c.in_w * c.in_c); }
size_t output_size(const ConvArgs& c) { return to_size(c.batch * c.out_h * c.out_w * c.out_c); }
size_t filter_size(const ConvArgs& c) { return to_size(c.k_h * c.k_w * c.in_c * c.out_c); }

Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  Args args(info);
  const ConvArgs c = read_conv(args);
  const float* x = args.f32(0, "x", image_size(c));
  const float* filter = args.f32(1, "filter", filter_size(c));
  float* out = args.f32(2, "out", output_size(c));
  Epilogue epilogue{};
  const bool fused = args.ok() && read_epilogue(args, 15, 3, c.out_c, &epilogue);
  if (args.ok()) g_kernels->conv2d(x, filter, out, c, fused ? &epilogue : nullptr);
  return args.env().Undefined();
}

Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  Args args(info);
  const ConvArgs c = read_conv(args);
  const float* dy = args.f32(0, "dy", output_size(c));
  const float* filter = args.f32(1, "filter", filter_size(c));
  float* dx = args.f32(2, "dx", image_size(c));
  if (args.ok()) g_kernels->conv2d_backprop_input(dy, filter, dx, c);
  return args.env().Undefined();
}

Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  Args args(info);
  const ConvArgs c = read_conv(args);
  const float* x = args.f32(0, "x", image_size(c));
  const float* dy = args.f32(1, "dy", output_size(c));
  float* dfilter = args.f32(2, "dFilter", filter_size(c));
  if (args.ok()) g_kernels->conv2d_backprop_filter(x, dy, dfilter, c);
  return args.env().Undefined();
}

// params: batch, inH, inW, channels, outH, outW, kH, kW, strideH, strideW, padTop, padLeft.
PoolArgs read_pool(Args& args) {
  PoolArgs p{args.param(0), args.param(1), args.param(2), args.param(3), args.param(4),  args.param(5),
             args.param(6), args.param(7), args.param(8), args.param(9), args.param(10), args.param(11)};
  args.require(p.batch >= 0 && p.in_h >= 0 && p.in_w >= 0 && p.channels >= 0 && p.out_h >= 0 && p.out_w >= 0 &&
                   p.k_h >= 0 && p.k_w >= 0 && p.stride_h >= 1 && p.stride_w >= 1,
               "invalid pooling geometry");
  return p;
}
size_t pool_input_size(const PoolArgs& p) { return to_size(p.batch * p.in_h * p.in_w * p.channels); }
size_t pool_output_size(const PoolArgs& p) { return to_size(p.batch * p.out_h * p.out_w * p.channels); }

template <void (*KernelTable::*kernel)(const float*, float*, const PoolArgs&)>
Napi::Value PoolForward(const Napi::CallbackInfo& info) {
  Args args(info);
  const PoolArgs p = read_pool(args);
  const float* x = args.f32(0, "x", pool_input_size(p));
  float* out = args.f32(1, "out", pool_output_size(p));
  if (args.ok()) (g_kernels->*kernel)(x, out, p);
  return args.env().Undefined();
}

Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  Args args(info);
  const PoolArgs p = read_pool(args);
  const float* x = args.f32(0, "x", pool_input_size(p));
  const float* dy = args.f32(1, "dy", pool_output_size(p));
  float* dx = args.f32(2, "dx", pool_input_size(p));
  if (args.ok()) g_kernels->max_pool_grad(x, dy, dx, p);
  return args.env().Undefined();
}

Napi::Value AvgPoolGrad(const Napi::CallbackInfo& info) {
  Args args(info);
  const PoolArgs p = read_pool(args);
  const float* dy = args.f32(0, "dy", pool_output_size(p));
  float* dx = args.f32(1, "dx", pool_input_size(p));
  if (args.ok()) g_kernels->avg_pool_grad(dy, dx, p);
  return args.env().Undefined();
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Args args(info);
  const int64_t rows = static_cast<int64_t>(args.number(2, "rows"));
  const int64_t cols = static_cast<int64_t>(args.number(3, "cols"));
  args.require(rows >= 0 && cols >= 0, "negative softmax extent");
  const float* x = args.f32(0, "x", to_size(rows * cols));
  float* out = args.f32(1, "out", to_size(rows * cols));
  const bool log = args.number(4, "log") != 0;
  if (args.ok()) g_kernels->softmax(x, out, rows, cols, log);
  return args.env().Undefined();
}

Napi::Value Sgd(const Napi::CallbackInfo& info) {
  Args args(info);
  size_t n = 0;
  float* param = args.f32_any(0, "param", &n);
  const float* grad = args.f32(1, "grad", n);
  float* velocity = args.f32_or_null(2, "velocity", n);
  const double lr = args.number(3, "lr"), momentum = args.number(4, "momentum");
  const bool nesterov = args.number(5, "nesterov") != 0;
  if (args.ok()) {
    g_kernels->sgd(param, grad, velocity, static_cast<int64_t>(n), static_cast<float>(lr), static_cast<float>(momentum),
                   nesterov);
  }
  return args.env().Undefined();
}

Napi::Value Rmsprop(const Napi::CallbackInfo& info) {
  Args args(info);
  size_t n = 0;
  float* param = args.f32_any(0, "param", &n);
  const float* grad = args.f32(1, "grad", n);
  float* ms = args.f32(2, "ms", n);
  float* mom = args.f32_or_null(3, "mom", n);
  float* mg = args.f32_or_null(4, "mg", n);
  const double lr = args.number(5, "lr"), rho = args.number(6, "rho"), momentum = args.number(7, "momentum"),
               epsilon = args.number(8, "epsilon");
  if (args.ok()) {
    g_kernels->rmsprop(param, grad, ms, mom, mg, static_cast<int64_t>(n), static_cast<float>(lr), static_cast<float>(rho),
                       static_cast<float>(momentum), static_cast<float>(epsilon));
  }
  return args.env().Undefined();
}

Napi::Value Adam(const Napi::CallbackInfo& info) {
  Args args(info);
  size_t n = 0;
  float* param = args.f32_any(0, "param", &n);
  const float* grad = args.f32(1, "grad", n);
  float* m = args.f32(2, "m", n);
  float* v = args.f32(3, "v", n);
  float* v_max = args.f32_or_null(4, "vMax", n);
  const double step = args.number(5, "stepSize"), beta1 = args.number(6, "beta1"), beta2 = args.number(7, "beta2"),
               epsilon = args.number(8, "epsilon");
  if (args.ok()) {
    g_kernels->adam(param, grad, m, v, v_max, static_cast<int64_t>(n), static_cast<float>(step), static_cast<float>(beta1),
                    static_cast<float>(beta2), static_cast<float>(epsilon));
  }
  return args.env().Undefined();
}

Napi::Value Adagrad(const Napi::CallbackInfo& info) {
  Args args(info);
  size_t n = 0;
  float* param = args.f32_any(0, "param", &n);
  const float* grad = args.f32(1, "grad", n);
  float* acc = args.f32(2, "acc", n);
  const double lr = args.number(3, "lr"), epsilon = args.number(4, "epsilon");
  if (args.ok()) {
    g_kernels->adagrad(param, grad, acc, static_cast<int64_t>(n), static_cast<float>(lr), static_cast<float>(epsilon));
  }
  return args.env().Undefined();
}

Napi::Value Scale(const Napi::CallbackInfo& info) {
  Args args(info);
  size_t n = 0;
  float* param = args.f32_any(0, "param", &n);
  const double factor = args.number(1, "factor");
  if (args.ok()) g_kernels->scale(param, static_cast<int64_t>(n), static_cast<float>(factor));
  return args.env().Undefined();
}

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

template <size_t N>
Napi::Array names(Napi::Env env, const char* const (&list)[N]) {
  Napi::Array array = Napi::Array::New(env, N);
  for (size_t i = 0; i < N; i++) array.Set(static_cast<uint32_t>(i), list[i]);
  return array;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  if (!g_kernels) g_kernels = kernels_for(initial_isa());
  Napi::Float64Array params = Napi::Float64Array::New(env, kParamCount);
  auto* instance = new Instance();
  instance->params_ref = Napi::Persistent(params);
  instance->params = params.Data();
  env.SetInstanceData(instance);

  std::vector<std::string> ids = supported_isas();
  Napi::Array isas = Napi::Array::New(env, ids.size());
  for (size_t i = 0; i < ids.size(); i++) isas.Set(static_cast<uint32_t>(i), ids[i]);

  exports.Set("params", params);
  exports.Set("isas", isas);
  exports.Set("unaryOps", names(env, kUnaryOpNames));
  exports.Set("binaryOps", names(env, kBinaryOpNames));
  exports.Set("reduceOps", names(env, kReduceOpNames));
  exports.Set("activations", names(env, kActivationNames));
  exports.Set("isa", Napi::Function::New(env, GetIsa));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa));
  exports.Set("threads", Napi::Function::New(env, GetThreads));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("unaryGrad", Napi::Function::New(env, UnaryGrad));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("reduce", Napi::Function::New(env, Reduce));
  exports.Set("matmul", Napi::Function::New(env, Matmul));
  exports.Set("conv2d", Napi::Function::New(env, Conv2d));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter));
  exports.Set("maxPool2d", Napi::Function::New(env, PoolForward<&KernelTable::max_pool>));
  exports.Set("maxPool2dGrad", Napi::Function::New(env, MaxPoolGrad));
  exports.Set("avgPool2d", Napi::Function::New(env, PoolForward<&KernelTable::avg_pool>));
  exports.Set("avgPool2dGrad", Napi::Function::New(env, AvgPoolGrad));
  exports.Set("softmax", Napi::Function::New(env, Softmax));
  exports.Set("sgdUpdate", Napi::Function::New(env, Sgd));
  exports.Set("rmspropUpdate", Napi::Function::New(env, Rmsprop));
  exports.Set("adamUpdate", Napi::Function::New(env, Adam));
  exports.Set("adagradUpdate", Napi::Function::New(env, Adagrad));
  exports.Set("scaleInPlace", Napi::Function::New(env, Scale));
  exports.Set("alloc", Napi::Function::New(env, Alloc));
  exports.Set("release", Napi::Function::New(env, Release));
  exports.Set("cacheStats", Napi::Function::New(env, CacheStats));
  return exports;
}

}  // namespace
}  // namespace lw

static Napi::Object InitLayerwise(Napi::Env env, Napi::Object exports) { return lw::Init(env, exports); }

NODE_API_MODULE(layerwise, InitLayerwise)
