// Reading a kernel call from JavaScript (for the generated bindings, native/generated/bindings.h): typed
// arrays checked for their element type, and parameters from the module's `params` array, which the
// caller filled right before the call (reading many JavaScript values one by one costs more than many
// kernels take). Lengths were checked on the JavaScript side against the parameters (kernel-table.ts).
// The first bad argument throws a TypeError naming the kernel and the argument; later reads do nothing.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

#include "generated/kernels.h"

namespace lw {

// Per-environment state: the params array and a pointer to its (never moving) data.
struct Instance {
  Napi::Reference<Napi::Float64Array> params_ref;
  const double* params = nullptr;
};

class Call {
 public:
  Call(const Napi::CallbackInfo& info, const char* kernel) : info_(info), env_(info.Env()), kernel_(kernel) {}

  bool ok() const { return ok_; }
  const double* params() const { return env_.GetInstanceData<Instance>()->params; }

  // Argument i as an array of `type` (null where `optional` allows it); its length goes to *length.
  template <class T>
  T* array(size_t i, const char* name, napi_typedarray_type type, bool optional, int64_t* length) {
    *length = 0;
    if (!ok_) return nullptr;
    return typed<T>(info_[i], name, type, optional, length);
  }

  // Argument i as a JavaScript array of at most `max` typed arrays; returns how many.
  template <class T>
  int32_t array_list(size_t i, const char* name, napi_typedarray_type type, int32_t max, T** out, int64_t* lengths) {
    if (!ok_) return 0;
    uint32_t count = 0;
    if (napi_get_array_length(env_, info_[i], &count) != napi_ok || count > static_cast<uint32_t>(max)) {
      fail(std::string("argument '") + name + "' expected an array of at most " + std::to_string(max) + " arrays");
      return 0;
    }
    for (uint32_t j = 0; j < count && ok_; j++) {
      napi_value element;
      napi_get_element(env_, info_[i], j, &element);
      out[j] = typed<T>(element, name, type, false, &lengths[j]);
    }
    return static_cast<int32_t>(count);
  }

  // An enumeration's code, checked against its count (a bad code would fall through a switch).
  template <class E>
  E enumeration(double v, int32_t count, const char* name) {
    if (ok_ && !(v >= 0 && v < count && static_cast<int32_t>(v) == v)) fail(std::string("unknown ") + name + " code");
    return static_cast<E>(ok_ ? static_cast<int32_t>(v) : 0);
  }

  // A list parameter: its length at p[0], its values after.
  template <int N>
  void list(const double* p, int32_t max, const char* name, Ints<N>* out) {
    out->size = read_size(p[0], max, name);
    for (int32_t j = 0; j < out->size; j++) out->at[j] = static_cast<int64_t>(p[1 + j]);
  }
  template <int N>
  void list(const double* p, int32_t max, const char* name, Floats<N>* out) {
    out->size = read_size(p[0], max, name);
    for (int32_t j = 0; j < out->size; j++) out->at[j] = static_cast<float>(p[1 + j]);
  }

 private:
  template <class T>
  T* typed(napi_value value, const char* name, napi_typedarray_type type, bool optional, int64_t* length) {
    if (optional) {
      napi_valuetype kind;
      napi_typeof(env_, value, &kind);
      if (kind == napi_null || kind == napi_undefined) return nullptr;
    }
    napi_typedarray_type actual;
    size_t n = 0;
    void* data = nullptr;
    if (napi_get_typedarray_info(env_, value, &actual, &n, &data, nullptr, nullptr) != napi_ok || actual != type) {
      fail(std::string("argument '") + name + "' expected a " + type_name(type));
      return nullptr;
    }
    *length = static_cast<int64_t>(n);
    return static_cast<T*>(data);
  }

  int32_t read_size(double v, int32_t max, const char* name) {
    if (ok_ && !(v >= 0 && v <= max && static_cast<int32_t>(v) == v)) fail(std::string("parameter '") + name + "' holds too many values");
    return ok_ ? static_cast<int32_t>(v) : 0;
  }

  static const char* type_name(napi_typedarray_type type) {
    switch (type) {
      case napi_int32_array: return "Int32Array";
      case napi_uint8_array: return "Uint8Array";
      default: return "Float32Array";
    }
  }

  void fail(const std::string& message) {
    if (!ok_) return;
    ok_ = false;
    Napi::TypeError::New(env_, std::string("layerwise native backend: kernel ") + kernel_ + ": " + message).ThrowAsJavaScriptException();
  }

  const Napi::CallbackInfo& info_;
  Napi::Env env_;
  const char* kernel_;
  bool ok_ = true;
};

}  // namespace lw
