// 2-D convolution (NHWC, filters [kH, kW, inC, outC]) and its two gradients, all on the GEMM engine:
//   forward:         out[pixel, oc]     = patches[pixel, (tap, ic)] * filter[(tap, ic), oc]
//   input gradient:  cols[pixel, (tap, ic)] = dy[pixel, oc] * filter^T, then added back into dx (col2im),
//                    which does no work on padding and handles every stride alike;
//   filter gradient: a reduction over pixels, cut into chunks whose partial filters are summed in order.
#pragma once
#include "conv-direct.h"
#include "gemm.h"
#include "patches.h"
#include "support.h"

namespace lw {
namespace LW_ISA {

void conv2d(const Conv2dArgs& args) {
  const float *x = args.x, *filter = args.filter;
  float* out = args.out;
  const ConvInfo& c = args.conv;
  Epilogue storage;
  const Epilogue* epilogue = epilogue_of(args, &storage);
  if (conv_is_direct(c)) return conv2d_direct(x, filter, out, c, epilogue);
  const int64_t pixels = c.batch * c.out_h * c.out_w, patch = c.k_h * c.k_w * c.in_c;
  gemm(PatchRows{input_patches(x, c), 0}, MatrixB{{filter, c.out_c, 1}}, pixels, c.out_c, patch, out, c.out_c, epilogue);
}

LW_INLINE void add_run(float* dst, const float* src, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) store(dst + i, add(load(dst + i), load(src + i)));
  if (i < n) store_partial(dst + i, add(load_partial(dst + i, n - i), load_partial(src + i, n - i)), n - i);
}

// col2im: adds `count` rows of `cols`, the patches of output pixels from `first` on, back into dx.
// Without horizontal dilation, a filter row whose taps all land inside the image is one run of kW*inC
// floats.
void add_columns(const float* cols, float* dx, const ConvInfo& c, const Patches& g, int64_t first, int64_t count) {
  const int64_t span = c.k_w * c.in_c;
  const float* col = cols;
  Pixel px = g.pixel(first);
  for (int64_t r = 0; r < count; r++, g.next(px)) {
    const int64_t x0 = px.ox * c.stride_w - c.pad_left;
    const bool whole_rows = c.dilation_w == 1 && x0 >= 0 && x0 + c.k_w <= c.in_w;
    for (int64_t ky = 0; ky < c.k_h; ky++, col += span) {
      const int64_t y = px.oy * c.stride_h - c.pad_top + ky * c.dilation_h;
      if (y < 0 || y >= c.in_h) continue;
      float* image_row = dx + (px.b * c.in_h + y) * c.in_w * c.in_c;
      if (whole_rows) {
        add_run(image_row + x0 * c.in_c, col, span);
        continue;
      }
      for (int64_t kx = 0; kx < c.k_w; kx++) {
        const int64_t x = x0 + kx * c.dilation_w;
        if (x >= 0 && x < c.in_w) add_run(image_row + x * c.in_c, col + kx * c.in_c, c.in_c);
      }
    }
  }
}

// Rows of columns computed at a time: enough for full micro-tiles, few enough to stay in L2.
constexpr int64_t kColumnChunkFloats = 128 * 1024;

void conv2d_backprop_input(const Conv2dBackpropInputArgs& args) {
  const float *dy = args.dy, *filter = args.filter;
  float* dx = args.dx;
  const ConvInfo& c = args.conv;
  const int64_t image = c.in_h * c.in_w * c.in_c, grid = c.out_h * c.out_w, patch = c.k_h * c.k_w * c.in_c;
  if (grid == 0 || patch == 0 || c.out_c == 0) {
    std::memset(dx, 0, static_cast<size_t>(c.batch * image) * sizeof(float));
    return;
  }
  // filter^T as a row-major [outC, kH*kW*inC] matrix, shared by every task.
  float* filter_t = scratch(3, static_cast<size_t>(c.out_c * patch));
  for (int64_t r = 0; r < patch; r++) {
    for (int64_t oc = 0; oc < c.out_c; oc++) filter_t[oc * patch + r] = filter[r * c.out_c + oc];
  }
  const Patches g = input_patches(nullptr, c);  // only steps through output pixels
  const int64_t max_rows = imax(4 * MR, kColumnChunkFloats / patch);
  // Tasks own whole images, whose dx no other task touches. Their size never changes the arithmetic
  // (each image's columns are added in the same order), so it can follow the thread count.
  const int64_t per_task =
      imax(1, imin(max_rows / grid, ceil_div(c.batch, kPartsPerThread * static_cast<int64_t>(thread_count()))));
  const int64_t tasks = ceil_div(c.batch, per_task);
  auto task = [&](int64_t q) {
    const int64_t b0 = q * per_task, b1 = imin(c.batch, b0 + per_task);
    std::memset(dx + b0 * image, 0, static_cast<size_t>((b1 - b0) * image) * sizeof(float));
    const int64_t end = b1 * grid;
    for (int64_t first = b0 * grid; first < end; first += max_rows) {
      const int64_t rows = imin(max_rows, end - first);
      float* cols = scratch(2, static_cast<size_t>(rows * patch));
      gemm_tile(MatrixA{{dy + first * c.out_c, c.out_c, 1}}, MatrixB{{filter_t, patch, 1}}, 0, rows, 0, patch, c.out_c,
                cols, patch, nullptr);
      add_columns(cols, dx, c, g, first, rows);
    }
  };
  if (parts_for(2.0 * static_cast<double>(c.batch * grid * patch * c.out_c), 2) > 1) {
    run_tasks(tasks, task);
  } else {
    for (int64_t q = 0; q < tasks; q++) task(q);
  }
}

// At most this many chunks for a filter gradient, each at least this many pixels (a long enough
// reduction for the micro-kernel), and at most this much memory for their partial sums.
constexpr int64_t kMaxFilterChunks = 16;
constexpr int64_t kMinChunkPixels = 256;
constexpr int64_t kMaxPartialFloats = 4 * 1024 * 1024;

// sum[i] += parts[p * size + i] for p in [1, count): partial results added in chunk order.
void add_partials(float* sum, int64_t count, int64_t size) {
  for (int64_t p = 1; p < count; p++) {
    const float* part = sum + p * size;
    int64_t i = 0;
    for (; i + W <= size; i += W) store(sum + i, add(load(sum + i), load(part + i)));
    for (; i < size; i++) sum[i] += part[i];
  }
}

void conv2d_backprop_filter(const Conv2dBackpropFilterArgs& args) {
  const float *x = args.x, *dy = args.dy;
  float* dfilter = args.d_filter;
  const ConvInfo& c = args.conv;
  const int64_t pixels = c.batch * c.out_h * c.out_w, patch = c.k_h * c.k_w * c.in_c, n = c.out_c;
  const int64_t size = patch * n;
  if (size == 0) return;
  if (pixels == 0) {
    std::memset(dfilter, 0, static_cast<size_t>(size) * sizeof(float));
    return;
  }
  const double work = 2.0 * static_cast<double>(pixels) * static_cast<double>(size);
  const int64_t chunks =
      floor_pow2(imax(1, imin(imin(parts_for(work, kMaxFilterChunks), kMaxPartialFloats / size), pixels / kMinChunkPixels)));
  // A short patch: summed directly. Few channels: pack rows (tap, channel) of the transposed patch matrix,
  // which are strided copies of the image, and use dy as B. Otherwise pack channel runs of patches as B
  // and dy^T as A, producing dF^T.
  const bool direct = conv_is_direct(c), by_rows = c.in_c < 4;
  const DirectWindows windows = direct ? direct_windows(x, c) : DirectWindows{};
  const Patches patches = input_patches(x, c);
  float* partial = by_rows && chunks == 1 ? dfilter : scratch(3, static_cast<size_t>(chunks * size));
  auto task = [&](int64_t t) {
    const int64_t p0 = pixels * t / chunks, p1 = pixels * (t + 1) / chunks;
    float* out = partial + t * size;
    if (direct) {
      filter_gradient_direct(windows, dy, out, p0, p1);
    } else if (by_rows) {
      gemm_tile(PatchColumns{patches, p0}, MatrixB{{dy + p0 * n, n, 1}}, 0, patch, 0, n, p1 - p0, out, n, nullptr);
    } else {
      gemm_tile(MatrixA{{dy + p0 * n, 1, n}}, PatchPanels{patches, p0}, 0, n, 0, patch, p1 - p0, out, patch, nullptr);
    }
  };
  run_tasks(chunks, task);
  add_partials(partial, chunks, size);
  if (by_rows) {
    if (partial != dfilter) std::memcpy(dfilter, partial, static_cast<size_t>(size) * sizeof(float));
    return;
  }
  for (int64_t r = 0; r < patch; r++) {
    for (int64_t oc = 0; oc < n; oc++) dfilter[r * n + oc] = partial[oc * patch + r];
  }
}

}  // namespace LW_ISA
}  // namespace lw
