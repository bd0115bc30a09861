// Image patches as GEMM operands ("implicit im2col"): the rows or columns of the patch matrix of an
// NHWC image are packed straight from the image, a cache block at a time, never materialised whole.
#pragma once
#include "gemm.h"
#include "support.h"

namespace lw {
namespace LW_ISA {

LW_INLINE void copy_run(float* dst, const float* src, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store(dst + i, load(src + i));
  if (i < n) store_partial(dst + i, load_partial(src + i, n - i), n - i);
}
LW_INLINE void zero_run(float* dst, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store(dst + i, zero());
  if (i < n) store_partial(dst + i, zero(), n - i);
}

// An output pixel (b, oy, ox), stepped in row-major order without divisions.
struct Pixel {
  int64_t b, oy, ox;
};

// Output pixel (b, oy, ox) and filter tap (ky, kx) read image[b, oy*sy - pad_y + ky*dy, ox*sx - pad_x + kx*dx, :].
struct Patches {
  const float* image;
  int64_t h, w, c;        // image height, width, channels
  int64_t oh, ow;         // output grid
  int64_t kh, kw;         // filter taps
  int64_t sy, sx, dy, dx; // strides and dilations
  int64_t pad_y, pad_x;

  LW_INLINE Pixel pixel(int64_t p) const {
    const int64_t row = p / ow;
    return {row / oh, row % oh, p % ow};
  }
  LW_INLINE void next(Pixel& px) const {
    if (++px.ox == ow) {
      px.ox = 0;
      if (++px.oy == oh) {
        px.oy = 0;
        px.b++;
      }
    }
  }
  LW_INLINE const float* at(int64_t b, int64_t y, int64_t x) const { return image + ((b * h + y) * w + x) * c; }
  LW_INLINE bool inside(int64_t y, int64_t x) const { return y >= 0 && y < h && x >= 0 && x < w; }

  // Columns [k, k + n) of one patch row: channel runs of consecutive taps, zero where a tap falls in the
  // padding. (ty, tx, ch) is the tap and channel of column k.
  LW_INLINE void copy_columns(float* dst, Pixel px, int64_t ty, int64_t tx, int64_t ch, int64_t n) const {
    const int64_t y0 = px.oy * sy - pad_y, x0 = px.ox * sx - pad_x;
    for (int64_t q = 0; q < n;) {
      const int64_t run = imin(c - ch, n - q);
      const int64_t y = y0 + ty * dy, x = x0 + tx * dx;
      if (inside(y, x)) {
        copy_run(dst + q, at(px.b, y, x) + ch, run);
      } else {
        zero_run(dst + q, run);
      }
      q += run;
      ch = 0;
      if (++tx == kw) {
        tx = 0;
        ty++;
      }
    }
  }
  LW_INLINE bool window_inside(Pixel px) const {
    const int64_t y0 = px.oy * sy - pad_y, x0 = px.ox * sx - pad_x;
    return y0 >= 0 && y0 + (kh - 1) * dy < h && x0 >= 0 && x0 + (kw - 1) * dx < w;
  }

  // One patch column (tap and channel) and the output columns whose tap lands inside the image.
  struct Column {
    int64_t y_shift, x_shift, ch;
    int64_t lo, hi;  // lo <= ox < hi
  };
  LW_INLINE Column column(int64_t r) const {
    const int64_t t = r / c, ty = t / kw, tx = t % kw;
    const int64_t shift = tx * dx - pad_x;
    const int64_t lo = shift >= 0 ? 0 : ceil_div(-shift, sx);
    const int64_t hi = imax(lo, imin(ow, shift >= w ? 0 : (w - 1 - shift) / sx + 1));
    return {ty * dy - pad_y, shift, r % c, lo, hi};
  }
  // Column `col` of the patch matrix for `count` consecutive pixels from px: within one output row the
  // source pixels are evenly spaced (contiguous for one channel and stride 1), zero in the padding.
  LW_INLINE void column_run(float* out, Pixel px, const Column& col, int64_t count) const {
    const int64_t step = sx * c;
    for (int64_t q = 0; q < count;) {
      const int64_t seg = imin(ow - px.ox, count - q);
      const int64_t y = px.oy * sy + col.y_shift;
      float* o = out + q - px.ox;  // o[ox] is the value for output column ox
      if (y < 0 || y >= h) {
        zero_run(o + px.ox, seg);
      } else {
        const int64_t a = imin(imax(col.lo, px.ox), px.ox + seg), e = imax(a, imin(col.hi, px.ox + seg));
        zero_run(o + px.ox, a - px.ox);
        const float* src = at(px.b, y, a * sx + col.x_shift) + col.ch;
        if (step == 1) {
          copy_run(o + a, src, e - a);
        } else {
          for (int64_t i = 0; i < e - a; i++) o[a + i] = src[i * step];
        }
        zero_run(o + e, px.ox + seg - e);
      }
      q += seg;
      px.ox += seg;
      if (px.ox == ow) {
        px.ox = 0;
        if (++px.oy == oh) {
          px.oy = 0;
          px.b++;
        }
      }
    }
  }
};

// A operand: rows are output pixels, columns (tap, channel). With one channel, consecutive pixels of a
// tap are (for stride 1) consecutive floats of the image, so tiles are packed column-major, a run per
// tap. Otherwise rows are packed: for a window inside the image without horizontal dilation each filter
// row's taps are one contiguous run of kW*C floats; other windows copy channel runs tap by tap, with
// zeros for the padding.
struct PatchRows {
  Patches g;
  int64_t first_pixel;

