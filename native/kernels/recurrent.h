// The LSTM and GRU recurrences over a whole sequence (see src/backend/reference/recurrent.ts, their
// oracle). Rows of the batch are independent, so each thread runs every step for its own rows: no
// synchronisation between steps. Per step, the recurrent product h W_rec of the thread's rows is one
// small GEMM against the recurrent kernel packed once for the whole sequence; the gates follow in one
// vectorized pass. The input product (x W + b, every step at once) and the recurrent kernel's gradient
// are ordinary matrix products outside these kernels.
#pragma once
#include <cmath>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "support.h"
#include "vecmath.h"

namespace lw {
namespace LW_ISA {

// A B operand already packed for the whole depth: panel j (NR columns) holds k x NR values.
struct PackedPanels {
  const float* p;
  int64_t k;
  bool view(int64_t k0, int64_t n0, int64_t, Panels* out) const {
    *out = Panels{p + (n0 / NR) * k * NR + k0 * NR, k * NR, NR};
    return true;
  }
  void pack(float*, int64_t, int64_t, int64_t, int64_t) const {}
};

// Packs op(B) [k, n] (element (p, j) at b[p * rs + j * cs]) into ceil(n / NR) panels of k x NR, zero
// past column n.
inline void pack_panels(const float* b, int64_t rs, int64_t cs, int64_t k, int64_t n, float* dst) {
  MatrixB{{b, rs, cs}}.pack(dst, 0, k, 0, n);
}

LW_INLINE int64_t panel_floats(int64_t k, int64_t n) { return ceil_div(n, NR) * NR * k; }

// Threads split the rows in parts of whole GEMM tiles when there are enough of them.
template <class F>
void for_row_parts(int64_t batch, double work_per_row, F&& f) {
  const int64_t parts = imax(1, imin(parts_for(static_cast<double>(batch) * work_per_row, thread_count()), ceil_div(batch, 2)));
  auto task = [&](int64_t t) {
    const int64_t r0 = batch * t / parts, r1 = batch * (t + 1) / parts;
    if (r0 < r1) f(r0, r1);
  };
  run_tasks(parts, task);
}

// A gate's activation: sigmoid, or TensorFlow.js's hard sigmoid clip(0.2 z + 0.5, 0, 1).
LW_INLINE Vec gate(Vec z, bool hard) {
  return hard ? min(max(fmadd(z, set1(0.2f), set1(0.5f)), zero()), set1(1.0f)) : vsigmoid(z);
}
// Its derivative from its output y alone.
LW_INLINE Vec gate_slope(Vec y, bool hard) {
  if (!hard) return mul(y, sub(set1(1.0f), y));
  return select(gt(y, zero()), select(lt(y, set1(1.0f)), set1(0.2f), zero()), zero());
}

// Per step: z = h_prev W_rec for the part's rows (one GEMM), then the gates and states row by row.
void lstm_sequence(const LstmSequenceArgs& a) {
  const int64_t batch = a.sequence.batch, steps = a.sequence.steps, u = a.sequence.units, g4 = 4 * u;
  if (batch == 0 || steps == 0 || u == 0) return;
  const bool hard = a.recurrent_activation == GateActivation::kHardSigmoid;
  std::vector<float> panels(static_cast<size_t>(panel_floats(u, g4)));
  pack_panels(a.recurrent_kernel, g4, 1, u, g4, panels.data());
  const PackedPanels kernel{panels.data(), u};
  for_row_parts(batch, 2.0 * static_cast<double>(steps * u * g4), [&](int64_t r0, int64_t r1) {
    const int64_t rows = r1 - r0;
    float* z = scratch(2, static_cast<size_t>(rows * g4));
    for (int64_t i = 0; i < steps; i++) {
      // The states before this step: h0 and c0 (rows u apart), or the previous step's (steps * u apart).
      const int64_t stride = i == 0 ? u : steps * u;
      const float* hp = i == 0 ? a.h0 + r0 * u : a.h + (r0 * steps + i - 1) * u;
      const float* cp = i == 0 ? a.c0 + r0 * u : a.c + (r0 * steps + i - 1) * u;
      gemm_tile(MatrixA{{hp, stride, 1}}, kernel, 0, rows, 0, g4, u, z, g4, nullptr);
      for (int64_t r = 0; r < rows; r++) {
        const int64_t at = (r0 + r) * steps + i;
        const float *xp = a.xp + at * g4, *zr = z + r * g4, *h_prev = hp + r * stride, *c_prev = cp + r * stride;
        float *gates = a.gates + at * g4, *h = a.h + at * u, *c = a.c + at * u;
        const bool keep = a.mask == nullptr || a.mask[at] != 0;
        for (int64_t j = 0; j < u; j += W) {
          const int64_t n = imin(W, u - j);
          auto pre = [&](int64_t block) { return add(load_partial(zr + block * u + j, n), load_partial(xp + block * u + j, n)); };
          const Vec ig = gate(pre(0), hard), fg = gate(pre(1), hard), cand = vtanh(pre(2)), og = gate(pre(3), hard);
          store_partial(gates + j, ig, n);
          store_partial(gates + u + j, fg, n);
          store_partial(gates + 2 * u + j, cand, n);
          store_partial(gates + 3 * u + j, og, n);
          const Vec cv = load_partial(c_prev + j, n);
          const Vec cn = fmadd(fg, cv, mul(ig, cand));
          store_partial(h + j, keep ? mul(og, vtanh(cn)) : load_partial(h_prev + j, n), n);
          store_partial(c + j, keep ? cn : cv, n);
        }
      }
    }
  });
}

// Backwards through the steps: each step's pre-activation gradients from its gates and states, then the
// state gradient of the step before as one GEMM with the transposed recurrent kernel. A masked step
// copied its states, so their gradients pass through it unchanged.
void lstm_sequence_grad(const LstmSequenceGradArgs& a) {
  const int64_t batch = a.sequence.batch, steps = a.sequence.steps, u = a.sequence.units, g4 = 4 * u;
  if (steps == 0) {
    std::memset(a.dh0, 0, static_cast<size_t>(batch * u) * sizeof(float));
    std::memset(a.dc0, 0, static_cast<size_t>(batch * u) * sizeof(float));
  }
  if (batch == 0 || steps == 0 || u == 0) return;
  const bool hard = a.recurrent_activation == GateActivation::kHardSigmoid;
  std::vector<float> panels(static_cast<size_t>(panel_floats(g4, u)));
  pack_panels(a.recurrent_kernel, 1, g4, g4, u, panels.data());  // W_rec transposed: [4u, u]
  const PackedPanels transposed{panels.data(), g4};
  for_row_parts(batch, 2.0 * static_cast<double>(steps * u * g4), [&](int64_t r0, int64_t r1) {
    const int64_t rows = r1 - r0;
    float* dz = scratch(2, static_cast<size_t>(rows * g4));
    float* state = scratch(3, static_cast<size_t>(rows * 3 * u));  // per row: dh, dc, and the GEMM's new dh
    std::memset(state, 0, static_cast<size_t>(rows * 3 * u) * sizeof(float));
    for (int64_t i = steps - 1; i >= 0; i--) {
      for (int64_t r = 0; r < rows; r++) {
        const int64_t b = r0 + r, at = b * steps + i;
        float *dh = state + r * 3 * u, *dc = dh + u, *dzr = dz + r * g4, *dxp = a.d_xp + at * g4;
        const float *dh_in = a.dh + at * u, *dc_in = a.dc + at * u;
        if (a.mask != nullptr && a.mask[at] == 0) {
          for (int64_t j = 0; j < u; j++) {
            dh[j] += dh_in[j];
            dc[j] += dc_in[j];
          }
          std::memset(dzr, 0, static_cast<size_t>(g4) * sizeof(float));
          std::memset(dxp, 0, static_cast<size_t>(g4) * sizeof(float));
          continue;
        }
        const float* gates = a.gates + at * g4;
        const float* c_prev = i == 0 ? a.c0 + b * u : a.c + (at - 1) * u;
        const Vec one = set1(1.0f);
        for (int64_t j = 0; j < u; j += W) {
          const int64_t n = imin(W, u - j);
          const Vec vdh = add(load_partial(dh + j, n), load_partial(dh_in + j, n));
          const Vec ig = load_partial(gates + j, n), fg = load_partial(gates + u + j, n);
          const Vec cand = load_partial(gates + 2 * u + j, n), og = load_partial(gates + 3 * u + j, n);
          const Vec tc = vtanh(load_partial(a.c + at * u + j, n));
          const Vec dcj = fmadd(mul(vdh, og), fnmadd(tc, tc, one), add(load_partial(dc + j, n), load_partial(dc_in + j, n)));
          store_partial(dzr + j, mul(mul(dcj, cand), gate_slope(ig, hard)), n);
          store_partial(dzr + u + j, mul(mul(dcj, load_partial(c_prev + j, n)), gate_slope(fg, hard)), n);
          store_partial(dzr + 2 * u + j, mul(mul(dcj, ig), fnmadd(cand, cand, one)), n);
          store_partial(dzr + 3 * u + j, mul(mul(vdh, tc), gate_slope(og, hard)), n);
          store_partial(dc + j, mul(dcj, fg), n);
        }
        std::memcpy(dxp, dzr, static_cast<size_t>(g4) * sizeof(float));
      }
      // Each row's new dh lands in its third block; rows of masked steps keep their carried dh.
      gemm_tile(MatrixA{{dz, g4, 1}}, transposed, 0, rows, 0, u, g4, state + 2 * u, 3 * u, nullptr);
      for (int64_t r = 0; r < rows; r++) {
        const int64_t at = (r0 + r) * steps + i;
        if (a.mask == nullptr || a.mask[at] != 0) std::memcpy(state + r * 3 * u, state + r * 3 * u + 2 * u, static_cast<size_t>(u) * sizeof(float));
      }
    }
    for (int64_t r = 0; r < rows; r++) {
      std::memcpy(a.dh0 + (r0 + r) * u, state + r * 3 * u, static_cast<size_t>(u) * sizeof(float));
      std::memcpy(a.dc0 + (r0 + r) * u, state + r * 3 * u + u, static_cast<size_t>(u) * sizeof(float));
    }
  });
}

// GRU per step: with resetAfter one GEMM gives h_prev W_rec for all three blocks; without it, z and r
// come from h_prev W_zr and the candidate from (r * h_prev) W_h, a second GEMM.
void gru_sequence(const GruSequenceArgs& a) {
  const int64_t batch = a.sequence.batch, steps = a.sequence.steps, u = a.sequence.units, g3 = 3 * u;
  if (batch == 0 || steps == 0 || u == 0) return;
  const bool hard = a.recurrent_activation == GateActivation::kHardSigmoid, after = a.reset_after;
  const int64_t first_columns = after ? g3 : 2 * u;
  std::vector<float> panels(static_cast<size_t>(panel_floats(u, first_columns) + (after ? 0 : panel_floats(u, u))));
  pack_panels(a.recurrent_kernel, g3, 1, u, first_columns, panels.data());
  if (!after) pack_panels(a.recurrent_kernel + 2 * u, g3, 1, u, u, panels.data() + panel_floats(u, first_columns));
  const PackedPanels first{panels.data(), u}, candidate{panels.data() + panel_floats(u, first_columns), u};
  for_row_parts(batch, 2.0 * static_cast<double>(steps * u * g3), [&](int64_t r0, int64_t r1) {
    const int64_t rows = r1 - r0;
    float* inner = scratch(2, static_cast<size_t>(rows * g3));
    float* reset_h = scratch(3, static_cast<size_t>(rows * u));
    for (int64_t i = 0; i < steps; i++) {
      const float* hp = i == 0 ? a.h0 + r0 * u : a.out + (r0 * steps + i - 1) * u;
      const int64_t hs = i == 0 ? u : steps * u;
      gemm_tile(MatrixA{{hp, hs, 1}}, first, 0, rows, 0, first_columns, u, inner, g3, nullptr);
      for (int64_t r = 0; r < rows; r++) {
        const int64_t b = r0 + r, at = b * steps + i;
        const float *xp = a.xp + at * g3, *in = inner + r * g3, *h_prev = hp + r * hs;
        float* saved = a.saved + at * 4 * u;
        for (int64_t j = 0; j < u; j += W) {
          const int64_t n = imin(W, u - j);
          auto bias = [&](int64_t block) { return a.recurrent_bias ? load_partial(a.recurrent_bias + block * u + j, n) : zero(); };
          auto pre = [&](int64_t block) { return add(add(load_partial(xp + block * u + j, n), load_partial(in + block * u + j, n)), bias(block)); };
          const Vec zg = gate(pre(0), hard), rg = gate(pre(1), hard);
          store_partial(saved + j, zg, n);
          store_partial(saved + u + j, rg, n);
          if (after) {
            const Vec ih = add(load_partial(in + 2 * u + j, n), bias(2));
            store_partial(saved + 3 * u + j, ih, n);
            store_partial(saved + 2 * u + j, vtanh(fmadd(rg, ih, load_partial(xp + 2 * u + j, n))), n);
          } else {
            const Vec rh = mul(rg, load_partial(h_prev + j, n));
            store_partial(saved + 3 * u + j, rh, n);
            store_partial(reset_h + r * u + j, rh, n);
          }
        }
      }
      if (!after) {
        // The candidate's product reads r * h_prev; its result goes where the third block would be.
        gemm_tile(MatrixA{{reset_h, u, 1}}, candidate, 0, rows, 0, u, u, inner + 2 * u, g3, nullptr);
      }
      for (int64_t r = 0; r < rows; r++) {
        const int64_t b = r0 + r, at = b * steps + i;
        const float *xp = a.xp + at * g3, *h_prev = hp + r * hs;
        float *saved = a.saved + at * 4 * u, *o = a.out + at * u;
        const bool keep = a.mask == nullptr || a.mask[at] != 0;
        for (int64_t j = 0; j < u; j += W) {
          const int64_t n = imin(W, u - j);
          if (!after) store_partial(saved + 2 * u + j, vtanh(add(load_partial(xp + 2 * u + j, n), load_partial(inner + r * g3 + 2 * u + j, n))), n);
          const Vec zg = load_partial(saved + j, n), hh = load_partial(saved + 2 * u + j, n), h = load_partial(h_prev + j, n);
          store_partial(o + j, keep ? fmadd(zg, sub(h, hh), hh) : h, n);
        }
      }
    }
  });
}

void gru_sequence_grad(const GruSequenceGradArgs& a) {
  const int64_t batch = a.sequence.batch, steps = a.sequence.steps, u = a.sequence.units, g3 = 3 * u;
  if (steps == 0) std::memset(a.dh0, 0, static_cast<size_t>(batch * u) * sizeof(float));
  if (batch == 0 || steps == 0 || u == 0) return;
  const bool hard = a.recurrent_activation == GateActivation::kHardSigmoid, after = a.reset_after;
  const int64_t first_columns = after ? g3 : 2 * u;
  // Transposed: [first_columns, u] for the gates' product, [u, u] for the candidate's.
  std::vector<float> panels(static_cast<size_t>(panel_floats(first_columns, u) + (after ? 0 : panel_floats(u, u))));
  pack_panels(a.recurrent_kernel, 1, g3, first_columns, u, panels.data());
  if (!after) pack_panels(a.recurrent_kernel + 2 * u, 1, g3, u, u, panels.data() + panel_floats(first_columns, u));
  const PackedPanels first{panels.data(), first_columns}, candidate{panels.data() + panel_floats(first_columns, u), u};
  for_row_parts(batch, 2.0 * static_cast<double>(steps * u * g3), [&](int64_t r0, int64_t r1) {
    const int64_t rows = r1 - r0;
    float* d_rec = scratch(2, static_cast<size_t>(rows * g3));
    float* state = scratch(3, static_cast<size_t>(rows * 3 * u));  // per row: dh, the next dh, d(r * h)
    std::memset(state, 0, static_cast<size_t>(rows * 3 * u) * sizeof(float));
    for (int64_t i = steps - 1; i >= 0; i--) {
      for (int64_t r = 0; r < rows; r++) {
        const int64_t b = r0 + r, at = b * steps + i;
        float *dh = state + r * 3 * u, *next = dh + u, *dr = d_rec + r * g3;
        const float* d_out = a.d_out + at * u;
        for (int64_t j = 0; j < u; j++) dh[j] += d_out[j];
        if (a.mask != nullptr && a.mask[at] == 0) {
          std::memset(dr, 0, static_cast<size_t>(g3) * sizeof(float));
          continue;
        }
        const float* saved = a.saved + at * 4 * u;
        const float* h_prev = i == 0 ? a.h0 + b * u : a.out + (at - 1) * u;
        for (int64_t j = 0; j < u; j += W) {
          const int64_t n = imin(W, u - j);
          const Vec vdh = load_partial(dh + j, n), zg = load_partial(saved + j, n), hh = load_partial(saved + 2 * u + j, n);
          const Vec dz = mul(mul(vdh, sub(load_partial(h_prev + j, n), hh)), gate_slope(zg, hard));
          const Vec dcand = mul(mul(vdh, sub(set1(1.0f), zg)), fnmadd(hh, hh, set1(1.0f)));
          store_partial(dr + j, dz, n);
          store_partial(next + j, mul(vdh, zg), n);
          if (after) {
            const Vec rg = load_partial(saved + u + j, n);
            store_partial(dr + u + j, mul(mul(dcand, load_partial(saved + 3 * u + j, n)), gate_slope(rg, hard)), n);
            store_partial(dr + 2 * u + j, mul(dcand, rg), n);
          } else {
            store_partial(dr + 2 * u + j, dcand, n);
          }
          store_partial(a.d_xp + at * g3 + 2 * u + j, dcand, n);
        }
      }
      if (!after) {
        // d(r * h_prev) = dcand W_h^T, then r's gradient and h_prev's share through the reset.
        gemm_tile(MatrixA{{d_rec + 2 * u, g3, 1}}, candidate, 0, rows, 0, u, u, state + 2 * u, 3 * u, nullptr);
        for (int64_t r = 0; r < rows; r++) {
          const int64_t b = r0 + r, at = b * steps + i;
          if (a.mask != nullptr && a.mask[at] == 0) continue;
          const float* saved = a.saved + at * 4 * u;
          const float* h_prev = i == 0 ? a.h0 + b * u : a.out + (at - 1) * u;
          float *next = state + r * 3 * u + u, *drh = next + u, *dr = d_rec + r * g3;
          for (int64_t j = 0; j < u; j += W) {
            const int64_t n = imin(W, u - j);
            const Vec rg = load_partial(saved + u + j, n), g = load_partial(drh + j, n);
            store_partial(dr + u + j, mul(mul(g, load_partial(h_prev + j, n)), gate_slope(rg, hard)), n);
            store_partial(next + j, fmadd(g, rg, load_partial(next + j, n)), n);
          }
        }
      }
      for (int64_t r = 0; r < rows; r++) {
        const int64_t at = (r0 + r) * steps + i;
        float* dxp = a.d_xp + at * g3;
        const float* dr = d_rec + r * g3;
        std::memcpy(a.d_rec + at * g3, dr, static_cast<size_t>(g3) * sizeof(float));
        std::memcpy(dxp, dr, static_cast<size_t>(2 * u) * sizeof(float));
        if (a.mask != nullptr && a.mask[at] == 0) std::memset(dxp + 2 * u, 0, static_cast<size_t>(u) * sizeof(float));
      }
      // dh_prev = the direct part + the gates' (and with resetAfter the candidate's) products, W_rec^T.
      gemm_tile(MatrixA{{d_rec, g3, 1}}, first, 0, rows, 0, u, first_columns, state + 2 * u, 3 * u, nullptr);
      for (int64_t r = 0; r < rows; r++) {
        const int64_t at = (r0 + r) * steps + i;
        if (a.mask != nullptr && a.mask[at] == 0) continue;
        float* row = state + r * 3 * u;
        for (int64_t j = 0; j < u; j++) row[j] = row[u + j] + row[2 * u + j];
      }
    }
    for (int64_t r = 0; r < rows; r++) std::memcpy(a.dh0 + (r0 + r) * u, state + r * 3 * u, static_cast<size_t>(u) * sizeof(float));
  });
}

}  // namespace LW_ISA
}  // namespace lw
