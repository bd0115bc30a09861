// The matrix-multiply engine behind matmul and the convolutions: C[M x N] = A[M x K] * B[K x N], with
// operands packed into cache-sized blocks (Goto/BLIS style) and an MR x NR register-blocked micro-kernel
// that broadcasts MR values of A against NR-wide rows of B. Operands are "sources" that pack themselves,
// so a convolution packs image patches straight from the NHWC tensor without materialising im2col.
//
// A source:  Block pack(float* dst, int64_t m0, int64_t mc, int64_t k0, int64_t kc) const
//            provides rows m0..m0+mc, columns k0..k0+kc of A in tiles of MR rows and says where they
//            are: packed into dst (row-major, or column-major when that copies longer runs), or in
//            place when the matrix is column-major already.
// B source:  void pack(float* dst, int64_t k0, int64_t kc, int64_t n0, int64_t nc) const
//            writes ceil(nc / NR) panels, each kc x NR row-major, zero past column nc;
//            bool view(int64_t k0, int64_t n0, int64_t nc, Panels* out) const
//            may instead point at panels already in memory (skipping the copy).
#pragma once
#include <utility>

#include "support.h"
#include "unary.h"

namespace lw {
namespace LW_ISA {

constexpr int MR = kGemmMR;
constexpr int NV = kGemmNV;
constexpr int NR = NV * W;

// What the micro-kernel adds to its tile before storing it, on the last K block: a bias row and relu,
// the epilogues common enough to apply while the tile is still in registers.
struct TileEpilogue {
  const float* bias;  // NR values, or null
  bool relu;
};

// c[ROWS x NR] = a[ROWS x kc] * b[kc x NR] (row stride ldb), added to c when kAccumulate. Element (i, k)
// of a is a[i * lda + k] (row-major) or a[i + k * lda] (column-major).
template <int ROWS, bool kAccumulate, bool kColumnMajorA>
__attribute__((noinline)) void micro_kernel(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb,
                                            float* c, int64_t ldc, TileEpilogue epilogue) {
  Vec acc[ROWS][NV];
#pragma GCC unroll 16
  for (int i = 0; i < ROWS; i++) {
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) acc[i][j] = zero();
  }
  for (int64_t k = 0; k < kc; k++) {
    Vec bv[NV];
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) bv[j] = load(b + k * ldb + j * W);
#pragma GCC unroll 16
    for (int i = 0; i < ROWS; i++) {
      const Vec av = set1(kColumnMajorA ? a[i + k * lda] : a[i * lda + k]);
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) acc[i][j] = fmadd(av, bv[j], acc[i][j]);
    }
  }
  Vec bias[NV];
#pragma GCC unroll 4
  for (int j = 0; j < NV; j++) bias[j] = epilogue.bias ? load(epilogue.bias + j * W) : zero();
#pragma GCC unroll 16
  for (int i = 0; i < ROWS; i++) {
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) {
      float* p = c + i * ldc + j * W;
      Vec v = kAccumulate ? add(load(p), acc[i][j]) : acc[i][j];
      if (epilogue.bias) v = add(v, bias[j]);
      if (epilogue.relu) v = vrelu(v);
      store(p, v);
    }
  }
}

using MicroKernel = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t, TileEpilogue);

template <int ROWS>
MicroKernel micro_kernel_for(bool accumulate, bool column_major) {
  if (accumulate) return column_major ? &micro_kernel<ROWS, true, true> : &micro_kernel<ROWS, true, false>;
  return column_major ? &micro_kernel<ROWS, false, true> : &micro_kernel<ROWS, false, false>;
}

// The micro-kernel for an even number of rows up to MR: a short last tile costs its own rows, not MR's.
template <std::size_t... I>
MicroKernel pick_micro_kernel(int64_t rows, bool accumulate, bool column_major, std::index_sequence<I...>) {
  MicroKernel kernel = nullptr;
  ((rows == 2 * static_cast<int64_t>(I + 1) ? (kernel = micro_kernel_for<2 * (I + 1)>(accumulate, column_major)) : nullptr), ...);
  return kernel;
}
LW_INLINE MicroKernel pick_micro_kernel(int64_t rows, bool accumulate, bool column_major) {
  static_assert(MR % 2 == 0, "tiles are picked in steps of two rows");
  return pick_micro_kernel(rows, accumulate, column_major, std::make_index_sequence<MR / 2>{});
}

