// Max and average pooling (NHWC) and their gradients, vectorised along channels. Windows are clipped to
// the input, so padding never contributes. Gradients split the batch between threads: windows of one
// image may overlap, windows of different images never do.
#pragma once
#include "support.h"

namespace lw {
namespace LW_ISA {

struct Window {
  int64_t y0, y1, x0, x1;
};

LW_INLINE Window window_at(const PoolInfo& p, int64_t oy, int64_t ox) {
  const int64_t ys = oy * p.stride_h - p.pad_top, xs = ox * p.stride_w - p.pad_left;
  return {imax(ys, 0), imin(ys + p.k_h, p.in_h), imax(xs, 0), imin(xs + p.k_w, p.in_w)};
}

// Calls f(b, oy, ox, window, out_offset) for every output pixel of images [b0, b1) (or rows of them).
template <class F>
void for_each_output(const PoolInfo& p, int64_t row0, int64_t row1, F f) {
  for (int64_t row = row0; row < row1; row++) {
    const int64_t b = row / p.out_h, oy = row % p.out_h;
    for (int64_t ox = 0; ox < p.out_w; ox++) f(b, window_at(p, oy, ox), ((b * p.out_h + oy) * p.out_w + ox) * p.channels);
  }
}

LW_INLINE int64_t pixel(const PoolInfo& p, int64_t b, int64_t y, int64_t x) { return ((b * p.in_h + y) * p.in_w + x) * p.channels; }

// Calls f(c, lanes) for the channel vectors of one pixel.
template <class F>
LW_INLINE void for_channels(int64_t channels, F f) {
  int64_t c = 0;
  for (; c + W <= channels; c += W) f(c, int64_t{W});
  if (c < channels) f(c, channels - c);
}

LW_INLINE Vec load_lanes(const float* p, int64_t n) { return n == W ? load(p) : load_partial(p, n); }
LW_INLINE void store_lanes(float* p, Vec v, int64_t n) {
  if (n == W) {
    store(p, v);
  } else {
    store_partial(p, v, n);
  }
}

// NaN where a window holds one, as in the reference: a plain maximum drops NaN, so it is tracked in a
// mask beside the maximum (cheaper than a compare and select per pixel).
LW_INLINE Vec nan_where(Mask nan, Vec v) { return select(nan, set1(__builtin_nanf("")), v); }

// Maximum of a window's pixels (row-major from `first`, rows `row_step` floats apart, pixels `pixel_step`)
// for one channel vector; -inf for an empty window.
LW_INLINE Vec window_max(const float* first, int64_t rows, int64_t cols, int64_t row_step, int64_t pixel_step, int64_t lanes) {
  Vec best = set1(-__builtin_inff());
  Mask nan = is_nan(best);
  for (int64_t y = 0; y < rows; y++) {
    const float* row = first + y * row_step;
    for (int64_t xx = 0; xx < cols; xx++) {
      const Vec v = load_lanes(row + xx * pixel_step, lanes);
      best = max(best, v);
      nan = mask_or(nan, is_nan(v));
    }
  }
  return nan_where(nan, best);
}

// The common 2x2 window as a tree of maxima rather than a chain.
LW_INLINE Vec window_max_2x2(const float* first, int64_t row_step, int64_t pixel_step, int64_t lanes) {
  const Vec a = load_lanes(first, lanes), b = load_lanes(first + pixel_step, lanes);
  const Vec c = load_lanes(first + row_step, lanes), d = load_lanes(first + row_step + pixel_step, lanes);
  return nan_where(mask_or(unordered(a, b), unordered(c, d)), max(max(a, b), max(c, d)));
}

void max_pool(const float* x, float* out, const PoolInfo& p) {
  const int64_t row_step = p.in_w * p.channels;
  const double cost = static_cast<double>(p.out_w * p.k_h * p.k_w * p.channels) * kElementCost;
  parallel_ranges(p.batch * p.out_h, cost, 1, [&](int64_t r0, int64_t r1) {
    for_each_output(p, r0, r1, [&](int64_t b, Window w, int64_t o) {
      const float* first = x + pixel(p, b, w.y0, w.x0);
      const int64_t rows = w.y1 - w.y0, cols = w.x1 - w.x0;
      if (rows == 2 && cols == 2) {
        for_channels(p.channels, [&](int64_t c, int64_t lanes) {
          store_lanes(out + o + c, window_max_2x2(first + c, row_step, p.channels, lanes), lanes);
        });
      } else {
        for_channels(p.channels, [&](int64_t c, int64_t lanes) {
          store_lanes(out + o + c, window_max(first + c, rows, cols, row_step, p.channels, lanes), lanes);
        });
      }
    });
  });
}

// Gradients run image by image: dx of one image is zeroed and then accumulated while it is in cache.
template <class F>
void for_each_image_output(const PoolInfo& p, int64_t b0, int64_t b1, float* dx, F f) {
  const int64_t image = p.in_h * p.in_w * p.channels;
  for (int64_t b = b0; b < b1; b++) {
    std::memset(dx + b * image, 0, static_cast<size_t>(image) * sizeof(float));
    for_each_output(p, b * p.out_h, (b + 1) * p.out_h, f);
  }
}

// Windows of at most this many pixels keep one comparison mask per pixel while routing their gradient.
constexpr int64_t kMaxRoutedWindow = 16;

// Writes every pixel of one window (one channel vector): g at the window's first maximum in row-major
// order, as in the reference, and zero elsewhere. `at` holds the pixels' offsets in that order; kPixels
// fixes their count at compile time (the masks then stay in registers), 0 takes `pixels`. A pixel takes
// over when it exceeds the maximum so far, so the first maximum is the last pixel that took over: scanning
// back, a pixel gets g when it took over and no later one did.
template <int64_t kPixels>
LW_INLINE void route_to_first_max(const float* xw, float* dxw, const int64_t* at, int64_t pixels, Vec g, int64_t lanes) {
  const int64_t n = kPixels > 0 ? kPixels : pixels;
  Mask took[kMaxRoutedWindow];
  Vec best = load_lanes(xw, lanes);
#pragma GCC unroll 16
  for (int64_t i = 1; i < n; i++) {
    const Vec v = load_lanes(xw + at[i], lanes);
    took[i] = gt(v, best);
    best = select(took[i], v, best);
  }
  Mask later = is_nan(zero());  // no lane
#pragma GCC unroll 16
  for (int64_t i = n - 1; i >= 1; i--) {
    store_lanes(dxw + at[i], select(later, zero(), select(took[i], g, zero())), lanes);
    later = mask_or(later, took[i]);
  }
  store_lanes(dxw, select(later, zero(), g), lanes);
}

// Windows that never overlap (no padding before, strides at least the window: the common 2x2/2 pool):
// every input pixel is written exactly once, the gradient at its window's first maximum and zero
// elsewhere, so dx needs no zeroing pass and no read-modify-write. Rows of windows run in parallel.
void max_pool_grad_disjoint(const float* x, const float* dy, float* dx, const PoolInfo& p) {
  const int64_t row_floats = p.in_w * p.channels;
  const double cost = static_cast<double>(p.stride_h * row_floats * 3);
  parallel_ranges(p.batch * p.out_h, cost, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const int64_t b = r / p.out_h, oy = r % p.out_h;
      const int64_t band0 = oy * p.stride_h;
      // The last band of an image also owns the rows below every window.
      const int64_t band1 = oy == p.out_h - 1 ? p.in_h : imin(band0 + p.stride_h, p.in_h);
      const int64_t win1 = imin(band0 + p.k_h, p.in_h);
      for (int64_t y = win1; y < band1; y++) std::memset(dx + pixel(p, b, y, 0), 0, static_cast<size_t>(row_floats) * sizeof(float));
      for (int64_t ox = 0; ox < p.out_w; ox++) {
        const int64_t x0 = ox * p.stride_w, x1 = imin(x0 + p.k_w, p.in_w);
        const int64_t gap1 = ox == p.out_w - 1 ? p.in_w : imin(x0 + p.stride_w, p.in_w);
        const int64_t o = ((b * p.out_h + oy) * p.out_w + ox) * p.channels;
        const int64_t first = pixel(p, b, band0, x0);
        int64_t at[kMaxRoutedWindow], pixels = 0;
        for (int64_t y = band0; y < win1; y++) {
          for (int64_t xx = x0; xx < x1; xx++) at[pixels++] = (y - band0) * row_floats + (xx - x0) * p.channels;
        }
        for_channels(p.channels, [&](int64_t c, int64_t lanes) {
          const Vec g = load_lanes(dy + o + c, lanes);
          if (pixels == 4) {
            route_to_first_max<4>(x + first + c, dx + first + c, at, pixels, g, lanes);
          } else {
            route_to_first_max<0>(x + first + c, dx + first + c, at, pixels, g, lanes);
          }
        });
        if (gap1 > x1) {
          for (int64_t y = band0; y < win1; y++) {
            std::memset(dx + pixel(p, b, y, x1), 0, static_cast<size_t>((gap1 - x1) * p.channels) * sizeof(float));
          }
        }
      }
    }
  });
}

