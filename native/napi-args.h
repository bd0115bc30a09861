// Reading a kernel call's arguments from JavaScript: Float32Arrays checked for type and length, numbers,
// and the integer parameters the caller left in the module's `params` array. The first bad argument
// throws a TypeError naming it; later reads then do nothing.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

namespace lw {

// Per-environment state: the params array and a pointer to its (never moving) data.
struct Instance {
  Napi::Reference<Napi::Float64Array> params_ref;
  const double* params = nullptr;
};

// Reads arguments, throwing a JavaScript error (and remembering it) on the first bad one.
class Args {
 public:
  explicit Args(const Napi::CallbackInfo& info)
      : info_(info), env_(info.Env()), params_(env_.GetInstanceData<Instance>()->params) {}

  bool ok() const { return ok_; }
  Napi::Env env() const { return env_; }

  float* f32(size_t i, const char* name, size_t expected_length) { return get(i, name, expected_length, false); }
  float* f32_or_null(size_t i, const char* name, size_t expected_length) { return get(i, name, expected_length, true); }
  // A Float32Array of any length (checked by the caller against strides).
  float* f32_any(size_t i, const char* name, size_t* length) {
    *length = 0;
    return get(i, name, kAnyLength, false, length);
  }

  double number(size_t i, const char* name) {
    if (!ok_) return 0;
    double v = 0;
    if (napi_get_value_double(env_, info_[i], &v) != napi_ok) fail(std::string("argument '") + name + "' expected a number");
    return v;
  }
  int64_t param(size_t i) const { return static_cast<int64_t>(params_[i]); }
  double param_double(size_t i) const { return params_[i]; }

  void fail(const std::string& message) {
    if (!ok_) return;
    ok_ = false;
    Napi::TypeError::New(env_, "layerwise native backend: " + message).ThrowAsJavaScriptException();
  }
  void require(bool condition, const char* message) {
    if (!condition) fail(message);
  }

 private:
  static constexpr size_t kAnyLength = static_cast<size_t>(-1);

  float* get(size_t i, const char* name, size_t expected, bool nullable, size_t* length_out = nullptr) {
    if (!ok_) return nullptr;
    napi_value value = info_[i];
    if (nullable) {
      napi_valuetype type;
      napi_typeof(env_, value, &type);
      if (type == napi_null || type == napi_undefined) return nullptr;
    }
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (napi_get_typedarray_info(env_, value, &type, &length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_float32_array) {
      fail(std::string("argument '") + name + "' expected a Float32Array");
      return nullptr;
    }
    if (expected != kAnyLength && length != expected) {
      fail(std::string("argument '") + name + "' expected length " + std::to_string(expected) + ", received " +
           std::to_string(length));
      return nullptr;
    }
    if (length_out) *length_out = length;
    return static_cast<float*>(data);
  }

  const Napi::CallbackInfo& info_;
  Napi::Env env_;
  const double* params_;
  bool ok_ = true;
};

template <class E>
E enum_arg(Args& args, size_t i, const char* name, int count) {
  const double v = args.number(i, name);
  if (args.ok() && !(v >= 0 && v < count && static_cast<int>(v) == v)) args.fail(std::string("unknown ") + name);
  return static_cast<E>(static_cast<int>(v));
}

inline size_t to_size(int64_t v) { return static_cast<size_t>(v); }

}  // namespace lw
