// Everything one instruction set compiles: include after its simd header (which defines LW_ISA's
// namespace). Defines lw::<isa>_kernels(), the table the addon dispatches to.
#pragma once
#include "binary.h"
#include "conv.h"
#include "gemm.h"
#include "nn.h"
#include "pool.h"
#include "reduce.h"
#include "unary.h"

#define LW_CONCAT_(a, b) a##b
#define LW_CONCAT(a, b) LW_CONCAT_(a, b)

namespace lw {

const KernelTable& LW_CONCAT(LW_ISA, _kernels)() {
  static constexpr KernelTable table = {
      LW_ISA::kIsaName,
      &LW_ISA::unary,
      &LW_ISA::unary_grad,
      &LW_ISA::binary,
      &LW_ISA::reduce,
      &LW_ISA::matmul,
      &LW_ISA::conv2d,
      &LW_ISA::conv2d_backprop_input,
      &LW_ISA::conv2d_backprop_filter,
      &LW_ISA::max_pool,
      &LW_ISA::max_pool_grad,
      &LW_ISA::avg_pool,
      &LW_ISA::avg_pool_grad,
      &LW_ISA::softmax,
      &LW_ISA::sgd,
      &LW_ISA::rmsprop,
      &LW_ISA::adam,
      &LW_ISA::adagrad,
      &LW_ISA::scale,
  };
  return table;
}

}  // namespace lw
