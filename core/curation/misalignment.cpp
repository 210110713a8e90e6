// Breath-hold misalignment: where two planes cross, both images show the same anatomy along the
// shared segment, unless the organs moved between their breath-holds. For each crossing we
// compare the two intensity profiles (normalised cross-correlation, NCC), and search the small
// displacement that makes them agree best; per plane, the displacements against all its
// crossings are combined by least squares into one estimate in mm.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

#include "curation/curation_steps.h"
#include "geometry/stack_order.h"

namespace planelab::curation {
namespace {

using geometry::Vec3;

constexpr double kStepMm = 1.0;             // sampling step along the crossing
constexpr double kAlongStepMm = 2.0;        // search step along the crossing
constexpr double kMinSegmentMm = 20.0;      // shorter shared segments are not scored
constexpr double kMinCrossingAngle = 30.0;  // flatter crossings smear the profiles
constexpr double kMinPeakNcc = 0.3;         // below: no trustworthy match, crossing ignored
constexpr double kMinValidFraction = 0.7;   // of the samples, inside both images
// Along the crossing the profiles constrain the displacement less; weight of that component.
constexpr double kAlongWeight = 0.5;

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// Bilinear sample at continuous pixel coordinates; NaN outside the pixel-centre rectangle.
float sample(const PixelData& image, double row, double col) {
  if (!(row >= 0.0 && col >= 0.0 && row <= image.rows - 1 && col <= image.cols - 1)) return kNaN;
  const int r0 = std::min(static_cast<int>(row), image.rows - 2 < 0 ? 0 : image.rows - 2);
  const int c0 = std::min(static_cast<int>(col), image.cols - 2 < 0 ? 0 : image.cols - 2);
  const double fr = row - r0, fc = col - c0;
  const auto at = [&](int r, int c) {
    r = std::min(r, image.rows - 1);
    c = std::min(c, image.cols - 1);
    return static_cast<double>(image.values[static_cast<std::size_t>(r) * image.cols + c]);
  };
  const double top = at(r0, c0) * (1.0 - fc) + at(r0, c0 + 1) * fc;
  const double bottom = at(r0 + 1, c0) * (1.0 - fc) + at(r0 + 1, c0 + 1) * fc;
  return static_cast<float>(top * (1.0 - fr) + bottom * fr);
}

// NCC of two profiles over the samples valid in both; NaN when too few are.
double ncc(const float* a, const float* b, std::size_t n, std::size_t min_valid) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = a[i], y = b[i];
    if (std::isnan(x) || std::isnan(y)) continue;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
    ++k;
  }
  if (k < min_valid || k < 3) return std::numeric_limits<double>::quiet_NaN();
  const double kn = static_cast<double>(k);
  const double va = saa - sa * sa / kn, vb = sbb - sb * sb / kn;
  if (va <= 1e-12 || vb <= 1e-12) return std::numeric_limits<double>::quiet_NaN();
  return (sab - sa * sb / kn) / std::sqrt(va * vb);
}

// Parameter along `line` of the ends of plane's trace clipped to its image.
bool traceInterval(const geometry::ImagePlane& image, const geometry::ImagePlane& other,
                   const geometry::Line3& line, double& t0, double& t1) {
  const auto segment = geometry::referenceLine(image, other);
  if (!segment) return false;
  const double a = geometry::dot(image.toPatient(segment->start) - line.point_mm, line.direction);
  const double b = geometry::dot(image.toPatient(segment->end) - line.point_mm, line.direction);
  t0 = std::min(a, b);
  t1 = std::max(a, b);
  return true;
}

struct PairResult {
  int a = -1, b = -1;
  Vec3 u;             // crossing direction
  Vec3 displacement;  // d_a - d_b (mm): how far a's anatomy sits from b's
  double ncc0 = 0.0;  // agreement as acquired
  double peak = 0.0;  // agreement after the best displacement
};