// Where an A block is: tile t (rows t*MR..t*MR+MR) starts at p + t * tile_step, and element (i, k) of
// a tile is at [i * rs + k * cs] (rs == 1: column-major, cs == 1: row-major). `padded` says the rows
// past the block's end read as zeros; blocks used in place are not, and their last partial tile is
// copied out first.
struct Block {
  const float* p;
  int64_t rs, cs, tile_step;
  bool padded;
};

// Block for mc rows packed row-major at dst (row stride kc), zeroing the rows up to the next tile.
LW_INLINE Block row_major_block(float* dst, int64_t mc, int64_t kc) {
  std::memset(dst + mc * kc, 0, static_cast<size_t>((round_up(mc, MR) - mc) * kc) * sizeof(float));
  return Block{dst, kc, 1, MR * kc, true};
}

// Where the NR-wide panels of a B block are: panel j starts at p + j * step, rows ldb apart.
struct Panels {
  const float* p;
  int64_t step, ldb;
};

// One A block times one B block into C (mc x nc at c). `first` overwrites C instead of accumulating;
// `epilogue` (given on the last K block only) is applied to each tile while it is hot: in registers
// for bias and relu, in a second pass over the tile otherwise. Tiles that do not fit C exactly (the
// last columns, an odd number of last rows) are computed into a local tile and copied. `tail`
// (MR x kc floats) holds a copy of an unpadded block's last partial tile.
void macro_kernel(Block a, Panels pb, int64_t mc, int64_t nc, int64_t kc, float* c, int64_t ldc, bool first,
                  const Epilogue* epilogue, const float* bias, float* tail) {
  const int64_t full = mc - mc % MR;
  if (!a.padded && full < mc) {
    const float* last = a.p + (full / MR) * a.tile_step;
    for (int64_t i = 0; i < MR; i++) {
      for (int64_t k = 0; k < kc; k++) tail[i * kc + k] = full + i < mc ? last[i * a.rs + k * a.cs] : 0.0f;
    }
  }
  const bool in_registers = epilogue && (epilogue->activation == Activation::kLinear || epilogue->activation == Activation::kRelu);
  alignas(64) float tile[MR * NR];
  for (int64_t jr = 0; jr < nc; jr += NR) {
    const int64_t nr = imin(NR, nc - jr);
    const float* bp = pb.p + (jr / NR) * pb.step;
    const float* tile_bias = bias ? bias + jr : nullptr;
    for (int64_t ir = 0; ir < mc; ir += MR) {
      const int64_t mr = imin(MR, mc - ir), rows = round_up(mr, 2);
      const Block ap = mr < MR && !a.padded ? Block{tail, kc, 1, 0, true} : Block{a.p + (ir / MR) * a.tile_step, a.rs, a.cs, 0, true};
      const int64_t lda = ap.cs == 1 ? ap.rs : ap.cs;
      float* cp = c + ir * ldc + jr;
      if (rows == mr && nr == NR) {
        const TileEpilogue fused =
            in_registers ? TileEpilogue{tile_bias, epilogue->activation == Activation::kRelu} : TileEpilogue{nullptr, false};
        pick_micro_kernel(rows, !first, ap.cs != 1)(kc, ap.p, lda, bp, pb.ldb, cp, ldc, fused);
        if (epilogue && !in_registers) apply_epilogue(cp, ldc, mr, nr, tile_bias, epilogue->activation, epilogue->alpha);
      } else {
        pick_micro_kernel(rows, false, ap.cs != 1)(kc, ap.p, lda, bp, pb.ldb, tile, NR, TileEpilogue{nullptr, false});
        for (int64_t i = 0; i < mr; i++) {
          for (int64_t j = 0; j < nr; j++) cp[i * ldc + j] = first ? tile[i * NR + j] : cp[i * ldc + j] + tile[i * NR + j];
        }
        if (epilogue) apply_epilogue(cp, ldc, mr, nr, tile_bias, epilogue->activation, epilogue->alpha);
      }
    }
  }
}

// Splits [0, total) into equal blocks of at most `limit`, each a multiple of `unit` where possible.
LW_INLINE int64_t block_size(int64_t total, int64_t limit, int64_t unit) {
  const int64_t blocks = ceil_div(total, limit);
  return imin(limit, round_up(ceil_div(total, blocks), unit));
}

