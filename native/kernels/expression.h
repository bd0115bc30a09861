// The fused elementwise expression (src/backend/expression.ts): a small register program run over blocks
// of elements. Each instruction is one vector loop over the block, so the program is decoded once per
// block and the operands are read and written once, while the registers stay in L1.
#pragma once
#include <cstring>

#include "binary.h"
#include "support.h"
#include "vecmath.h"

namespace lw {
namespace LW_ISA {

constexpr int64_t kExpressionBlock = 256;
// src/backend/expression.ts's EXPRESSION_REGISTERS (programs are validated against it there).
constexpr int kExpressionRegisters = 16;

template <class F>
LW_INLINE void block_unary(float* dst, const float* a, int64_t lanes, F f) {
  for (int64_t i = 0; i < lanes; i += W) store(dst + i, f(load(a + i)));
}

template <class Op>
LW_INLINE void block_binary(float* dst, const float* a, const float* b, int64_t lanes) {
  for (int64_t i = 0; i < lanes; i += W) store(dst + i, Op::vec(load(a + i), load(b + i)));
}

void expression(const ExpressionArgs& args) {
  const int64_t n = args.operands_count > 0 ? args.operands_length[0] : 0;
  const auto& code = args.program;
  const double cost = kElementCost * static_cast<double>(code.size / 4);
  parallel_ranges(n, cost, kExpressionBlock, [&](int64_t begin, int64_t end) {
    // Lanes past the end of the last block are computed on but never stored.
    alignas(64) float reg[kExpressionRegisters][kExpressionBlock];
    std::memset(reg, 0, sizeof(reg));
    for (int64_t start = begin; start < end; start += kExpressionBlock) {
      const int64_t m = imin(kExpressionBlock, end - start);
      const int64_t lanes = round_up(m, W);
      for (int32_t pc = 0; pc < code.size; pc += 4) {
        float* dst = reg[code[pc + 1]];
        const int64_t a = code[pc + 2], b = code[pc + 3];
        const float* ra = reg[a & (kExpressionRegisters - 1)];
        const float* rb = reg[b & (kExpressionRegisters - 1)];
        switch (static_cast<ExpressionOp>(code[pc])) {
          case ExpressionOp::kLoad: std::memcpy(dst, args.operands[a] + start, static_cast<size_t>(m) * sizeof(float)); break;
          case ExpressionOp::kConstant: {
            const Vec c = set1(args.constants[a]);
            for (int64_t i = 0; i < lanes; i += W) store(dst + i, c);
            break;
          }
          case ExpressionOp::kStore: std::memcpy(args.operands[a] + start, rb, static_cast<size_t>(m) * sizeof(float)); break;
          case ExpressionOp::kNeg: block_unary(dst, ra, lanes, [](Vec v) { return neg(v); }); break;
          case ExpressionOp::kAbs: block_unary(dst, ra, lanes, [](Vec v) { return abs(v); }); break;
          case ExpressionOp::kSqrt: block_unary(dst, ra, lanes, [](Vec v) { return sqrt(v); }); break;
          case ExpressionOp::kSquare: block_unary(dst, ra, lanes, [](Vec v) { return mul(v, v); }); break;
          case ExpressionOp::kExp: block_unary(dst, ra, lanes, [](Vec v) { return vexp(v); }); break;
          case ExpressionOp::kLog: block_unary(dst, ra, lanes, [](Vec v) { return vlog(v); }); break;
          case ExpressionOp::kReciprocal: block_unary(dst, ra, lanes, [](Vec v) { return div(set1(1.0f), v); }); break;
          case ExpressionOp::kRelu: block_unary(dst, ra, lanes, [](Vec v) { return select(gt(v, zero()), v, zero()); }); break;
          case ExpressionOp::kSigmoid: block_unary(dst, ra, lanes, [](Vec v) { return vsigmoid(v); }); break;
          case ExpressionOp::kTanh: block_unary(dst, ra, lanes, [](Vec v) { return vtanh(v); }); break;
          case ExpressionOp::kAdd: block_binary<AddOp>(dst, ra, rb, lanes); break;
          case ExpressionOp::kSub: block_binary<SubOp>(dst, ra, rb, lanes); break;
          case ExpressionOp::kMul: block_binary<MulOp>(dst, ra, rb, lanes); break;
          case ExpressionOp::kDiv: block_binary<DivOp>(dst, ra, rb, lanes); break;
          case ExpressionOp::kMaximum: block_binary<MaximumOp>(dst, ra, rb, lanes); break;
          case ExpressionOp::kMinimum: block_binary<MinimumOp>(dst, ra, rb, lanes); break;
        }
      }
    }
  });
}

}  // namespace LW_ISA
}  // namespace lw