class PlanePixels {
 public:
  PlanePixels(const StudyCuration& study, PixelSource& source, int phases)
      : study_(study), source_(source), phases_(phases) {}

  // The images compared for plane p: `phases` phases spread evenly over its cycle.
  const std::vector<PixelData>* get(int p) {
    auto it = cache_.find(p);
    if (it != cache_.end()) return it->second.empty() ? nullptr : &it->second;
    std::vector<PixelData> loaded;
    const Plane& plane = study_.planes[static_cast<std::size_t>(p)];
    const int n = static_cast<int>(plane.images.size());
    const int k = std::max(1, std::min(phases_, n));
    for (int j = 0; j < k; ++j) {
      const PlaneImage& image = plane.images[static_cast<std::size_t>(j * n / k)];
      std::optional<PixelData> data = source_.load(image);
      if (!data || data->rows != plane.geometry.rows || data->cols != plane.geometry.cols) {
        loaded.clear();
        break;
      }
      loaded.push_back(std::move(*data));
    }
    it = cache_.emplace(p, std::move(loaded)).first;
    return it->second.empty() ? nullptr : &it->second;
  }

 private:
  const StudyCuration& study_;
  PixelSource& source_;
  int phases_;
  std::map<int, std::vector<PixelData>> cache_;
};

