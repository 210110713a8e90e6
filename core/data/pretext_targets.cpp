#include "data/pretext_targets.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "geometry/intersection.h"

namespace planelab::data {

using geometry::ImagePlane;
using geometry::Vec3;

namespace {

bool finite(const Vec3& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}

std::size_t pixelCount(const ImagePlane& plane) {
  if (plane.rows <= 0 || plane.cols <= 0) return 0;
  return static_cast<std::size_t>(plane.rows) * static_cast<std::size_t>(plane.cols);
}

// Smallest value stored; anything below is written as 0 (float has no normal numbers below it).
constexpr double kSmallest = static_cast<double>(FLT_MIN);

// One row of the ridge: g(u) = exp(-k (f0 + a u)^2), u = 0 .. cols-1. Evaluated with one exp at the
// pixel nearest the peak and then by recurrence outwards: g(u+s) = g(u) h, h <- h exp(-2 k a^2),
// which is exact algebra (rounding error grows by ~1 ulp per step).
void fillRow(float* dst, int cols, double a, double f0, double k) {
  if (std::abs(a) < 1e-15) {
    const double g = std::exp(-k * f0 * f0);
    std::fill(dst, dst + cols, g < kSmallest ? 0.0f : static_cast<float>(g));
    return;
  }
  const double peak = -f0 / a;
  const int u0 = static_cast<int>(std::clamp(std::floor(peak + 0.5), 0.0, cols - 1.0));
  const double f = f0 + a * u0;
  const double g0 = std::exp(-k * f * f);
  if (g0 < kSmallest) {  // the row's largest value: the whole row is zero
    std::fill(dst, dst + cols, 0.0f);
    return;
  }
  dst[u0] = static_cast<float>(g0);
  const double ratio = std::exp(-2.0 * k * a * a);
  // Rightwards.
  double g = g0;
  double h = std::exp(-k * (2.0 * a * f + a * a));
  int u = u0 + 1;
  for (; u < cols; ++u) {
    g *= h;
    if (g < kSmallest) break;
    h *= ratio;
    dst[u] = static_cast<float>(g);
  }
  std::fill(dst + u, dst + cols, 0.0f);
  // Leftwards.
  g = g0;
  h = std::exp(-k * (-2.0 * a * f + a * a));
  u = u0 - 1;
  for (; u >= 0; --u) {
    g *= h;
    if (g < kSmallest) break;
    h *= ratio;
    dst[u] = static_cast<float>(g);
  }
  std::fill(dst, dst + (u + 1), 0.0f);
}

}  // namespace

std::optional<TraceLine> traceLine(const ImagePlane& target, const ImagePlane& other) {
  const Vec3 nt = target.normal();
  const Vec3 no = other.normal();
  const double sin_angle = geometry::norm(geometry::cross(nt, no));
  if (!(sin_angle >= std::sin(geometry::degToRad(geometry::kDefaultParallelGuardDeg)))) {
    return std::nullopt;
  }
  // Plane equation of `other` at the target pixel (row, col):
  // n_o . (IPP_t + col dc r_t + row dr c_t - IPP_o) = A col + B row + C.
  const double A = target.col_spacing_mm * geometry::dot(no, target.row_dir);
  const double B = target.row_spacing_mm * geometry::dot(no, target.col_dir);
  const double C = geometry::dot(no, target.position_mm - other.position_mm);
  const double len = std::hypot(A, B);
  if (!(len > 1e-12)) return std::nullopt;
  return TraceLine{A / len, B / len, C / len};
}

LineHeatmap lineHeatmap(const ImagePlane& target, const ImagePlane& other,
                        const HeatmapOptions& options) {
  LineHeatmap out;
  out.values.assign(pixelCount(target), 0.0f);
  if (!(options.sigma_px > 0.0) || !std::isfinite(options.sigma_px)) {
    out.flag = "invalid_sigma";
    return out;
  }
  if (!finite(target.position_mm) || !finite(target.row_dir) || !finite(target.col_dir) ||
      !finite(other.position_mm) || !finite(other.row_dir) || !finite(other.col_dir) ||
      !std::isfinite(target.row_spacing_mm) || !std::isfinite(target.col_spacing_mm)) {
    out.flag = "invalid_geometry";
    return out;
  }
  const auto line = traceLine(target, other);
  if (!line) {
    out.flag = "planes_parallel";
    return out;
  }
  const double a = line->a;
  const double b = line->b;
  const double c = line->c;
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(c)) {
    out.flag = "invalid_geometry";
    return out;
  }
  // Does the line cross the pixel area? Not if it has one strict sign at all four corners.
  const double u_hi = target.cols - 0.5;
  const double v_hi = target.rows - 0.5;
  const double corners[4] = {a * -0.5 + b * -0.5 + c, a * u_hi + b * -0.5 + c,
                             a * -0.5 + b * v_hi + c, a * u_hi + b * v_hi + c};
  const bool all_pos = std::all_of(corners, corners + 4, [](double v) { return v > 0.0; });
  const bool all_neg = std::all_of(corners, corners + 4, [](double v) { return v < 0.0; });
  if (all_pos || all_neg || out.values.empty()) {
    out.flag = "line_misses_crop";
    return out;
  }
  const double k = 1.0 / (2.0 * options.sigma_px * options.sigma_px);
  const auto cols = static_cast<std::size_t>(target.cols);
  for (int v = 0; v < target.rows; ++v) {
    fillRow(out.values.data() + static_cast<std::size_t>(v) * cols, target.cols, a, b * v + c, k);
  }
  return out;
}

