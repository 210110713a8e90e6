#include "data/pretext_targets.h"

#include <algorithm>
#include <cmath>

#include "geometry/intersection.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Values below exp(-kCutoff) ~ 1.65e-38 are stored as 0: float has no normal numbers below
// FLT_MIN ~ 1.18e-38, and the band |d| < sqrt(kCutoff / k) then holds only normal floats.
constexpr double kCutoff = 87.0;

// Independent recurrences filled side by side: breaks the dependency chain of one recurrence and
// maps onto SSE2 (four registers of two doubles) on x86-64; plain C++ elsewhere.
constexpr int kLanes = 8;

// Per heatmap: the line, k = 1 / (2 sigma^2), the band half-width and the recurrence ratios,
// which depend only on the step a along a row.
struct Ridge {
  double a = 0.0;
  double inv_a = 0.0;
  double k = 0.0;
  double band = 0.0;  // |d| < band: value above exp(-kCutoff)
  double c1 = 0.0;    // exp(-k a^2)
  double cL = 0.0;    // exp(-k L^2 a^2)
  double r = 0.0;     // exp(-2 k a^2): ratio of consecutive one-step factors
  double q = 0.0;     // exp(-2 k L a^2): ratio of the lanes' first L-step factors
  double R = 0.0;     // exp(-2 k L^2 a^2): ratio of consecutive L-step factors of one lane
};

Ridge makeRidge(double a, double k) {
  const double L = kLanes;
  return {a,
          1.0 / a,
          k,
          std::sqrt(kCutoff / k),
          std::exp(-k * a * a),
          std::exp(-k * L * L * a * a),
          std::exp(-2.0 * k * a * a),
          std::exp(-2.0 * k * L * a * a),
          std::exp(-2.0 * k * L * L * a * a)};
}

// One row: row[u] = exp(-k d(u)^2) with d(u) = f0 + a u, u = 0 .. cols-1. Outside the band the
// row is 0. Inside, one exp at the band's first pixel and exact-algebra recurrences from there:
// g(u+1) = g(u) h(u), h(u) = exp(-k (2 a d(u) + a^2)), h(u+1) = h(u) r for the first L values;
// then lane l holds u = lo + l + L j with g(u+L) = g(u) F(u), F(u+L) = F(u) R. Rounding error
// grows by about one ulp per step (about cols / L steps per lane), relative to the value.
void fillRow(float* row, int cols, double f0, const Ridge& rg) {
  const double a = rg.a;
  const double k = rg.k;
  if (std::abs(a) < 1e-12) {  // line (nearly) parallel to the rows: a constant row
    const double g = k * f0 * f0 < kCutoff ? std::exp(-k * f0 * f0) : 0.0;
    std::fill(row, row + cols, static_cast<float>(g));
    return;
  }
  // Band of u with |f0 + a u| < band, clipped to the row.
  const double u1 = (-rg.band - f0) * rg.inv_a;
  const double u2 = (rg.band - f0) * rg.inv_a;
  const double lo_d = std::ceil(std::min(u1, u2));
  const double hi_d = std::floor(std::max(u1, u2));
  if (hi_d < 0.0 || lo_d > cols - 1.0 || lo_d > hi_d) {
    std::fill(row, row + cols, 0.0f);
    return;
  }
  const int lo = static_cast<int>(std::max(lo_d, 0.0));
  const int hi = static_cast<int>(std::min(hi_d, cols - 1.0));
  std::fill(row, row + lo, 0.0f);
  std::fill(row + hi + 1, row + cols, 0.0f);
  const int n = hi - lo + 1;
  const double f = f0 + a * lo;
  if (n < 4 * kLanes) {  // narrow band (steep line or small sigma): direct evaluation
    for (int i = 0; i < n; ++i) {
      const double d = f + a * i;
      row[lo + i] = static_cast<float>(std::exp(-k * d * d));
    }
    return;
  }
  // n >= 4L implies |a| <= 2 band / (4L - 1), so |2 k L a d| <= 1.04 k band^2 = 1.04 kCutoff:
  // no factor comes near overflow (narrower bands took the direct path above).
  double g[kLanes];
  double F[kLanes];
  // h(lo) = E exp(-k a^2) and F(lo) = E^L exp(-k L^2 a^2) with E = exp(-2 k a d(lo)).
  static_assert(kLanes == 8, "E^L is computed by three squarings");
  const double E = std::exp(-2.0 * k * a * f);
  const double E2 = E * E;
  const double E4 = E2 * E2;
  g[0] = std::exp(-k * f * f);
  double h = E * rg.c1;
  for (int l = 1; l < kLanes; ++l) {
    g[l] = g[l - 1] * h;
    h *= rg.r;
  }
  F[0] = E4 * E4 * rg.cL;
  for (int l = 1; l < kLanes; ++l) F[l] = F[l - 1] * rg.q;
  float* out = row + lo;
  int i = 0;
#if defined(__SSE2__)
  __m128d g01 = _mm_set_pd(g[1], g[0]);
  __m128d g23 = _mm_set_pd(g[3], g[2]);
  __m128d g45 = _mm_set_pd(g[5], g[4]);
  __m128d g67 = _mm_set_pd(g[7], g[6]);
  __m128d F01 = _mm_set_pd(F[1], F[0]);
  __m128d F23 = _mm_set_pd(F[3], F[2]);
  __m128d F45 = _mm_set_pd(F[5], F[4]);
  __m128d F67 = _mm_set_pd(F[7], F[6]);
  const __m128d R = _mm_set1_pd(rg.R);
  for (; i + kLanes <= n; i += kLanes) {
    _mm_storeu_ps(out + i, _mm_movelh_ps(_mm_cvtpd_ps(g01), _mm_cvtpd_ps(g23)));
    _mm_storeu_ps(out + i + 4, _mm_movelh_ps(_mm_cvtpd_ps(g45), _mm_cvtpd_ps(g67)));
    g01 = _mm_mul_pd(g01, F01);
    g23 = _mm_mul_pd(g23, F23);
    g45 = _mm_mul_pd(g45, F45);
    g67 = _mm_mul_pd(g67, F67);
    F01 = _mm_mul_pd(F01, R);
    F23 = _mm_mul_pd(F23, R);
    F45 = _mm_mul_pd(F45, R);
    F67 = _mm_mul_pd(F67, R);
  }
  _mm_storeu_pd(g, g01);
  _mm_storeu_pd(g + 2, g23);
  _mm_storeu_pd(g + 4, g45);
  _mm_storeu_pd(g + 6, g67);
#else
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) out[i + l] = static_cast<float>(g[l]);
    for (int l = 0; l < kLanes; ++l) g[l] *= F[l];
    for (int l = 0; l < kLanes; ++l) F[l] *= rg.R;
  }
