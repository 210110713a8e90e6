#include "data/preprocess.h"

#include <algorithm>
#include <cmath>

#include "data/target_grid.h"

namespace planelab::data {
namespace {

// Value at fraction q (0..1) of the values (linear between order statistics, as numpy).
float quantile(std::vector<float>& values, double q) {
  if (values.empty()) return 0.0f;
  const double position = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(position));
  const auto hi = std::min(lo + 1, values.size() - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const float a = values[lo];
  float b = a;
  if (hi != lo)
    b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
  return static_cast<float>(a + (b - a) * (position - static_cast<double>(lo)));
}

}  // namespace

std::vector<float> preprocessImage(const std::vector<float>& pixels,
                                   const geometry::ImagePlane& source,
                                   const PreprocessingPlan& plan) {
  if (plan.normalisation == Normalisation::kPercentile) {
    // Clip to the source's [0.5, 99.5] percentiles, resample, scale to [0, 1] (clamped: cubic
    // interpolation may overshoot).
    std::vector<float> sorted = pixels;
    const float lo = quantile(sorted, 0.005);
    const float hi = quantile(sorted, 0.995);
    std::vector<float> clipped = pixels;
    for (float& v : clipped) v = std::clamp(v, lo, hi);
    std::vector<float> out = resampleImage(clipped.data(), source, plan.grid, plan.interpolation);
    const float range = hi - lo;
    for (float& v : out) v = range > 0.0f ? std::clamp((v - lo) / range, 0.0f, 1.0f) : 0.0f;
    return out;
  }
  std::vector<float> out = resampleImage(pixels.data(), source, plan.grid, plan.interpolation);
  // z-score over the resampled image (padding included), in double.
  double sum = 0.0;
  for (const float v : out) sum += v;
  const double mean = out.empty() ? 0.0 : sum / static_cast<double>(out.size());
  double squares = 0.0;
  for (const float v : out) squares += (v - mean) * (v - mean);
  const double sd = out.empty() ? 0.0 : std::sqrt(squares / static_cast<double>(out.size()));
  const double scale = sd < 1e-6 ? 1.0 : 1.0 / sd;  // a flat image is only centred
  for (float& v : out) v = static_cast<float>((v - mean) * scale);
  return out;
}

}  // namespace planelab::data
