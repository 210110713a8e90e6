#include "data/target_grid.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace planelab::data {

using geometry::ImagePlane;

ImagePlane resampledPlane(const ImagePlane& source, const TargetGrid& grid) {
  ImagePlane out;
  out.row_dir = source.row_dir;
  out.col_dir = source.col_dir;
  out.row_spacing_mm = grid.spacing_mm;
  out.col_spacing_mm = grid.spacing_mm;
  out.rows = grid.size;
  out.cols = grid.size;
  const double half = 0.5 * (grid.size - 1) * grid.spacing_mm;
  out.position_mm = source.centre() - source.row_dir * half - source.col_dir * half;
  return out;
}

namespace {

// The source samples and weights that one output coordinate reads along one axis.
struct Taps {
  std::array<int, 4> index{};
  std::array<double, 4> weight{};
  int count = 0;  // 0: the coordinate is outside the source pixel area (zero padding)
};

int clampIndex(long i, int n) {
  return static_cast<int>(std::clamp<long>(i, 0, n - 1));
}

Taps tapsAt(double x, int n, Interpolation interpolation) {
  Taps taps;
  if (n <= 0 || !(x >= -0.5) || !(x <= n - 0.5)) return taps;
  const double f = std::floor(x);
  const long i0 = static_cast<long>(f);
  const double t = x - f;
  switch (interpolation) {
    case Interpolation::kNearest:
      taps.count = 1;
      taps.index[0] = clampIndex(static_cast<long>(std::floor(x + 0.5)), n);
      taps.weight[0] = 1.0;
      break;
    case Interpolation::kLinear:
      taps.count = 2;
      taps.index = {clampIndex(i0, n), clampIndex(i0 + 1, n), 0, 0};
      taps.weight = {1.0 - t, t, 0.0, 0.0};
      break;
    case Interpolation::kCubic: {
      // Catmull-Rom (Keys, a = -0.5).
      const double t2 = t * t;
      const double t3 = t2 * t;
      taps.count = 4;
      taps.index = {clampIndex(i0 - 1, n), clampIndex(i0, n), clampIndex(i0 + 1, n),
                    clampIndex(i0 + 2, n)};
      taps.weight = {0.5 * (-t3 + 2.0 * t2 - t), 0.5 * (3.0 * t3 - 5.0 * t2 + 2.0),
                     0.5 * (-3.0 * t3 + 4.0 * t2 + t), 0.5 * (t3 - t2)};
      break;
    }
  }
  return taps;
}

}  // namespace

std::vector<float> resampleImage(const float* pixels, const ImagePlane& source,
                                 const TargetGrid& grid, Interpolation interpolation) {
  if (grid.size <= 0 || !(grid.spacing_mm > 0.0)) return {};
  const auto n = static_cast<std::size_t>(grid.size);
  std::vector<float> out(n * n, 0.0f);
  if (pixels == nullptr || source.rows <= 0 || source.cols <= 0) return out;

  // The output grid shares the source's axes, so the map is separable and affine per axis:
  // source index = source centre index + (output index - output centre index) * scale.
  const double centre_out = 0.5 * (grid.size - 1);
  const double row_scale = grid.spacing_mm / source.row_spacing_mm;
  const double col_scale = grid.spacing_mm / source.col_spacing_mm;
  const double row_centre = 0.5 * (source.rows - 1);
  const double col_centre = 0.5 * (source.cols - 1);

  std::vector<Taps> col_taps(n);
  for (std::size_t j = 0; j < n; ++j) {
    col_taps[j] = tapsAt(col_centre + (static_cast<double>(j) - centre_out) * col_scale,
                         source.cols, interpolation);
  }
  const auto src_cols = static_cast<std::size_t>(source.cols);
  std::vector<double> line(src_cols);
  for (std::size_t i = 0; i < n; ++i) {
    const Taps rt = tapsAt(row_centre + (static_cast<double>(i) - centre_out) * row_scale,
                           source.rows, interpolation);
    if (rt.count == 0) continue;
    // Interpolate down the columns first (one source row's worth), then along the row.
    std::fill(line.begin(), line.end(), 0.0);
    for (int a = 0; a < rt.count; ++a) {
      const float* src = pixels + static_cast<std::size_t>(rt.index[a]) * src_cols;
      const double w = rt.weight[a];
      for (std::size_t c = 0; c < src_cols; ++c) line[c] += w * static_cast<double>(src[c]);
    }
    float* dst = out.data() + i * n;
    for (std::size_t j = 0; j < n; ++j) {
      const Taps& ct = col_taps[j];
      double v = 0.0;
      for (int b = 0; b < ct.count; ++b) v += ct.weight[b] * line[ct.index[b]];
      dst[j] = static_cast<float>(v);
    }
  }
  return out;
}

}  // namespace planelab::data
