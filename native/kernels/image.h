// Image warps (NHWC): every output pixel reads the input where its image's projective transform sends it
// (TensorFlow's ImageProjectiveTransformV3). Coordinates are computed in double precision, as the reference
// does, so every backend reads the same pixels; the fill mode and the interpolation are template
// parameters, so the per-pixel loop has no switch. Threads split the output rows.
#pragma once
#include <cmath>

#include "support.h"

namespace lw {
namespace LW_ISA {

template <FillMode M>
LW_INLINE double map_coordinate(double c, double len) {
  if constexpr (M == FillMode::kConstant) {
    return c;
  } else {
    if constexpr (M == FillMode::kReflect) {
      if (c < 0) {
        if (len <= 1) {
          c = 0;
        } else {
          const double sz2 = 2 * len;
          if (c < sz2) c = sz2 * std::trunc(-c / sz2) + c;
          c = c < -len ? c + sz2 : -c - 1;
        }
      } else if (c > len - 1) {
        if (len <= 1) {
          c = 0;
        } else {
          const double sz2 = 2 * len;
          c -= sz2 * std::trunc(c / sz2);
          if (c >= len) c = sz2 - c - 1;
        }
      }
    } else if constexpr (M == FillMode::kWrap) {
      if (c < 0) {
        c = len <= 1 ? 0 : c + len * (std::trunc(-c / (len - 1)) + 1);
      } else if (c > len - 1) {
        c = len <= 1 ? 0 : c - len * std::trunc(c / (len - 1));
      }
    }
    return c < 0 ? 0 : c > len - 1 ? len - 1 : c;
  }
}

template <FillMode M, Interpolation I>
void warp_rows(const ImageTransformArgs& a, int64_t r0, int64_t r1) {
  const ImageTransformInfo& g = a.image;
  const int64_t C = g.channels;
  const double in_w = static_cast<double>(g.in_w), in_h = static_cast<double>(g.in_h);
  const float fill = a.fill_value;
  for (int64_t r = r0; r < r1; r++) {
    const int64_t b = r / g.out_h, oy = r % g.out_h;
    const float* t = a.transforms + b * 8;
    const float* image = a.x + b * g.in_h * g.in_w * C;
    float* out = a.out + r * g.out_w * C;
    // The parts of the coordinates that do not change along the row.
    const double y = static_cast<double>(oy);
    const double kx0 = static_cast<double>(t[1]) * y + t[2], ky0 = static_cast<double>(t[4]) * y + t[5], kk0 = static_cast<double>(t[7]) * y + 1;
    auto read = [&](int64_t yy, int64_t xx, int64_t c) -> float {
      return (yy >= 0 && yy < g.in_h && xx >= 0 && xx < g.in_w) ? image[(yy * g.in_w + xx) * C + c] : fill;
    };
    for (int64_t ox = 0; ox < g.out_w; ox++, out += C) {
      const double x = static_cast<double>(ox);
      const double k = static_cast<double>(t[6]) * x + kk0;
      if (k == 0) {
        for (int64_t c = 0; c < C; c++) out[c] = fill;
        continue;
      }
      const double in_x = map_coordinate<M>((static_cast<double>(t[0]) * x + kx0) / k, in_w);
      const double in_y = map_coordinate<M>((static_cast<double>(t[3]) * x + ky0) / k, in_h);
      if constexpr (I == Interpolation::kNearest) {
        const int64_t yy = static_cast<int64_t>(std::round(in_y)), xx = static_cast<int64_t>(std::round(in_x));
        if (yy >= 0 && yy < g.in_h && xx >= 0 && xx < g.in_w) {
          const float* p = image + (yy * g.in_w + xx) * C;
          for (int64_t c = 0; c < C; c++) out[c] = p[c];
        } else {
          for (int64_t c = 0; c < C; c++) out[c] = fill;
        }
      } else {
        const double fy = std::floor(in_y), fx = std::floor(in_x);
        const int64_t y0 = static_cast<int64_t>(fy), x0 = static_cast<int64_t>(fx);
        const float wy = static_cast<float>(in_y - fy), wx = static_cast<float>(in_x - fx);
        const float w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx;
        if (y0 >= 0 && y0 + 1 < g.in_h && x0 >= 0 && x0 + 1 < g.in_w) {
          // The common case: all four neighbours inside the image.
          const float* p = image + (y0 * g.in_w + x0) * C;
          const float* q = p + g.in_w * C;
          for (int64_t c = 0; c < C; c++) out[c] = w00 * p[c] + w01 * p[C + c] + w10 * q[c] + w11 * q[C + c];
        } else {
          for (int64_t c = 0; c < C; c++) {
            out[c] = w00 * read(y0, x0, c) + w01 * read(y0, x0 + 1, c) + w10 * read(y0 + 1, x0, c) + w11 * read(y0 + 1, x0 + 1, c);
          }
        }
      }
    }
  }
}

template <FillMode M>
void warp_with_mode(const ImageTransformArgs& a) {
  const ImageTransformInfo& g = a.image;
  const double cost = static_cast<double>(g.out_w * (24 + 8 * g.channels));
  parallel_ranges(g.batch * g.out_h, cost, 1, [&](int64_t r0, int64_t r1) {
    if (a.interpolation == Interpolation::kNearest) {
      warp_rows<M, Interpolation::kNearest>(a, r0, r1);
    } else {
      warp_rows<M, Interpolation::kBilinear>(a, r0, r1);
    }
  });
}

void image_transform(const ImageTransformArgs& a) {
  switch (a.fill_mode) {
    case FillMode::kReflect: return warp_with_mode<FillMode::kReflect>(a);
    case FillMode::kWrap: return warp_with_mode<FillMode::kWrap>(a);
    case FillMode::kConstant: return warp_with_mode<FillMode::kConstant>(a);
    case FillMode::kNearest: return warp_with_mode<FillMode::kNearest>(a);
  }
}

}  // namespace LW_ISA
}  // namespace lw
