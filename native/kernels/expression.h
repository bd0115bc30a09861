// The fused elementwise expression (src/backend/expression.ts): a small register program run over blocks
// of elements. Each instruction is one vector loop over the block, reading operands and numbers where
// they are, so the program is decoded once per block, operands are read once and written once, and the
// registers stay in L1.
#pragma once
#include "binary.h"
#include "support.h"
#include "vecmath.h"

namespace lw {
namespace LW_ISA {

constexpr int64_t kExpressionBlock = 1024;

// Where an instruction's source is for this block: a register (whole vectors), an operand (whose last
// vector may be partial) or a number.
struct Source {
  const float* p;
  Vec c;
  bool number;
  bool partial;
};

LW_INLINE Vec read(const Source& s, int64_t i, int64_t n) {
  if (s.number) return s.c;
  return s.partial && n < W ? load_partial(s.p + i, n) : load(s.p + i);
}

template <class F>
LW_INLINE void block_unary(float* dst, const Source& a, int64_t m, F f) {
  for (int64_t i = 0; i < m; i += W) store(dst + i, f(read(a, i, m - i)));
}

template <class Op>
LW_INLINE void block_binary(float* dst, const Source& a, const Source& b, int64_t m) {
  for (int64_t i = 0; i < m; i += W) store(dst + i, Op::vec(read(a, i, m - i), read(b, i, m - i)));
}

void expression(const ExpressionArgs& args) {
  const int64_t n = args.operands_count > 0 ? args.operands_length[0] : 0;
  const auto& code = args.program;
  const double cost = kElementCost * static_cast<double>(code.size / 4) / 4;
  parallel_ranges(n, cost, kExpressionBlock, [&](int64_t begin, int64_t end) {
    // Registers are whole vectors; lanes past the end of the last block are computed on, never stored.
    alignas(64) float reg[kExpressionRegisters][kExpressionBlock];
    for (int64_t start = begin; start < end; start += kExpressionBlock) {
      const int64_t m = imin(kExpressionBlock, end - start);
      auto source = [&](int64_t s) -> Source {
        if (s < kConstantSource) return {reg[s], zero(), false, false};
        if (s < kOperandSource) return {nullptr, set1(args.constants[s - kConstantSource]), true, false};
        return {args.operands[s - kOperandSource] + start, zero(), false, true};
      };
      for (int32_t pc = 0; pc < code.size; pc += 4) {
        const auto op = static_cast<ExpressionOp>(code[pc]);
        if (op == ExpressionOp::kStore) {
          std::memcpy(args.operands[code[pc + 2]] + start, reg[code[pc + 3]], static_cast<size_t>(m) * sizeof(float));
          continue;
        }
        float* dst = reg[code[pc + 1]];
        const Source a = source(code[pc + 2]);
        const Source b = op >= ExpressionOp::kAdd ? source(code[pc + 3]) : a;
        switch (op) {
          case ExpressionOp::kCopy: block_unary(dst, a, m, [](Vec v) { return v; }); break;
          case ExpressionOp::kNeg: block_unary(dst, a, m, [](Vec v) { return neg(v); }); break;
          case ExpressionOp::kAbs: block_unary(dst, a, m, [](Vec v) { return abs(v); }); break;
          case ExpressionOp::kSqrt: block_unary(dst, a, m, [](Vec v) { return sqrt(v); }); break;
          case ExpressionOp::kSquare: block_unary(dst, a, m, [](Vec v) { return mul(v, v); }); break;
          case ExpressionOp::kExp: block_unary(dst, a, m, [](Vec v) { return vexp(v); }); break;
          case ExpressionOp::kLog: block_unary(dst, a, m, [](Vec v) { return vlog(v); }); break;
          case ExpressionOp::kReciprocal: block_unary(dst, a, m, [](Vec v) { return div(set1(1.0f), v); }); break;
          case ExpressionOp::kRelu: block_unary(dst, a, m, [](Vec v) { return vrelu(v); }); break;
          case ExpressionOp::kSigmoid: block_unary(dst, a, m, [](Vec v) { return vsigmoid(v); }); break;
          case ExpressionOp::kTanh: block_unary(dst, a, m, [](Vec v) { return vtanh(v); }); break;
          // Zero and NaN compare false both ways, so they pass through as they are.
          case ExpressionOp::kSign:
            block_unary(dst, a, m, [](Vec v) { return select(gt(v, zero()), set1(1.0f), select(lt(v, zero()), set1(-1.0f), v)); });
            break;
          case ExpressionOp::kAdd: block_binary<AddOp>(dst, a, b, m); break;
          case ExpressionOp::kSub: block_binary<SubOp>(dst, a, b, m); break;
          case ExpressionOp::kMul: block_binary<MulOp>(dst, a, b, m); break;
          case ExpressionOp::kDiv: block_binary<DivOp>(dst, a, b, m); break;
          case ExpressionOp::kMaximum: block_binary<MaximumOp>(dst, a, b, m); break;
          case ExpressionOp::kMinimum: block_binary<MinimumOp>(dst, a, b, m); break;
          case ExpressionOp::kStore: break;
        }
      }
    }
  });
}

}  // namespace LW_ISA
}  // namespace lw
