// Depthwise 2-D convolution (NHWC input, [kH, kW, C, m] filters, output channel ci * m + j from input
// channel ci and filter[:, :, ci, j]) and its two gradients, vectorised along output channels. With m = 1
// (MobileNet's case) input, filter and output channels line up and every load is contiguous; with m > 1
// the lanes of an input vector are read one by one. The forward pass and the input gradient split rows
// over threads; the filter gradient splits channel vectors, each summed over every pixel in order, so
// results do not depend on the thread count.
#pragma once
#include "pool.h"
#include "support.h"
#include "unary.h"

namespace lw {
namespace LW_ISA {

// The input values for output channels [co, co + n) of one pixel: x[co / m] per lane.
LW_INLINE Vec depthwise_input(const float* px, int64_t co, int64_t n, int64_t m) {
  if (m == 1) return load_lanes(px + co, n);
  alignas(64) float lanes[W] = {};
  for (int64_t l = 0; l < n; l++) lanes[l] = px[(co + l) / m];
  return load(lanes);
}

// Adds v's lanes to x[co / m] of one pixel (m lanes share an input channel).
LW_INLINE void depthwise_add_input(float* px, int64_t co, int64_t n, int64_t m, Vec v) {
  if (m == 1) {
    store_lanes(px + co, add(load_lanes(px + co, n), v), n);
    return;
  }
  alignas(64) float lanes[W];
  store(lanes, v);
  for (int64_t l = 0; l < n; l++) px[(co + l) / m] += lanes[l];
}

// The first and one-past-last kernel taps along an axis whose input positions o * stride - pad + k * dilation fall inside [0, size).
LW_INLINE void tap_range(int64_t o, int64_t stride, int64_t pad, int64_t dilation, int64_t k, int64_t size, int64_t* k0, int64_t* k1) {
  const int64_t start = o * stride - pad;
  int64_t lo = 0, hi = k;
  while (lo < hi && start + lo * dilation < 0) lo++;
  while (hi > lo && start + (hi - 1) * dilation >= size) hi--;
  *k0 = lo;
  *k1 = hi;
}

void depthwise_conv2d(const DepthwiseConv2dArgs& a) {
  const ConvInfo& c = a.conv;
  if (c.in_c == 0 || c.batch * c.out_h * c.out_w == 0) return;
  const int64_t m = c.out_c / c.in_c, row_len = c.out_w * c.out_c;
  const double cost = 2.0 * static_cast<double>(row_len * c.k_h * c.k_w);
  parallel_ranges(c.batch * c.out_h, cost, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t row = r0; row < r1; row++) {
      const int64_t b = row / c.out_h, oy = row % c.out_h;
      float* out_row = a.out + row * row_len;
      int64_t ky0, ky1;
      tap_range(oy, c.stride_h, c.pad_top, c.dilation_h, c.k_h, c.in_h, &ky0, &ky1);
      for (int64_t ox = 0; ox < c.out_w; ox++) {
        int64_t kx0, kx1;
        tap_range(ox, c.stride_w, c.pad_left, c.dilation_w, c.k_w, c.in_w, &kx0, &kx1);
        float* o = out_row + ox * c.out_c;
        for (int64_t co = 0; co < c.out_c; co += W) {
          const int64_t n = imin(W, c.out_c - co);
          Vec acc = a.bias ? load_lanes(a.bias + co, n) : zero();
          for (int64_t ky = ky0; ky < ky1; ky++) {
            const int64_t iy = oy * c.stride_h - c.pad_top + ky * c.dilation_h;
            const float* x_row = a.x + (b * c.in_h + iy) * c.in_w * c.in_c;
            const float* w_row = a.filter + ky * c.k_w * c.out_c;
            for (int64_t kx = kx0; kx < kx1; kx++) {
              const int64_t ix = ox * c.stride_w - c.pad_left + kx * c.dilation_w;
              acc = fmadd(depthwise_input(x_row + ix * c.in_c, co, n, m), load_lanes(w_row + kx * c.out_c + co, n), acc);
            }
          }
          store_lanes(o + co, acc, n);
        }
      }
      if (a.activation != Activation::kLinear) apply_epilogue(out_row, row_len, 1, row_len, nullptr, a.activation, a.alpha);
    }
  });
}