// C[m0..m1, n0..n1] for the whole K, on the calling thread.
template <class A, class B>
void gemm_tile(const A& a, const B& b, int64_t m0, int64_t m1, int64_t n0, int64_t n1, int64_t k, float* c,
               int64_t ldc, const Epilogue* epilogue) {
  const int64_t kc_max = block_size(k, kGemmKC, 8);
  const int64_t mc_max = block_size(m1 - m0, kGemmMC, MR);
  const int64_t nc_max = block_size(n1 - n0, kGemmNC, NR);
  float* pa = scratch(0, static_cast<size_t>(round_up(mc_max, MR) * kc_max));
  float* pb = scratch(1, static_cast<size_t>(round_up(nc_max, NR) * kc_max));
  for (int64_t jc = n0; jc < n1; jc += nc_max) {
    const int64_t nc = imin(nc_max, n1 - jc);
    for (int64_t pc = 0; pc < k; pc += kc_max) {
      const int64_t kc = imin(kc_max, k - pc);
      const bool last = pc + kc == k;
      Panels panels{pb, kc * NR, NR};
      if (!b.view(pc, jc, nc, &panels)) b.pack(pb, pc, kc, jc, nc);
      for (int64_t ic = m0; ic < m1; ic += mc_max) {
        const int64_t mc = imin(mc_max, m1 - ic);
        macro_kernel(a.pack(pa, ic, mc, pc, kc), panels, mc, nc, kc, c + ic * ldc + jc, ldc, pc == 0, last ? epilogue : nullptr,
                     epilogue && epilogue->bias ? epilogue->bias + jc : nullptr, pa);
      }
    }
  }
}

// C = epilogue(0) when K is empty.
void fill_empty_product(float* c, int64_t ldc, int64_t m, int64_t n, const Epilogue* epilogue) {
  for (int64_t i = 0; i < m; i++) std::memset(c + i * ldc, 0, static_cast<size_t>(n) * sizeof(float));
  if (epilogue) apply_epilogue(c, ldc, m, n, epilogue->bias, epilogue->activation, epilogue->alpha);
}

// The whole product, split into up to `parts` tiles. Each tile packs the A rows and B columns it uses,
// so tiles sharing rows pack those rows twice: the longer dimension is split first, which repacks the
// smaller operand.
template <class A, class B>
void gemm_parts(const A& a, const B& b, int64_t m, int64_t n, int64_t k, float* c, int64_t ldc,
                const Epilogue* epilogue, int64_t parts) {
  if (m == 0 || n == 0) return;
  if (k == 0) return fill_empty_product(c, ldc, m, n, epilogue);
  const int64_t m_panels = ceil_div(m, MR), n_panels = ceil_div(n, NR);
  int64_t m_parts = imin(parts, m_panels), n_parts = imin(parts / m_parts, n_panels);
  if (n > m) {
    n_parts = imin(parts, n_panels);
    m_parts = imin(parts / n_parts, m_panels);
  }
  auto task = [&](int64_t t) {
    const int64_t pm = t / n_parts, pn = t % n_parts;
    const int64_t m0 = imin(m, m_panels * pm / m_parts * MR), m1 = imin(m, m_panels * (pm + 1) / m_parts * MR);
    const int64_t n0 = imin(n, n_panels * pn / n_parts * NR), n1 = imin(n, n_panels * (pn + 1) / n_parts * NR);
    if (m0 < m1 && n0 < n1) gemm_tile(a, b, m0, m1, n0, n1, k, c, ldc, epilogue);
  };
  run_tasks(m_parts * n_parts, task);
}

// Rows (or columns) a part needs before splitting further pays for repacking the other operand.
constexpr int64_t kRowsPerExtraPart = 512;

// Parts for a product: one per thread, and more (claimed dynamically) while each keeps enough rows.
LW_INLINE int64_t gemm_part_count(int64_t m, int64_t n, double work) {
  const int64_t threads = thread_count();
  return imax(parts_for(work, threads), imin(parts_for(work, kPartsPerThread * threads), imax(m, n) / kRowsPerExtraPart));
}

template <class A, class B>
void gemm(const A& a, const B& b, int64_t m, int64_t n, int64_t k, float* c, int64_t ldc, const Epilogue* epilogue) {
  const double work = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  gemm_parts(a, b, m, n, k, c, ldc, epilogue, gemm_part_count(m, n, work));
}