void max_pool_grad(const float* x, const float* dy, float* dx, const PoolInfo& p) {
  if (p.pad_top == 0 && p.pad_left == 0 && p.stride_h >= p.k_h && p.stride_w >= p.k_w && p.out_h > 0 && p.out_w > 0 &&
      p.k_h * p.k_w <= kMaxRoutedWindow) {
    max_pool_grad_disjoint(x, dy, dx, p);
    return;
  }
  const double cost = static_cast<double>(p.out_h * p.out_w * p.k_h * p.k_w * p.channels * 2 + p.in_h * p.in_w * p.channels);
  parallel_ranges(p.batch, cost, 1, [&](int64_t b0, int64_t b1) {
    for_each_image_output(p, b0, b1, dx, [&](int64_t b, Window w, int64_t o) {
      const int64_t width = w.x1 - w.x0;
      for_channels(p.channels, [&](int64_t c, int64_t lanes) {
        // The first maximum of the window (row-major order) receives the gradient.
        Vec best = zero(), at = set1(-1.0f);
        for (int64_t y = w.y0; y < w.y1; y++) {
          for (int64_t xx = w.x0; xx < w.x1; xx++) {
            const Vec v = load_lanes(x + pixel(p, b, y, xx) + c, lanes);
            const Vec here = set1(static_cast<float>((y - w.y0) * width + (xx - w.x0)));
            const Mask take = mask_or(lt(at, zero()), gt(v, best));
            best = select(take, v, best);
            at = select(take, here, at);
          }
        }
        const Vec g = load_lanes(dy + o + c, lanes);
        for (int64_t y = w.y0; y < w.y1; y++) {
          for (int64_t xx = w.x0; xx < w.x1; xx++) {
            const Vec here = set1(static_cast<float>((y - w.y0) * width + (xx - w.x0)));
            float* d = dx + pixel(p, b, y, xx) + c;
            store_lanes(d, add(load_lanes(d, lanes), select(eq(at, here), g, zero())), lanes);
          }
        }
      });
    });
  });
}

