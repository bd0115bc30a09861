// The float32 kernels every instruction set provides, as a table of plain function pointers. The addon
// picks one table at load time; the TypeScript side sees only the op names listed here, in this order.
#pragma once
#include <cstdint>

namespace lw {

// Order matches kUnaryOpNames: the TypeScript wrapper maps names to these codes.
enum UnaryOp : int32_t {
  kNeg, kAbs, kSign, kSqrt, kRsqrt, kSquare, kExp, kLog, kLog1p, kReciprocal,
  kRelu, kLeakyRelu, kElu, kSelu, kGelu, kSigmoid, kTanh, kSoftplus,
  kFloor, kCeil, kRound,
  kUnaryOpCount
};
enum BinaryOp : int32_t { kAdd, kSub, kMul, kDiv, kPow, kMaximum, kMinimum, kBinaryOpCount };
enum ReduceOp : int32_t { kSum, kMax, kMin, kProd, kReduceOpCount };
// The activations that matmul and conv2d can apply to their output while it is still in cache.
enum Activation : int32_t { kLinear, kActRelu, kActLeakyRelu, kActElu, kActSelu, kActSigmoid, kActTanh, kActSoftplus, kActivationCount };

extern const char* const kUnaryOpNames[kUnaryOpCount];
extern const char* const kBinaryOpNames[kBinaryOpCount];
extern const char* const kReduceOpNames[kReduceOpCount];
extern const char* const kActivationNames[kActivationCount];

struct Epilogue {
  const float* bias;  // length n (the output's last axis), or null
  Activation activation;
  float alpha;
};

struct MatmulArgs {
  int64_t batch, m, n, k;
  bool trans_a, trans_b;
  int64_t a_batch_stride, b_batch_stride;
};

struct ConvArgs {
  int64_t batch, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w;
  int64_t stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left;
};

struct PoolArgs {
  int64_t batch, in_h, in_w, channels, out_h, out_w, k_h, k_w, stride_h, stride_w, pad_top, pad_left;
};

constexpr int kMaxRank = 8;
// Two operands broadcast to `shape`; a stride of 0 repeats an operand along that dimension.
struct BroadcastArgs {
  int rank;
  int64_t shape[kMaxRank];
  int64_t a_strides[kMaxRank];
  int64_t b_strides[kMaxRank];
};

struct KernelTable {
  const char* isa;
  void (*unary)(UnaryOp op, const float* x, float* out, int64_t n, float alpha);
  void (*unary_grad)(UnaryOp op, const float* x, const float* y, const float* dy, float* out, int64_t n, float alpha);
  void (*binary)(BinaryOp op, const float* a, const float* b, float* out, const BroadcastArgs& bc);
  void (*reduce)(ReduceOp op, const float* x, float* out, int64_t outer, int64_t size, int64_t inner);
  void (*matmul)(const float* a, const float* b, float* out, const MatmulArgs& m, const Epilogue* epilogue);
  void (*conv2d)(const float* x, const float* filter, float* out, const ConvArgs& c, const Epilogue* epilogue);
  void (*conv2d_backprop_input)(const float* dy, const float* filter, float* dx, const ConvArgs& c);
  void (*conv2d_backprop_filter)(const float* x, const float* dy, float* dfilter, const ConvArgs& c);
  void (*max_pool)(const float* x, float* out, const PoolArgs& p);
  void (*max_pool_grad)(const float* x, const float* dy, float* dx, const PoolArgs& p);
  void (*avg_pool)(const float* x, float* out, const PoolArgs& p);
  void (*avg_pool_grad)(const float* dy, float* dx, const PoolArgs& p);
  void (*softmax)(const float* x, float* out, int64_t rows, int64_t cols, bool log);
  void (*sgd)(float* param, const float* grad, float* velocity, int64_t n, float lr, float momentum, bool nesterov);
  void (*rmsprop)(float* param, const float* grad, float* ms, float* mom, float* mg, int64_t n, float lr, float rho,
                  float momentum, float epsilon);
  void (*adam)(float* param, const float* grad, float* m, float* v, float* v_max, int64_t n, float step_size,
               float beta1, float beta2, float epsilon);
  void (*adagrad)(float* param, const float* grad, float* acc, int64_t n, float lr, float epsilon);
  void (*scale)(float* param, int64_t n, float factor);
};

const KernelTable& portable_kernels();
#if defined(__x86_64__) || defined(_M_X64)
const KernelTable& avx2_kernels();
const KernelTable& avx512_kernels();
#endif

}  // namespace lw
