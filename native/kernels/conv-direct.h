// Convolutions with a short patch (kH*kW*inC of at most kMaxDirectPatch over fewer than four input
// channels: the first layer of an image model) computed directly instead of on the GEMM engine. As a GEMM
// their K is the patch length, so each micro-tile of the output is loaded and stored for a handful of
// products and packing copies every image value patch-length times. Directly, the forward pass broadcasts
// each patch value against a block of output channels held in registers, and the filter gradient keeps a
// whole block of (tap, channel) sums in registers while it streams over the output pixels.
#pragma once
#include <utility>

#include "support.h"
#include "unary.h"

namespace lw {
namespace LW_ISA {

constexpr int64_t kMaxDirectPatch = 32;
// Output channels are computed a block of two vectors at a time.
constexpr int kBlockVectors = 2;
constexpr int64_t kBlockChannels = kBlockVectors * W;

LW_INLINE bool conv_is_direct(const ConvInfo& c) {
  const int64_t patch = c.k_h * c.k_w * c.in_c;
  return c.in_c < 4 && patch > 0 && patch <= kMaxDirectPatch;
}

// Where the patch values of output pixels lie: pixel ox of an output row starts pixel_step * ox floats
// after the row's origin, and its patch value t lies offset[t] floats after that. Windows that all lie
// inside the image are read in place; otherwise the input rows of each output row are first copied,
// zero-padded, into a buffer of kH rows.
struct DirectWindows {
  const float* image;
  ConvInfo c;
  bool in_place;
  int64_t padded_w;  // pixels per row of the buffer
  int64_t pixel_step;
  int64_t offset[kMaxDirectPatch];

  int64_t buffer_floats() const { return in_place ? 0 : c.k_h * padded_w * c.in_c; }