void avg_pool(const float* x, float* out, const PoolInfo& p) {
  const double cost = static_cast<double>(p.out_w * p.k_h * p.k_w * p.channels);
  parallel_ranges(p.batch * p.out_h, cost, 1, [&](int64_t r0, int64_t r1) {
    for_each_output(p, r0, r1, [&](int64_t b, Window w, int64_t o) {
      const float count = static_cast<float>((w.y1 - w.y0) * (w.x1 - w.x0));
      for_channels(p.channels, [&](int64_t c, int64_t lanes) {
        Vec sum = zero();
        for (int64_t y = w.y0; y < w.y1; y++) {
          for (int64_t xx = w.x0; xx < w.x1; xx++) sum = add(sum, load_lanes(x + pixel(p, b, y, xx) + c, lanes));
        }
        store_lanes(out + o + c, count > 0 ? div(sum, set1(count)) : zero(), lanes);
      });
    });
  });
}

void avg_pool_grad(const float* dy, float* dx, const PoolInfo& p) {
  const double cost = static_cast<double>(p.out_h * p.out_w * p.k_h * p.k_w * p.channels + p.in_h * p.in_w * p.channels);
  parallel_ranges(p.batch, cost, 1, [&](int64_t b0, int64_t b1) {
    for_each_image_output(p, b0, b1, dx, [&](int64_t b, Window w, int64_t o) {
      const float count = static_cast<float>((w.y1 - w.y0) * (w.x1 - w.x0));
      if (count == 0) return;
      for_channels(p.channels, [&](int64_t c, int64_t lanes) {
        const Vec g = div(load_lanes(dy + o + c, lanes), set1(count));
        for (int64_t y = w.y0; y < w.y1; y++) {
          for (int64_t xx = w.x0; xx < w.x1; xx++) {
            float* d = dx + pixel(p, b, y, xx) + c;
            store_lanes(d, add(load_lanes(d, lanes), g), lanes);
          }
        }
      });
    });
  });
}

void max_pool2d(const MaxPool2dArgs& a) { max_pool(a.x, a.out, a.pool); }
void max_pool2d_grad(const MaxPool2dGradArgs& a) { max_pool_grad(a.x, a.dy, a.dx, a.pool); }
void avg_pool2d(const AvgPool2dArgs& a) { avg_pool(a.x, a.out, a.pool); }
void avg_pool2d_grad(const AvgPool2dGradArgs& a) { avg_pool_grad(a.dy, a.dx, a.pool); }

}  // namespace LW_ISA
}  // namespace lw
