#include "phantom/appearance.h"

#include <algorithm>
#include <cmath>

namespace planelab::phantom {

using geometry::Vec3;

const std::array<TissueRelaxation, kTissueCount>& baseRelaxationTable() {
  // PD (fraction), T1 (ms), T2 (ms) at 1.5 T, PHANTOM.md 3.6. Markers get their signal directly.
  static const std::array<TissueRelaxation, kTissueCount> table = [] {
    std::array<TissueRelaxation, kTissueCount> t{};
    const auto set = [&t](Tissue k, double pd, double t1, double t2) {
      t[static_cast<std::size_t>(k)] = {pd, t1, t2};
    };
    set(Tissue::kAir, 0.0, 1000.0, 1.0);
    set(Tissue::kBlood, 0.95, 1350.0, 200.0);
    set(Tissue::kMyocardium, 0.80, 1000.0, 50.0);
    set(Tissue::kFat, 0.90, 260.0, 70.0);
    set(Tissue::kLiver, 0.85, 550.0, 40.0);
    set(Tissue::kSkeletalMuscle, 0.80, 900.0, 35.0);
    set(Tissue::kLung, 0.15, 1200.0, 30.0);
    set(Tissue::kMarrow, 0.70, 400.0, 50.0);
    set(Tissue::kCortex, 0.05, 1000.0, 1.0);
    set(Tissue::kCsf, 1.00, 4000.0, 2000.0);
    set(Tissue::kSoftTissue, 0.80, 900.0, 45.0);
    set(Tissue::kCartilage, 0.75, 1100.0, 40.0);
    set(Tissue::kMeniscus, 0.30, 1000.0, 8.0);
    set(Tissue::kFluid, 1.00, 3500.0, 1500.0);
    set(Tissue::kPericardium, 0.20, 1000.0, 10.0);
    set(Tissue::kMarkerA, 0.0, 1000.0, 1.0);
    set(Tissue::kMarkerB, 0.0, 1000.0, 1.0);
    set(Tissue::kMarkerC, 0.0, 1000.0, 1.0);
    return t;
  }();
  return table;
}

RelaxationTable jitteredRelaxation(Rng& rng, double jitter) {
  RelaxationTable t = baseRelaxationTable();
  for (auto& r : t) {
    r.t1_ms *= std::max(0.5, rng.normal(1.0, jitter));
    r.t2_ms *= std::max(0.5, rng.normal(1.0, jitter));
    r.proton_density *= std::max(0.5, rng.normal(1.0, jitter * 0.625));
  }
  return t;
}

std::array<double, kTissueCount> bssfpSignal(const RelaxationTable& table, double tr_ms,
                                             double te_ms, double flip_deg) {
  std::array<double, kTissueCount> s{};
  const double a = geometry::degToRad(flip_deg);
  for (std::size_t k = 0; k < kTissueCount; ++k) {
    const auto& r = table[k];
    const double e1 = std::exp(-tr_ms / r.t1_ms);
    const double e2 = std::exp(-tr_ms / r.t2_ms);
    s[k] = r.proton_density * std::sin(a) * (1.0 - e1) / (1.0 - (e1 - e2) * std::cos(a) - e1 * e2) *
           std::exp(-te_ms / r.t2_ms);
  }
  return s;
}

std::array<double, kTissueCount> fastSpinEchoSignal(const RelaxationTable& table, double tr_ms,
                                                    double te_ms, double fat_factor) {
  std::array<double, kTissueCount> s{};
  for (std::size_t k = 0; k < kTissueCount; ++k) {
    const auto& r = table[k];
    s[k] = r.proton_density * (1.0 - std::exp(-tr_ms / r.t1_ms)) * std::exp(-te_ms / r.t2_ms);
  }
  s[static_cast<std::size_t>(Tissue::kFat)] *= fat_factor;
  s[static_cast<std::size_t>(Tissue::kMarrow)] *= fat_factor;
  return s;
}

void finishAppearance(Appearance& ap, Rng& rng, const DifficultyKnobs& knobs, const Vec3& centre_mm,
                      Tissue reference,
                      const std::array<double, kTissueCount>& tissue_texture_scale, bool markers) {
  const double amplitude = rng.uniform(knobs.texture_min, knobs.texture_max);
  for (std::size_t k = 0; k < kTissueCount; ++k) {
    ap.texture_amplitude[k] = amplitude * tissue_texture_scale[k];
  }
  // Plane waves with wavelengths 5-20 mm in random directions: smooth, 3-D consistent texture.
  for (std::size_t w = 0; w < ap.texture_wave_vectors.size(); ++w) {
    const double lambda = rng.uniform(5.0, 20.0);
    const double cos_t = rng.uniform(-1.0, 1.0);
    const double phi = rng.uniform(0.0, 2.0 * geometry::kPi);
    const double sin_t = std::sqrt(1.0 - cos_t * cos_t);
    const Vec3 dir{sin_t * std::cos(phi), sin_t * std::sin(phi), cos_t};
    ap.texture_wave_vectors[w] = dir * (2.0 * geometry::kPi / lambda);
    ap.texture_phases[w] = rng.uniform(0.0, 2.0 * geometry::kPi);
  }
  ap.bias_centre_mm = centre_mm;
  for (double& c : ap.bias_coefficients) c = rng.uniform(-1.0, 1.0) * knobs.bias_coefficient;
  ap.bias_coefficients[0] = 0.0;  // the constant term is absorbed by the gain

  const double snr = rng.uniform(knobs.snr_min, knobs.snr_max);
  const double ref = ap.signal[static_cast<std::size_t>(reference)];
  ap.noise_sigma = snr > 0.0 ? ref / snr : 0.0;

  double brightest = 0.0;
  for (std::size_t k = 0; k < kTissueCount; ++k) brightest = std::max(brightest, ap.signal[k]);
  if (markers) {
    // Far above every tissue even after slab averaging, and distinct from each other.
    ap.signal[static_cast<std::size_t>(Tissue::kMarkerA)] = 4.0 * brightest;
    ap.signal[static_cast<std::size_t>(Tissue::kMarkerB)] = 3.4 * brightest;
    ap.signal[static_cast<std::size_t>(Tissue::kMarkerC)] = 2.8 * brightest;
    ap.gain = kMarkerModeTissueLevel / brightest;
  } else {
    ap.gain = rng.uniform(400.0, 2500.0) / brightest;
  }
  ap.bits_stored = 12;
}

double biasField(const Appearance& ap, const Vec3& x) {
  const Vec3 u = (x - ap.bias_centre_mm) / 250.0;
  // Monomials up to total order 3 in a fixed order: 1, x, y, z, x2, y2, z2, xy, xz, yz, x3, ...
  const double m[20] = {1.0,
                        u.x,
                        u.y,
                        u.z,
                        u.x * u.x,
                        u.y * u.y,
                        u.z * u.z,
                        u.x * u.y,
                        u.x * u.z,
                        u.y * u.z,
                        u.x * u.x * u.x,
                        u.y * u.y * u.y,
                        u.z * u.z * u.z,
                        u.x * u.x * u.y,
                        u.x * u.x * u.z,
                        u.y * u.y * u.x,
                        u.y * u.y * u.z,
                        u.z * u.z * u.x,
                        u.z * u.z * u.y,
                        u.x * u.y * u.z};
  double e = 0.0;
  for (int k = 0; k < 20; ++k) e += ap.bias_coefficients[static_cast<std::size_t>(k)] * m[k];
  return std::exp(e);
}

}  // namespace planelab::phantom