  // The origin of output row `row` (image b, output row oy, counted together), filling `buffer` if needed.
  const float* origin(int64_t row, float* buffer) const {
    const int64_t b = row / c.out_h, oy = row % c.out_h;
    if (in_place) return image + (b * c.in_h + oy * c.stride_h) * c.in_w * c.in_c;
    const int64_t lo = imin(c.pad_left, padded_w), hi = imax(lo, imin(c.pad_left + c.in_w, padded_w));
    for (int64_t ky = 0; ky < c.k_h; ky++) {
      float* dst = buffer + ky * padded_w * c.in_c;
      const int64_t y = oy * c.stride_h - c.pad_top + ky * c.dilation_h;
      if (y < 0 || y >= c.in_h) {
        std::memset(dst, 0, static_cast<size_t>(padded_w * c.in_c) * sizeof(float));
        continue;
      }
      std::memset(dst, 0, static_cast<size_t>(lo * c.in_c) * sizeof(float));
      std::memcpy(dst + lo * c.in_c, image + ((b * c.in_h + y) * c.in_w + (lo - c.pad_left)) * c.in_c,
                  static_cast<size_t>((hi - lo) * c.in_c) * sizeof(float));
      std::memset(dst + hi * c.in_c, 0, static_cast<size_t>((padded_w - hi) * c.in_c) * sizeof(float));
    }
    return buffer;
  }
};

LW_INLINE DirectWindows direct_windows(const float* x, const ConvInfo& c) {
  DirectWindows d{};
  d.image = x;
  d.c = c;
  d.padded_w = (c.out_w - 1) * c.stride_w + (c.k_w - 1) * c.dilation_w + 1;
  d.in_place = c.pad_top == 0 && c.pad_left == 0 && (c.out_h - 1) * c.stride_h + (c.k_h - 1) * c.dilation_h < c.in_h &&
               d.padded_w <= c.in_w;
  d.pixel_step = c.stride_w * c.in_c;
  const int64_t row_step = d.in_place ? c.dilation_h * c.in_w * c.in_c : d.padded_w * c.in_c;
  for (int64_t ky = 0; ky < c.k_h; ky++) {
    for (int64_t kx = 0; kx < c.k_w; kx++) {
      for (int64_t ic = 0; ic < c.in_c; ic++) d.offset[(ky * c.k_w + kx) * c.in_c + ic] = ky * row_step + kx * c.dilation_w * c.in_c + ic;
    }
  }
  return d;
}

// Lanes of vector j of a channel block `width` channels wide (0 to W: partial loads and stores take both ends).
LW_INLINE int64_t block_lanes(int64_t width, int j) { return imax(0, imin(W, width - j * W)); }

// Output pixels computed together, sharing each load of a weight vector.
constexpr int64_t kDirectPixels = 4;

// One output row for one block of output channels: `weights` holds the block's filter taps, kBlockChannels
// apart and zero past the block's width, and `bias` its bias (or zeros). kFull: a whole block, stored
// without masks.
template <bool kFull>
void conv_row_direct(const DirectWindows& win, const float* origin, const float* weights, const Vec* bias, bool relu,
                     float* out_row, int64_t width) {
  const int64_t out_w = win.c.out_w, out_c = win.c.out_c, pixel_step = win.pixel_step;
  const int64_t patch = win.c.k_h * win.c.k_w * win.c.in_c;
  int64_t lanes[kBlockVectors];
  for (int j = 0; j < kBlockVectors; j++) lanes[j] = block_lanes(width, j);
  for (int64_t ox = 0; ox < out_w; ox += kDirectPixels) {
    const float* px[kDirectPixels];
    Vec acc[kDirectPixels][kBlockVectors];
    for (int q = 0; q < kDirectPixels; q++) {
      px[q] = origin + imin(ox + q, out_w - 1) * pixel_step;  // past the row's end: recomputes its last pixel
      for (int j = 0; j < kBlockVectors; j++) acc[q][j] = bias[j];
    }
    for (int64_t t = 0; t < patch; t++) {
      const int64_t at = win.offset[t];
      Vec w[kBlockVectors];
      for (int j = 0; j < kBlockVectors; j++) w[j] = load(weights + t * kBlockChannels + j * W);
      for (int q = 0; q < kDirectPixels; q++) {
        const Vec v = set1(px[q][at]);
        for (int j = 0; j < kBlockVectors; j++) acc[q][j] = fmadd(v, w[j], acc[q][j]);
      }
    }
    const int64_t n = imin(kDirectPixels, out_w - ox);
    for (int64_t q = 0; q < n; q++) {
      for (int j = 0; j < kBlockVectors; j++) {
        const Vec v = relu ? vrelu(acc[q][j]) : acc[q][j];
        float* o = out_row + (ox + q) * out_c + j * W;
        if (kFull) {
          store(o, v);
        } else {
          store_partial(o, v, lanes[j]);
        }
      }
    }
  }
}

void conv2d_direct(const float* x, const float* filter, float* out, const ConvInfo& c, const Epilogue* epilogue) {
  const int64_t patch = c.k_h * c.k_w * c.in_c, rows = c.batch * c.out_h;
  if (rows == 0 || c.out_w == 0 || c.out_c == 0) return;
  const DirectWindows win = direct_windows(x, c);
  const bool relu = epilogue && epilogue->activation == Activation::kRelu;
  const bool after = epilogue && epilogue->activation != Activation::kLinear && !relu;
  const double cost = 2.0 * static_cast<double>(c.out_w * patch * c.out_c);
  parallel_ranges(rows, cost, 1, [&](int64_t r0, int64_t r1) {
    float* buffer = win.in_place ? nullptr : scratch(2, static_cast<size_t>(win.buffer_floats()));
    alignas(64) float weights[kMaxDirectPatch * kBlockChannels];
    for (int64_t oc0 = 0; oc0 < c.out_c; oc0 += kBlockChannels) {
      const int64_t width = imin(kBlockChannels, c.out_c - oc0);
      for (int64_t t = 0; t < patch; t++) {
        for (int64_t j = 0; j < kBlockChannels; j++) weights[t * kBlockChannels + j] = j < width ? filter[t * c.out_c + oc0 + j] : 0.0f;
      }
      Vec bias[kBlockVectors];
      for (int j = 0; j < kBlockVectors; j++) {
        bias[j] = epilogue && epilogue->bias ? load_partial(epilogue->bias + oc0 + j * W, block_lanes(width, j)) : zero();
      }
      for (int64_t row = r0; row < r1; row++) {
        const float* origin = win.origin(row, buffer);
        float* out_row = out + row * c.out_w * c.out_c + oc0;
        if (width == kBlockChannels) {
          conv_row_direct<true>(win, origin, weights, bias, relu, out_row, width);
        } else {
          conv_row_direct<false>(win, origin, weights, bias, relu, out_row, width);
        }
        if (after) apply_epilogue(out_row, c.out_c, c.out_w, width, nullptr, epilogue->activation, epilogue->alpha);
      }
    }
  });
}

// Taps whose sums (a block of output channels each) stay in registers beside a block of dy.
constexpr int64_t kMaxTapGroup = (kVecRegisters - 2 * kBlockVectors - 1) / kBlockVectors;

// part[t0 + t, oc0 + channel] = sum over output pixels [p0, p1) of patch value t0 + t times dy, for
// kTaps taps and one block of output channels (kFull: a whole block, read without masks).
template <int64_t kTaps, bool kFull>
void filter_taps_direct(const DirectWindows& win, const float* dy, float* part, int64_t p0, int64_t p1, int64_t t0,
                        int64_t oc0, float* buffer) {
  const ConvInfo& c = win.c;
  const int64_t out_w = c.out_w, out_c = c.out_c, pixel_step = win.pixel_step;
  const int64_t width = imin(kBlockChannels, out_c - oc0);
  int64_t lanes[kBlockVectors];
  for (int j = 0; j < kBlockVectors; j++) lanes[j] = block_lanes(width, j);
  int64_t at[kTaps];
  for (int64_t t = 0; t < kTaps; t++) at[t] = win.offset[t0 + t];
  Vec acc[kTaps][kBlockVectors];
  for (int64_t t = 0; t < kTaps; t++) {
    for (int j = 0; j < kBlockVectors; j++) acc[t][j] = zero();
  }
  for (int64_t row = p0 / out_w; row * out_w < p1; row++) {
    const float* origin = win.origin(row, buffer);
    const int64_t ox0 = imax(p0 - row * out_w, 0), ox1 = imin(p1 - row * out_w, out_w);
    const float* d = dy + (row * out_w + ox0) * out_c + oc0;
    const float* px = origin + ox0 * pixel_step;
    for (int64_t ox = ox0; ox < ox1; ox++, d += out_c, px += pixel_step) {
      Vec g[kBlockVectors];
      for (int j = 0; j < kBlockVectors; j++) g[j] = kFull ? load(d + j * W) : load_partial(d + j * W, lanes[j]);
#pragma GCC unroll 16
      for (int64_t t = 0; t < kTaps; t++) {
        const Vec v = set1(px[at[t]]);
        for (int j = 0; j < kBlockVectors; j++) acc[t][j] = fmadd(v, g[j], acc[t][j]);
      }
    }
  }
  for (int64_t t = 0; t < kTaps; t++) {
    for (int j = 0; j < kBlockVectors; j++) store_partial(part + (t0 + t) * out_c + oc0 + j * W, acc[t][j], lanes[j]);
  }
}

using FilterTaps = void (*)(const DirectWindows&, const float*, float*, int64_t, int64_t, int64_t, int64_t, float*);

template <std::size_t... I>
FilterTaps pick_filter_taps(int64_t taps, bool full, std::index_sequence<I...>) {
  FilterTaps kernel = nullptr;
  ((taps == static_cast<int64_t>(I + 1)
        ? (kernel = full ? &filter_taps_direct<static_cast<int64_t>(I + 1), true> : &filter_taps_direct<static_cast<int64_t>(I + 1), false>)
        : nullptr),
   ...);
  return kernel;
}

// The filter gradient summed over output pixels [p0, p1) into part (laid out as the filter), tap group by
// tap group and channel block by channel block.
void filter_gradient_direct(const DirectWindows& win, const float* dy, float* part, int64_t p0, int64_t p1) {
  const ConvInfo& c = win.c;
  const int64_t patch = c.k_h * c.k_w * c.in_c;
  float* buffer = win.in_place ? nullptr : scratch(2, static_cast<size_t>(win.buffer_floats()));
  for (int64_t oc0 = 0; oc0 < c.out_c; oc0 += kBlockChannels) {
    for (int64_t t0 = 0; t0 < patch; t0 += kMaxTapGroup) {
      const int64_t taps = imin(kMaxTapGroup, patch - t0);
      const bool full = oc0 + kBlockChannels <= c.out_c;
      pick_filter_taps(taps, full, std::make_index_sequence<kMaxTapGroup>{})(win, dy, part, p0, p1, t0, oc0, buffer);
    }
  }
}

}  // namespace LW_ISA
}  // namespace lw