// A stored matrix: element (i, j) at p[i * rs + j * cs]; one of the strides is 1.
struct Strided {
  const float* p;
  int64_t rs, cs;
};

// A operand from a stored matrix: row-major matrices are copied into blocks (rows spaced by kc rather
// than a power of two keeps them in distinct cache sets); column-major ones are read in place.
struct MatrixA {
  Strided s;
  Block pack(float* dst, int64_t m0, int64_t mc, int64_t k0, int64_t kc) const {
    if (s.rs == 1) return Block{s.p + m0 + k0 * s.cs, 1, s.cs, MR, false};
    for (int64_t i = 0; i < mc; i++) std::memcpy(dst + i * kc, s.p + (m0 + i) * s.rs + k0, static_cast<size_t>(kc) * sizeof(float));
    return row_major_block(dst, mc, kc);
  }
};

// B operand from a stored matrix: NR-wide row segments, or a transpose for column-major storage.
struct MatrixB {
  Strided s;

  // Narrow row-major matrices are used in place: their rows are close enough for the prefetchers.
  bool view(int64_t k0, int64_t n0, int64_t nc, Panels* out) const {
    if (s.cs != 1 || nc % NR != 0 || s.rs > kMaxViewStride) return false;
    *out = Panels{s.p + k0 * s.rs + n0, NR, s.rs};
    return true;
  }
  static constexpr int64_t kMaxViewStride = 256;
  void pack(float* dst, int64_t k0, int64_t kc, int64_t n0, int64_t nc) const {
    for (int64_t jp = 0; jp < nc; jp += NR) {
      const int64_t w = imin(NR, nc - jp);
      float* panel = dst + jp * kc;
      if (s.cs == 1) {
        const float* src = s.p + k0 * s.rs + n0 + jp;
        if (w == NR) {
          for (int64_t q = 0; q < kc; q++) {
#pragma GCC unroll 4
            for (int j = 0; j < NV; j++) store(panel + q * NR + j * W, load(src + q * s.rs + j * W));
          }
        } else {
          for (int64_t q = 0; q < kc; q++) {
            for (int j = 0; j < NV; j++) {
              const int64_t lanes = imin(W, imax(0, w - j * W));
              store(panel + q * NR + j * W, lanes > 0 ? load_partial(src + q * s.rs + j * W, lanes) : zero());
            }
          }
        }
      } else {
        for (int64_t j = 0; j < w; j++) {
          const float* src = s.p + k0 * s.rs + (n0 + jp + j) * s.cs;
          for (int64_t q = 0; q < kc; q++) panel[q * NR + j] = src[q * s.rs];
        }
        for (int64_t q = 0; q < kc; q++) {
          for (int64_t j = w; j < NR; j++) panel[q * NR + j] = 0.0f;
        }
      }
    }
  }
};

void matmul(const MatmulArgs& args) {
  const float *a = args.a, *b = args.b;
  float* out = args.out;
  const MatmulInfo& mm = args.product;
  Epilogue storage;
  const Epilogue* epilogue = epilogue_of(args, &storage);
  const Strided sa = mm.trans_a ? Strided{a, 1, mm.m} : Strided{a, mm.k, 1};
  const Strided sb = mm.trans_b ? Strided{b, 1, mm.k} : Strided{b, mm.n, 1};
  const double work = 2.0 * static_cast<double>(mm.m) * static_cast<double>(mm.n) * static_cast<double>(mm.k);
  const int64_t parts = parts_for(work * static_cast<double>(mm.batch), thread_count());
  auto one = [&](int64_t t, int64_t tile_parts) {
    const MatrixA pa{{sa.p + t * mm.a_batch_stride, sa.rs, sa.cs}};
    const MatrixB pb{{sb.p + t * mm.b_batch_stride, sb.rs, sb.cs}};
    gemm_parts(pa, pb, mm.m, mm.n, mm.k, out + t * mm.m * mm.n, mm.n, epilogue, tile_parts);
  };
  if (mm.batch >= parts) {
    // Enough matrices to keep every thread busy with whole products.
    parallel_ranges(mm.batch, work, 1, [&](int64_t begin, int64_t end) {
      for (int64_t t = begin; t < end; t++) one(t, 1);
    });
  } else {
    for (int64_t t = 0; t < mm.batch; t++) one(t, gemm_part_count(mm.m, mm.n, work));
  }
}

}  // namespace LW_ISA
}  // namespace lw