std::optional<PairResult> scorePair(const StudyCuration& study, int ia, int ib, PlanePixels& pixels,
                                    const Options& options) {
  const geometry::ImagePlane& A = study.planes[static_cast<std::size_t>(ia)].geometry;
  const geometry::ImagePlane& B = study.planes[static_cast<std::size_t>(ib)].geometry;
  const auto line = geometry::intersectPlanes(A, B);
  if (!line) return std::nullopt;
  double a0, a1, b0, b1;
  if (!traceInterval(A, B, *line, a0, a1) || !traceInterval(B, A, *line, b0, b1)) {
    return std::nullopt;
  }
  const double t0 = std::max(a0, b0), t1 = std::min(a1, b1);
  if (t1 - t0 < kMinSegmentMm) return std::nullopt;
  const std::vector<PixelData>* pa = pixels.get(ia);
  const std::vector<PixelData>* pb = pixels.get(ib);
  if (pa == nullptr || pb == nullptr) return std::nullopt;
  const std::size_t phases = std::min(pa->size(), pb->size());

  const Vec3 u = line->direction;
  const Vec3 across_a = geometry::normalized(geometry::cross(u, A.normal()));
  const Vec3 across_b = geometry::normalized(geometry::cross(u, B.normal()));
  const int s = static_cast<int>(std::floor(options.misalignment_search_mm / kStepMm));
  const int along = static_cast<int>(std::floor(options.misalignment_search_mm / kAlongStepMm));
  const int along_step = static_cast<int>(std::lround(kAlongStepMm / kStepMm));
  const std::size_t n = static_cast<std::size_t>(std::floor((t1 - t0) / kStepMm)) + 1;
  const std::size_t pad = static_cast<std::size_t>(along * along_step);
  const std::size_t n_ext = n + 2 * pad;
  const std::size_t n_shift = static_cast<std::size_t>(2 * s + 1);

  // Profiles: A shifted across by alpha over the extended range (the along shift is an offset
  // into it), B shifted across by beta; per phase.
  const auto profile = [&](const geometry::ImagePlane& plane, const PixelData& image,
                           const Vec3& across, double shift, double start, std::size_t count,
                           float* out) {
    const Vec3 origin = line->point_mm + u * start + across * shift;
    const geometry::PixelCoord p0 = plane.toPixel(origin).pixel;
    const geometry::PixelCoord p1 = plane.toPixel(origin + u * kStepMm).pixel;
    const double dr = p1.row - p0.row, dc = p1.col - p0.col;
    for (std::size_t i = 0; i < count; ++i) {
      out[i] =
          sample(image, p0.row + dr * static_cast<double>(i), p0.col + dc * static_cast<double>(i));
    }
  };
  std::vector<float> prof_a(phases * n_shift * n_ext), prof_b(phases * n_shift * n);
  for (std::size_t ph = 0; ph < phases; ++ph) {
    for (int k = -s; k <= s; ++k) {
      const std::size_t ks = static_cast<std::size_t>(k + s);
      profile(A, (*pa)[ph], across_a, k * kStepMm, t0 - static_cast<double>(pad) * kStepMm, n_ext,
              &prof_a[(ph * n_shift + ks) * n_ext]);
      profile(B, (*pb)[ph], across_b, k * kStepMm, t0, n, &prof_b[(ph * n_shift + ks) * n]);
    }
  }
  const std::size_t min_valid =
      static_cast<std::size_t>(kMinValidFraction * static_cast<double>(n));
  const auto score = [&](int alpha, int beta, int tau) {
    double sum = 0.0;
    int count = 0;
    for (std::size_t ph = 0; ph < phases; ++ph) {
      const float* a = &prof_a[(ph * n_shift + static_cast<std::size_t>(alpha + s)) * n_ext +
                               static_cast<std::size_t>(static_cast<long>(pad) + tau * along_step)];
      const float* b = &prof_b[(ph * n_shift + static_cast<std::size_t>(beta + s)) * n];
      const double c = ncc(a, b, n, min_valid);
      if (std::isnan(c)) continue;
      sum += c;
      ++count;
    }
    return count == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / count;
  };
  PairResult result;
  result.a = ia;
  result.b = ib;
  result.u = u;
  result.ncc0 = score(0, 0, 0);
  if (std::isnan(result.ncc0)) return std::nullopt;
  double best = -2.0;
  int best_alpha = 0, best_beta = 0, best_tau = 0;
  for (int tau = -along; tau <= along; ++tau) {
    for (int alpha = -s; alpha <= s; ++alpha) {
      for (int beta = -s; beta <= s; ++beta) {
        const double c = score(alpha, beta, tau);
        // Ties go to the smallest displacement (the search visits it in no special order).
        const int size = alpha * alpha + beta * beta + tau * tau;
        const int best_size = best_alpha * best_alpha + best_beta * best_beta + best_tau * best_tau;
        if (c > best + 1e-9 || (std::abs(c - best) <= 1e-9 && size < best_size)) {
          best = c;
          best_alpha = alpha;
          best_beta = beta;
          best_tau = tau;
        }
      }
    }
  }
  result.peak = best;
  // d_a - d_b = alpha * across_a + tau * u - beta * across_b (see the file comment's model:
  // image a at y shows the anatomy at y - d_a).
  result.displacement = across_a * (best_alpha * kStepMm) + u * (best_tau * kAlongStepMm) -
                        across_b * (best_beta * kStepMm);
  return result;
}

// Solves the symmetric 3x3 system m x = b (Cramer's rule); m is well conditioned by construction.
Vec3 solve3(const std::array<std::array<double, 3>, 3>& m, const Vec3& b) {
  const auto det3 = [](const std::array<std::array<double, 3>, 3>& x) {
    return x[0][0] * (x[1][1] * x[2][2] - x[1][2] * x[2][1]) -
           x[0][1] * (x[1][0] * x[2][2] - x[1][2] * x[2][0]) +
           x[0][2] * (x[1][0] * x[2][1] - x[1][1] * x[2][0]);
  };
  const double d = det3(m);
  const double rhs[3] = {b.x, b.y, b.z};
  double out[3];
  for (int c = 0; c < 3; ++c) {
    auto mc = m;
    for (int r = 0; r < 3; ++r)
      mc[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = rhs[r];
    out[c] = det3(mc) / d;
  }
  return {out[0], out[1], out[2]};
}

}  // namespace