void depthwise_conv2d_backprop_input(const DepthwiseConv2dBackpropInputArgs& a) {
  const ConvInfo& c = a.conv;
  const int64_t rows = c.batch * c.in_h, row_len = c.in_w * c.in_c;
  if (rows * row_len == 0) return;
  const int64_t m = c.in_c == 0 ? 0 : c.out_c / c.in_c;
  const double cost = 2.0 * static_cast<double>(c.in_w * c.out_c * c.k_h * c.k_w) / static_cast<double>(c.stride_h * c.stride_w);
  parallel_ranges(rows, cost, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t row = r0; row < r1; row++) {
      const int64_t b = row / c.in_h, iy = row % c.in_h;
      float* dx_row = a.dx + row * row_len;
      std::memset(dx_row, 0, static_cast<size_t>(row_len) * sizeof(float));
      for (int64_t ky = 0; ky < c.k_h; ky++) {
        const int64_t ty = iy + c.pad_top - ky * c.dilation_h;
        if (ty < 0 || ty % c.stride_h != 0 || ty / c.stride_h >= c.out_h) continue;
        const float* dy_row = a.dy + (b * c.out_h + ty / c.stride_h) * c.out_w * c.out_c;
        for (int64_t kx = 0; kx < c.k_w; kx++) {
          const float* w = a.filter + (ky * c.k_w + kx) * c.out_c;
          for (int64_t ix = 0; ix < c.in_w; ix++) {
            const int64_t tx = ix + c.pad_left - kx * c.dilation_w;
            if (tx < 0 || tx % c.stride_w != 0 || tx / c.stride_w >= c.out_w) continue;
            const float* g = dy_row + (tx / c.stride_w) * c.out_c;
            float* d = dx_row + ix * c.in_c;
            for (int64_t co = 0; co < c.out_c; co += W) {
              const int64_t n = imin(W, c.out_c - co);
              depthwise_add_input(d, co, n, m, mul(load_lanes(g + co, n), load_lanes(w + co, n)));
            }
          }
        }
      }
    }
  });
}

void depthwise_conv2d_backprop_filter(const DepthwiseConv2dBackpropFilterArgs& a) {
  const ConvInfo& c = a.conv;
  const int64_t taps = c.k_h * c.k_w, vectors = ceil_div(c.out_c, W);
  if (taps * c.out_c == 0) return;
  const int64_t m = c.in_c == 0 ? 0 : c.out_c / c.in_c;
  const double cost = 2.0 * static_cast<double>(c.batch * c.out_h * c.out_w * taps * W);
  parallel_ranges(vectors, cost, 1, [&](int64_t v0, int64_t v1) {
    Vec* acc = new Vec[static_cast<size_t>(taps)];
    for (int64_t v = v0; v < v1; v++) {
      const int64_t co = v * W, n = imin(W, c.out_c - co);
      for (int64_t t = 0; t < taps; t++) acc[t] = zero();
      for (int64_t b = 0; b < c.batch; b++) {
        for (int64_t oy = 0; oy < c.out_h; oy++) {
          int64_t ky0, ky1;
          tap_range(oy, c.stride_h, c.pad_top, c.dilation_h, c.k_h, c.in_h, &ky0, &ky1);
          const float* dy_row = a.dy + (b * c.out_h + oy) * c.out_w * c.out_c;
          for (int64_t ox = 0; ox < c.out_w; ox++) {
            int64_t kx0, kx1;
            tap_range(ox, c.stride_w, c.pad_left, c.dilation_w, c.k_w, c.in_w, &kx0, &kx1);
            const Vec g = load_lanes(dy_row + ox * c.out_c + co, n);
            for (int64_t ky = ky0; ky < ky1; ky++) {
              const int64_t iy = oy * c.stride_h - c.pad_top + ky * c.dilation_h;
              const float* x_row = a.x + (b * c.in_h + iy) * c.in_w * c.in_c;
              for (int64_t kx = kx0; kx < kx1; kx++) {
                const int64_t ix = ox * c.stride_w - c.pad_left + kx * c.dilation_w;
                acc[ky * c.k_w + kx] = fmadd(depthwise_input(x_row + ix * c.in_c, co, n, m), g, acc[ky * c.k_w + kx]);
              }
            }
          }
        }
      }
      for (int64_t t = 0; t < taps; t++) store_lanes(a.d_filter + t * c.out_c + co, acc[t], n);
    }
    delete[] acc;
  });
}

}  // namespace LW_ISA
}  // namespace lw