#endif
  for (int l = 0; i + l < n; ++l) out[i + l] = static_cast<float>(g[l]);
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

std::string lineHeatmapInto(const ImagePlane& target, const ImagePlane& other,
                            const HeatmapOptions& options, float* out) {
  const std::size_t n = pixelCount(target);
  const auto zeros = [&](const char* flag) {
    if (out != nullptr) std::fill(out, out + n, 0.0f);
    return std::string(flag);
  };
  if (!(options.sigma_px > 0.0) || !std::isfinite(options.sigma_px)) return zeros("invalid_sigma");
  if (!finite(target.position_mm) || !finite(target.row_dir) || !finite(target.col_dir) ||
      !finite(other.position_mm) || !finite(other.row_dir) || !finite(other.col_dir) ||
      !std::isfinite(target.row_spacing_mm) || !std::isfinite(target.col_spacing_mm)) {
    return zeros("invalid_geometry");
  }
  const auto line = traceLine(target, other);
  if (!line) return zeros("planes_parallel");
  const double a = line->a;
  const double b = line->b;
  const double c = line->c;
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(c)) {
    return zeros("invalid_geometry");
  }
  // Does the line cross the pixel area? Not if it has one strict sign at all four corners.
  const double u_hi = target.cols - 0.5;
  const double v_hi = target.rows - 0.5;
  const double corners[4] = {a * -0.5 + b * -0.5 + c, a * u_hi + b * -0.5 + c,
                             a * -0.5 + b * v_hi + c, a * u_hi + b * v_hi + c};
  const bool all_pos = std::all_of(corners, corners + 4, [](double v) { return v > 0.0; });
  const bool all_neg = std::all_of(corners, corners + 4, [](double v) { return v < 0.0; });
  if (all_pos || all_neg || n == 0) return zeros("line_misses_crop");
  if (out == nullptr) return {};
  const Ridge ridge = makeRidge(a, 1.0 / (2.0 * options.sigma_px * options.sigma_px));
  const auto cols = static_cast<std::size_t>(target.cols);
  for (int v = 0; v < target.rows; ++v) {
    fillRow(out + static_cast<std::size_t>(v) * cols, target.cols, b * v + c, ridge);
  }
  return {};
}

LineHeatmap lineHeatmap(const ImagePlane& target, const ImagePlane& other,
                        const HeatmapOptions& options) {
  LineHeatmap out;
  out.values.resize(pixelCount(target));
  out.flag = lineHeatmapInto(target, other, options, out.values.data());
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