void scoreMisalignment(StudyCuration& study, const Options& options, PixelSource& source) {
  PlanePixels pixels(study, source, options.misalignment_phases);
  std::vector<PairResult> pairs;
  const std::size_t n = study.planes.size();
  for (std::size_t a = 0; a < n; ++a) {
    const Plane& pa = study.planes[a];
    const SeriesInfo& sa = study.series[static_cast<std::size_t>(pa.series)];
    if (sa.localizer || !pa.kept) continue;
    for (std::size_t b = a + 1; b < n; ++b) {
      const Plane& pb = study.planes[b];
      const SeriesInfo& sb = study.series[static_cast<std::size_t>(pb.series)];
      if (sb.localizer || !pb.kept || sb.group != sa.group) continue;
      if (geometry::angleBetweenPlanesDeg(pa.geometry, pb.geometry) < kMinCrossingAngle) continue;
      if (auto r = scorePair(study, static_cast<int>(a), static_cast<int>(b), pixels, options)) {
        pairs.push_back(*r);
      }
    }
  }
  // Store the as-acquired agreement on both directions of the crossing (pairs are scored with
  // a < b).
  std::map<std::pair<int, int>, double> ncc0;
  for (const PairResult& r : pairs) ncc0[{r.a, r.b}] = r.ncc0;
  for (Intersection& x : study.intersections) {
    const auto it = ncc0.find({std::min(x.plane, x.other), std::max(x.plane, x.other)});
    if (it != ncc0.end()) x.profile_ncc = it->second;
  }
  // Per plane: d minimising sum_i |W_i (d - e_i)|^2, W_i = I - (1 - w) u u^T (the along-line
  // component weighted by w), e_i = the measured displacement against crossing i.
  for (std::size_t p = 0; p < n; ++p) {
    std::array<std::array<double, 3>, 3> m{};
    Vec3 rhs;
    double ncc_sum = 0.0;
    int used = 0, crossings = 0;
    for (const PairResult& r : pairs) {
      double sign = 0.0;
      if (r.a == static_cast<int>(p)) sign = 1.0;
      if (r.b == static_cast<int>(p)) sign = -1.0;
      if (sign == 0.0) continue;
      ++crossings;
      ncc_sum += r.ncc0;
      if (r.peak < kMinPeakNcc) continue;
      ++used;
      const double u[3] = {r.u.x, r.u.y, r.u.z};
      const double e[3] = {sign * r.displacement.x, sign * r.displacement.y,
                           sign * r.displacement.z};
      // W^2 = I - (1 - w^2) u u^T.
      const double k = 1.0 - kAlongWeight * kAlongWeight;
      double we[3] = {0, 0, 0};
      for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t j = 0; j < 3; ++j) {
          const double w2 = (i == j ? 1.0 : 0.0) - k * u[i] * u[j];
          m[i][j] += w2;
          we[i] += w2 * e[j];
        }
      }
      rhs += Vec3{we[0], we[1], we[2]};
    }
    Plane& plane = study.planes[p];
    if (crossings > 0) plane.misalignment_ncc = ncc_sum / crossings;
    if (used == 0) continue;
    for (std::size_t i = 0; i < 3; ++i) m[i][i] += 1e-3;  // one crossing leaves d along u open
    const Vec3 d = solve3(m, rhs);
    plane.misalignment_mm = geometry::norm(d);
    plane.misalignment_flag = *plane.misalignment_mm > options.misalignment_flag_mm;
  }
  for (std::size_t p = 0; p < n; ++p) {
    const Plane& plane = study.planes[p];
    if (plane.misalignment_flag.value_or(false)) {
      char text[64];
      std::snprintf(text, sizeof text, "%.1f", *plane.misalignment_mm);
      study.addFinding("breath_hold_misalignment", "warning",
                       std::string("plane is displaced by about ") + text +
                           " mm against the planes crossing it (breath-hold mismatch)",
                       {}, plane.stack, plane.series, static_cast<int>(p));
    }
  }
}

}  // namespace planelab::curation
