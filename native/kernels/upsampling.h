// Upsampling by whole factors (NHWC) and its adjoint, vectorised along channels. Nearest repeats each
// pixel; bilinear interpolates between the source pixels around (o + 0.5) / factor - 0.5 along each axis
// (half-pixel centers, as Keras and PyTorch's align_corners=False), clamped to the edges. The forward pass
// splits output rows over threads; the gradient splits images, so no two threads add into one pixel.
#pragma once
#include <cmath>

#include "pool.h"
#include "support.h"

namespace lw {
namespace LW_ISA {

struct Tap {
  int64_t lower, upper;
  float weight;  // of the upper pixel
};

// Output index o of an axis of `n` pixels upsampled `factor` times.
LW_INLINE Tap bilinear_tap(int64_t o, int64_t n, int64_t factor) {
  const double source = (static_cast<double>(o) + 0.5) / static_cast<double>(factor) - 0.5;
  const double below = std::floor(source);
  return {imax(static_cast<int64_t>(below), 0), imin(static_cast<int64_t>(std::ceil(source)), n - 1), static_cast<float>(source - below)};
}

void up_sampling2d(const UpSampling2dArgs& a) {
  const UpSamplingInfo& u = a.up_sampling;
  const int64_t out_h = u.in_h * u.factor_h, out_w = u.in_w * u.factor_w, ch = u.channels;
  if (u.batch * out_h * out_w * ch == 0) return;
  const bool bilinear = a.interpolation == Interpolation::kBilinear;
  parallel_ranges(u.batch * out_h, kElementCost * static_cast<double>(out_w * ch) * (bilinear ? 4.0 : 1.0), 1, [&](int64_t r0, int64_t r1) {
    for (int64_t row = r0; row < r1; row++) {
      const int64_t b = row / out_h, oy = row % out_h;
      float* out = a.out + row * out_w * ch;
      const float* image = a.x + b * u.in_h * u.in_w * ch;
      if (!bilinear) {
        const float* src = image + (oy / u.factor_h) * u.in_w * ch;
        for (int64_t ox = 0; ox < out_w; ox++) std::memcpy(out + ox * ch, src + (ox / u.factor_w) * ch, static_cast<size_t>(ch) * sizeof(float));
        continue;
      }
      const Tap ty = bilinear_tap(oy, u.in_h, u.factor_h);
      const float* top = image + ty.lower * u.in_w * ch;
      const float* bottom = image + ty.upper * u.in_w * ch;
      const Vec wy = set1(ty.weight);
      for (int64_t ox = 0; ox < out_w; ox++) {
        const Tap tx = bilinear_tap(ox, u.in_w, u.factor_w);
        const Vec wx = set1(tx.weight);
        for (int64_t c = 0; c < ch; c += W) {
          const int64_t n = imin(W, ch - c);
          const Vec tl = load_lanes(top + tx.lower * ch + c, n), tr = load_lanes(top + tx.upper * ch + c, n);
          const Vec bl = load_lanes(bottom + tx.lower * ch + c, n), br = load_lanes(bottom + tx.upper * ch + c, n);
          const Vec t = fmadd(sub(tr, tl), wx, tl), d = fmadd(sub(br, bl), wx, bl);
          store_lanes(out + ox * ch + c, fmadd(sub(d, t), wy, t), n);
        }
      }
    }
  });
}

void up_sampling2d_grad(const UpSampling2dGradArgs& a) {
  const UpSamplingInfo& u = a.up_sampling;
  const int64_t out_h = u.in_h * u.factor_h, out_w = u.in_w * u.factor_w, ch = u.channels, image = u.in_h * u.in_w * ch;
  if (u.batch * image == 0) return;
  const bool bilinear = a.interpolation == Interpolation::kBilinear;
  parallel_ranges(u.batch, kElementCost * static_cast<double>(out_h * out_w * ch) * (bilinear ? 4.0 : 1.0), 1, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; b++) {
      float* dx = a.dx + b * image;
      std::memset(dx, 0, static_cast<size_t>(image) * sizeof(float));
      const float* dy_image = a.dy + b * out_h * out_w * ch;
      auto add_to = [&](float* p, Vec v, int64_t n) { store_lanes(p, add(load_lanes(p, n), v), n); };
      for (int64_t oy = 0; oy < out_h; oy++) {
        const float* dy = dy_image + oy * out_w * ch;
        if (!bilinear) {
          float* row = dx + (oy / u.factor_h) * u.in_w * ch;
          for (int64_t ox = 0; ox < out_w; ox++) {
            for (int64_t c = 0; c < ch; c += W) {
              const int64_t n = imin(W, ch - c);
              add_to(row + (ox / u.factor_w) * ch + c, load_lanes(dy + ox * ch + c, n), n);
            }
          }
          continue;
        }
        const Tap ty = bilinear_tap(oy, u.in_h, u.factor_h);
        float* top = dx + ty.lower * u.in_w * ch;
        float* bottom = dx + ty.upper * u.in_w * ch;
        for (int64_t ox = 0; ox < out_w; ox++) {
          const Tap tx = bilinear_tap(ox, u.in_w, u.factor_w);
          const Vec w_tl = set1((1 - ty.weight) * (1 - tx.weight)), w_tr = set1((1 - ty.weight) * tx.weight);
          const Vec w_bl = set1(ty.weight * (1 - tx.weight)), w_br = set1(ty.weight * tx.weight);
          for (int64_t c = 0; c < ch; c += W) {
            const int64_t n = imin(W, ch - c);
            const Vec g = load_lanes(dy + ox * ch + c, n);
            add_to(top + tx.lower * ch + c, mul(g, w_tl), n);
            add_to(top + tx.upper * ch + c, mul(g, w_tr), n);
            add_to(bottom + tx.lower * ch + c, mul(g, w_bl), n);
            add_to(bottom + tx.upper * ch + c, mul(g, w_br), n);
          }
        }
      }
    }
  });
}

}  // namespace LW_ISA
}  // namespace lw