std::vector<LineHeatmap> lineHeatmaps(const ImagePlane& target,
                                      const std::vector<const ImagePlane*>& others,
                                      const HeatmapOptions& options) {
  std::vector<LineHeatmap> out;
  out.reserve(others.size());
  for (const ImagePlane* other : others) {
    if (other == nullptr) {
      LineHeatmap missing;
      missing.values.assign(pixelCount(target), 0.0f);
      missing.flag = "view_missing";
      out.push_back(std::move(missing));
    } else {
      out.push_back(lineHeatmap(target, *other, options));
    }
  }
  return out;
}

std::optional<LocationMode> parseLocationMode(const std::string& text) {
  if (text == "paper") return LocationMode::kPaper;
  if (text == "anatomical") return LocationMode::kAnatomical;
  return std::nullopt;
}

std::string locationModeName(LocationMode mode) {
  return mode == LocationMode::kPaper ? "paper" : "anatomical";
}

std::vector<double> relativeSliceLocations(const std::vector<ImagePlane>& stack, LocationMode mode,
                                           const Vec3& anatomical_direction,
                                           std::string* error_key) {
  const auto fail = [&](const char* key) {
    if (error_key != nullptr) *error_key = key;
    return std::vector<double>{};
  };
  Vec3 d;
  if (mode == LocationMode::kAnatomical) {
    const double len = geometry::norm(anatomical_direction);
    if (!finite(anatomical_direction) || !(len > 1e-12) || !std::isfinite(len)) {
      return fail("invalid_direction");
    }
    d = anatomical_direction / len;
  }
  std::vector<double> s;
  s.reserve(stack.size());
  for (const ImagePlane& plane : stack) {
    if (!finite(plane.position_mm) || !finite(plane.row_dir) || !finite(plane.col_dir)) {
      return fail("invalid_geometry");
    }
    double value = 0.0;
    if (mode == LocationMode::kPaper) {
      const Vec3 n = geometry::cross(plane.row_dir, plane.col_dir);
      const double len = geometry::norm(n);
      if (!(len > 1e-12)) return fail("invalid_geometry");
      value = -geometry::dot(n / len, plane.position_mm);
    } else {
      value = geometry::dot(d, plane.position_mm);
    }
    if (!std::isfinite(value)) return fail("invalid_geometry");
    s.push_back(value);
  }
  if (s.size() < 2) return fail("single_slice_stack");
  const auto [lo, hi] = std::minmax_element(s.begin(), s.end());
  const double min = *lo;
  const double range = *hi - *lo;
  if (!(range >= 1e-6)) return fail("single_slice_stack");
  for (double& v : s) v = std::clamp((v - min) / range, 0.0, 1.0);
  if (error_key != nullptr) error_key->clear();
  return s;
}

}  // namespace planelab::data
