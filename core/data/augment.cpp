#include "data/augment.h"

#include <algorithm>
#include <cmath>

namespace planelab::data {

Rng sampleRng(std::uint64_t seed, int epoch, std::int64_t position) {
  constexpr std::uint64_t kTagSample = 0x53414D504CULL;  // "SAMPL"
  return Rng::derive(
      seed, {kTagSample, static_cast<std::uint64_t>(epoch), static_cast<std::uint64_t>(position)});
}

AugmentDraw drawAugmentation(const AugmentOptions& options, Rng& rng) {
  AugmentDraw d;
  const double angle_deg = rng.uniform(-options.rotation_deg, options.rotation_deg);
  const double scale = rng.uniform(options.scale_min, options.scale_max);
  const bool flip_cols = rng.bernoulli(0.5);
  const bool flip_rows = rng.bernoulli(0.5);
  const double gain = rng.uniform(-options.intensity_scale, options.intensity_scale);
  const double offset = rng.uniform(-options.intensity_shift, options.intensity_shift);
  const double gamma_t = rng.uniform(-1.0, 1.0);  // gamma = (1+g)^t: log-uniform, symmetric
  d.angle_rad = angle_deg * 3.14159265358979323846 / 180.0;
  d.scale = scale > 0.0 ? scale : 1.0;
  d.flip_cols = options.flip_cols && flip_cols;
  d.flip_rows = options.flip_rows && flip_rows;
  d.gain = 1.0 + gain;
  d.offset = offset;
  d.gamma = options.gamma > 0.0 ? std::pow(1.0 + options.gamma, gamma_t) : 1.0;
  return d;
}

PixelAffine inverseMap(const AugmentDraw& d, int size) {
  PixelAffine m;
  m.centre = (size - 1) / 2.0;
  const double c = std::cos(d.angle_rad) / d.scale;
  const double s = std::sin(d.angle_rad) / d.scale;
  const double fc = d.flip_cols ? -1.0 : 1.0;
  const double fr = d.flip_rows ? -1.0 : 1.0;
  // F R^T / s with R^T = [[cos, sin], [-sin, cos]].
  m.m00 = fc * c;
  m.m01 = fc * s;
  m.m10 = -fr * s;
  m.m11 = fr * c;
  m.identity = m.m00 == 1.0 && m.m01 == 0.0 && m.m10 == 0.0 && m.m11 == 1.0;
  return m;
}

geometry::ImagePlane augmentPlane(const geometry::ImagePlane& p, const PixelAffine& m) {
  using geometry::Vec3;
  // X(u, v) = pos + u col_spacing row_dir + v row_spacing col_dir; substitute u(u', v'), v(u', v').
  const Vec3 du = p.row_dir * p.col_spacing_mm;   // patient step per stored column
  const Vec3 dv = p.col_dir * p.row_spacing_mm;   // per stored row
  const Vec3 step_col = du * m.m00 + dv * m.m10;  // per augmented column
  const Vec3 step_row = du * m.m01 + dv * m.m11;  // per augmented row
  const double u0 = m.centre - m.m00 * m.centre - m.m01 * m.centre;  // (u, v) at (0, 0)
  const double v0 = m.centre - m.m10 * m.centre - m.m11 * m.centre;
  geometry::ImagePlane out = p;
  out.position_mm = p.position_mm + du * u0 + dv * v0;
  out.col_spacing_mm = geometry::norm(step_col);
  out.row_spacing_mm = geometry::norm(step_row);
  out.row_dir = step_col / out.col_spacing_mm;
  out.col_dir = step_row / out.row_spacing_mm;
  return out;
}

void warpBilinear(const float* in, int size, const PixelAffine& m, float* out) {
  const auto at = [&](int r, int c) -> float {
    if (r < 0 || c < 0 || r >= size || c >= size) return 0.0f;
    return in[static_cast<std::size_t>(r) * size + c];
  };
  for (int vr = 0; vr < size; ++vr) {
    const double dv = vr - m.centre;
    const double ub = m.centre + m.m01 * dv - m.m00 * m.centre;
    const double vb = m.centre + m.m11 * dv - m.m10 * m.centre;
    float* row = out + static_cast<std::size_t>(vr) * size;
    for (int uc = 0; uc < size; ++uc) {
      const double u = ub + m.m00 * uc;
      const double v = vb + m.m10 * uc;
      const double fu = std::floor(u);
      const double fv = std::floor(v);
      if (fu < -1.0 || fv < -1.0 || fu >= size || fv >= size) {
        row[uc] = 0.0f;
        continue;
      }
      const int c0 = static_cast<int>(fu);
      const int r0 = static_cast<int>(fv);
      const double wu = u - fu;
      const double wv = v - fv;
      double top, bottom;
      if (c0 >= 0 && r0 >= 0 && c0 + 1 < size && r0 + 1 < size) {
        const float* p = in + static_cast<std::size_t>(r0) * size + c0;
        top = p[0] + wu * (p[1] - static_cast<double>(p[0]));
        bottom = p[size] + wu * (p[size + 1] - static_cast<double>(p[size]));
        if (wu == 0.0) {  // exact copy on the grid (no 0 * inf)
          top = p[0];
          bottom = p[size];
        }
      } else {
        const double a = at(r0, c0), b = at(r0, c0 + 1), cc = at(r0 + 1, c0),
                     d = at(r0 + 1, c0 + 1);
        top = wu == 0.0 ? a : a + wu * (b - a);
        bottom = wu == 0.0 ? cc : cc + wu * (d - cc);
      }
      row[uc] = static_cast<float>(wv == 0.0 ? top : top + wv * (bottom - top));
    }
  }
}

void warpNearest(const std::uint8_t* in, int size, const PixelAffine& m, std::int64_t* out) {
  for (int vr = 0; vr < size; ++vr) {
    const double dv = vr - m.centre;
    const double ub = m.centre + m.m01 * dv - m.m00 * m.centre;
    const double vb = m.centre + m.m11 * dv - m.m10 * m.centre;
    std::int64_t* row = out + static_cast<std::size_t>(vr) * size;
    for (int uc = 0; uc < size; ++uc) {
      const double u = std::floor(ub + m.m00 * uc + 0.5);
      const double v = std::floor(vb + m.m10 * uc + 0.5);
      if (u < 0.0 || v < 0.0 || u >= size || v >= size) {
        row[uc] = 0;
      } else {
        row[uc] = in[static_cast<std::size_t>(v) * size + static_cast<std::size_t>(u)];
      }
    }
  }
}

void augmentIntensity(float* pixels, std::size_t count, const AugmentOptions& options,
                      const AugmentDraw& d, Rng& rng) {
  if (count == 0) return;
  if (options.gamma > 0.0 && d.gamma != 1.0) {
    const auto [lo_it, hi_it] = std::minmax_element(pixels, pixels + count);
    const double lo = *lo_it;
    const double range = static_cast<double>(*hi_it) - lo;
    if (range > 1e-12) {
      for (std::size_t i = 0; i < count; ++i) {
        const double t = (pixels[i] - lo) / range;
        pixels[i] = static_cast<float>(lo + range * std::pow(t, d.gamma));
      }
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    pixels[i] = static_cast<float>(pixels[i] * d.gain + d.offset);
  }
  if (options.noise_sd > 0.0) {
    for (std::size_t i = 0; i < count; ++i) {
      pixels[i] = static_cast<float>(pixels[i] + rng.normal(0.0, options.noise_sd));
    }
  }
}

}  // namespace planelab::data