  Block pack(float* dst, int64_t m0, int64_t mc, int64_t k0, int64_t kc) const {
    if (g.c == 1) return pack_tiles(dst, m0, mc, k0, kc);
    const int64_t t0 = k0 / g.c, ch0 = k0 % g.c;
    const int64_t ty0 = t0 / g.kw, tx0 = t0 % g.kw;
    const int64_t span = g.kw * g.c;  // columns per filter row
    const int64_t k1 = k0 + kc;
    Pixel px = g.pixel(first_pixel + m0);
    for (int64_t i = 0; i < mc; i++, g.next(px)) {
      float* row = dst + i * kc;
      if (g.dx == 1 && g.window_inside(px)) {
        const float* origin = g.at(px.b, px.oy * g.sy - g.pad_y, px.ox * g.sx - g.pad_x);
        for (int64_t ty = ty0; ty * span < k1; ty++) {
          const int64_t from = imax(k0, ty * span), to = imin(k1, (ty + 1) * span);
          copy_run(row + (from - k0), origin + ty * g.dy * g.w * g.c + (from - ty * span), to - from);
        }
      } else {
        g.copy_columns(row, px, ty0, tx0, ch0, kc);
      }
    }
    return row_major_block(dst, mc, kc);
  }

  Block pack_tiles(float* dst, int64_t m0, int64_t mc, int64_t k0, int64_t kc) const {
    Patches::Column columns[kGemmKC];
    for (int64_t q = 0; q < kc; q++) columns[q] = g.column(k0 + q);
    Pixel px = g.pixel(first_pixel + m0);
    for (int64_t t = 0; t * MR < mc; t++) {
      const int64_t rows = imin(MR, mc - t * MR);
      float* tile = dst + t * MR * kc;
      for (int64_t q = 0; q < kc; q++) {
        g.column_run(tile + q * MR, px, columns[q], rows);
        if (rows < MR) zero_run(tile + q * MR + rows, MR - rows);
      }
      for (int64_t i = 0; i < rows; i++) g.next(px);
    }
    return Block{dst, 1, MR, MR * kc, true};
  }
};

// B operand: rows are output pixels, columns (tap, channel), in NR-wide panels. Filled pixel by pixel,
// each pixel's patch row split across the panels.
struct PatchPanels {
  Patches g;
  int64_t first_pixel;

  bool view(int64_t, int64_t, int64_t, Panels*) const { return false; }

  void pack(float* dst, int64_t k0, int64_t kc, int64_t n0, int64_t nc) const {
    struct Start {
      int64_t ty, tx, ch, width;
    };
    Start starts[kGemmNC / NR + 1];
    const int64_t panels = ceil_div(nc, NR);
    for (int64_t p = 0; p < panels; p++) {
      const int64_t n = n0 + p * NR, t = n / g.c;
      starts[p] = {t / g.kw, t % g.kw, n % g.c, imin(NR, nc - p * NR)};
    }
    Pixel px = g.pixel(first_pixel + k0);
    for (int64_t q = 0; q < kc; q++, g.next(px)) {
      for (int64_t p = 0; p < panels; p++) {
        float* row = dst + p * NR * kc + q * NR;
        const Start& s = starts[p];
        g.copy_columns(row, px, s.ty, s.tx, s.ch, s.width);
        if (s.width < NR) zero_run(row + s.width, NR - s.width);
      }
    }
  }
};

// A operand: rows are (tap, channel), columns output pixels (the transposed patch matrix): each row is
// a column run of the patch matrix.
struct PatchColumns {
  Patches g;
  int64_t first_pixel;

  Block pack(float* dst, int64_t m0, int64_t mc, int64_t k0, int64_t kc) const {
    const Pixel px = g.pixel(first_pixel + k0);
    for (int64_t i = 0; i < mc; i++) g.column_run(dst + i * kc, px, g.column(m0 + i), kc);
    return row_major_block(dst, mc, kc);
  }
};

LW_INLINE Patches input_patches(const float* x, const ConvInfo& c) {
  return {x, c.in_h, c.in_w, c.in_c, c.out_h, c.out_w, c.k_h, c.k_w, c.stride_h, c.stride_w, c.dilation_h,
          c.dilation_w, c.pad_top, c.pad_left};
}

}  // namespace LW_ISA
}  // namespace lw
