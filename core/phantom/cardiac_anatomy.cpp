#include "phantom/cardiac_anatomy.h"

#include <algorithm>
#include <cmath>

namespace planelab::phantom {

using geometry::cross;
using geometry::degToRad;
using geometry::dot;
using geometry::kPi;
using geometry::normalized;
using geometry::Vec3;

namespace {

constexpr int kPhiBins = 360;  // angular resolution of the radius tables (1 degree)
// Widest epicardial fat + pericardium band f0 + f1 + f2 + 1.5 mm (PHANTOM.md 3.2 ranges).
constexpr double kMaxFatBandMm = 2.0 + 8.0 + 5.0 + 1.5;

// Volume factor of an ellipsoid truncated at distance h = kappa * c from its centre on the
// base side: V = pi R^2 c Phi(kappa), Phi = (2 + 3k - k^3) / 3 (PHANTOM.md 3.2).
double truncationFactor(double kappa) {
  const double k = std::clamp(kappa, 0.0, 1.0);
  return (2.0 + 3.0 * k - k * k * k) / 3.0;
}

double wrapAngle(double a) {
  while (a > kPi) a -= 2.0 * kPi;
  while (a < -kPi) a += 2.0 * kPi;
  return a;
}

double smoothstep(double e0, double e1, double x) {
  const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

// Distance from p to the segment [a, b].
double segmentDistance(const Vec3& p, const Vec3& a, const Vec3& b) {
  const Vec3 ab = b - a;
  const double t = std::clamp(dot(p - a, ab) / dot(ab, ab), 0.0, 1.0);
  return geometry::norm(p - (a + ab * t));
}

// Segment [a, b] thickened by radius r, with a bounding sphere for a cheap early reject.
struct Capsule {
  Vec3 a, b;
  double radius = 0.0;
  Vec3 centre;
  double bound2 = 0.0;
  Capsule() = default;
  Capsule(const Vec3& a_, const Vec3& b_, double r)
      : a(a_), b(b_), radius(r), centre((a_ + b_) * 0.5) {
    const double half = 0.5 * geometry::norm(b_ - a_) + r;
    bound2 = half * half;
  }
  bool contains(const Vec3& p) const {
    const Vec3 d = p - centre;
    return dot(d, d) <= bound2 && segmentDistance(p, a, b) < radius;
  }
};

double sq(double v) {
  return v * v;
}

// Superellipse |x/ax|^p + |y/ay|^p <= 1, with a cheap exact accept for points inside the
// inscribed ellipse (valid for p >= 2).
bool insideSuperellipse(double x, double y, double ax, double ay, double p) {
  if (ax <= 0.0 || ay <= 0.0) return false;
  const double u = std::abs(x) / ax;
  const double v = std::abs(y) / ay;
  if (u > 1.0 || v > 1.0) return false;
  if (u * u + v * v <= 1.0) return true;
  // Inside as well when both |u|, |v| <= 2^(-1/p) (then |u|^p + |v|^p <= 1); 0.75 < 2^(-1/2.2).
  if (u <= 0.75 && v <= 0.75) return true;
  return std::pow(u, p) + std::pow(v, p) <= 1.0;
}

// Everything that depends on the time point, precomputed once per snapshot.
struct Shape {
  double f = 0.0;       // ejected fraction of stroke volume
  double zeta_b = 0.0;  // base plane position along a
  double c = 0.0;       // endocardial semi-axis along a
  double h = 0.0;       // centre-to-base distance
  double zeta_c = 0.0;  // ellipsoid centre along a
  double c_ep = 0.0;    // epicardial semi-axis along a
  double wall = 0.0;    // wall thickness t_w(t)
  std::array<float, kPhiBins> r_en{};
  std::array<float, kPhiBins> r_ep{};
  double mean_r_ep = 0.0;
  double trab_scale_r = 1.0;  // inner ellipsoid of the trabecular band: R_en - tau
  // RV ellipsoid in heart coordinates.
  double rv_xi = 0.0, rv_eta = 0.0, rv_zeta = 0.0;
  double rv_ps = 0.0, rv_pa = 0.0, rv_pl = 0.0;
  double rv_tv = 0.0;
  double pap_radius = 0.0;
  double la_scale = 1.0;
  Vec3 la_centre, ra_centre;
  double ra_tv = 0.0;
  Vec3 lvot_a, lvot_b;
  Vec3 aortic_root;
  Vec3 aorta_end;
  Vec3 pa_a, pa_b;
};

}  // namespace

CardiacSubject sampleCardiacSubject(Rng& rng, const DifficultyKnobs& knobs) {
  CardiacSubject s;
  s.female = rng.bernoulli(0.5);
  s.age_years = static_cast<int>(std::lround(rng.truncatedNormal(55.0, 15.0)));
  s.weight_kg = rng.truncatedNormal(s.female ? 68.0 : 82.0, 12.0);
  if (knobs.pathology_mix) {
    const double u = rng.uniform();
    s.group = u < 0.60 ? "NOR" : u < 0.72 ? "DCM" : u < 0.84 ? "HCM" : u < 0.94 ? "MINF" : "ARV";
  } else {
    rng.uniform();
    s.group = "NOR";
  }
  const double size = s.female ? 0.93 : 1.0;

  s.body_half_width = rng.truncatedNormal(165.0, 15.0) * size;
  s.body_half_depth = rng.truncatedNormal(110.0, 12.0) * (s.female ? 0.95 : 1.0);
  s.body_exponent = rng.uniform(2.2, 3.0);
  s.subcutaneous_fat = rng.uniform(5.0, 35.0);
  s.chest_muscle = rng.uniform(8.0, 20.0);
  s.spine_radius = rng.uniform(18.0, 22.0);
  s.aorta_desc_radius = rng.uniform(10.0, 13.0);
  s.aorta_desc_x = 20.0 + rng.uniform(-5.0, 5.0);
  s.diaphragm_right_drop = rng.uniform(-5.0, 20.0);
  s.diaphragm_left_extra = rng.uniform(5.0, 20.0);
  s.diaphragm_radius = rng.uniform(150.0, 250.0);
  s.breasts = s.female;

  s.lv_centroid = {30.0 + rng.normal(0.0, 10.0), -15.0 + rng.normal(0.0, 10.0),
                   rng.normal(0.0, 10.0)};
  s.azimuth_deg = 42.0 + rng.truncatedNormal(0.0, knobs.axis_azimuth_sd_deg);
  s.elevation_deg = 24.0 + rng.truncatedNormal(0.0, knobs.axis_elevation_sd_deg);
  s.roll_deg = rng.truncatedNormal(0.0, knobs.roll_sd_deg);

  s.length = rng.truncatedNormal(85.0, 8.0) * (s.female ? 0.92 : 1.0);
  s.kappa = rng.uniform(0.4, 0.6);
  s.edv_ml = s.female ? rng.truncatedNormal(125.0, 20.0) : rng.truncatedNormal(150.0, 25.0);
  s.ef = rng.truncatedNormal(0.60, 0.06);
  s.wall_thickness = rng.truncatedNormal(8.5, 1.2) - (s.female ? 0.8 : 0.0);
  s.apical_ratio = rng.uniform(0.5, 0.7);
  for (int k = 0; k < 3; ++k) {
    s.omega_amp[static_cast<std::size_t>(k)] = rng.normal(0.0, 0.05);
    s.omega_phase[static_cast<std::size_t>(k)] = rng.uniform(0.0, 2.0 * kPi);
  }
  s.ellipticity = rng.uniform(0.0, 0.08);
  s.ellipticity_angle = rng.uniform(0.0, kPi);
  s.septal_flattening = rng.uniform(0.0, 0.12);
  s.papillary = knobs.papillary_muscles;
  s.papillary_radius = rng.uniform(3.5, 6.0);
  s.papillary_al_deg = rng.normal(150.0, 10.0);
  s.papillary_pm_deg = rng.normal(-110.0, 10.0);
  s.trabecular = rng.uniform(0.0, knobs.trabecular_max_mm);
  for (std::size_t k = 0; k < 4; ++k) {
    s.trabecular_m[k] = rng.uniformInt(6, 20);
    s.trabecular_nu[k] = rng.uniform(0.2, 0.8);
    s.trabecular_theta[k] = rng.uniform(0.0, 2.0 * kPi);
  }

  s.heart_rate_bpm = std::clamp(rng.normal(68.0, 10.0), 45.0, 100.0);
  s.t_es_fraction = rng.uniform(0.33, 0.40);
  s.early_filling = rng.uniform(0.6, 0.8);

  s.rv_septal_semi = rng.uniform(18.0, 26.0);
  s.rv_offset = rng.uniform(2.0, 8.0);
  s.rv_anterior_ratio = rng.uniform(1.25, 1.6);
  s.rv_anterior_offset = rng.uniform(0.0, 8.0);
  s.rv_length_ratio = rng.uniform(0.45, 0.52);
  s.rv_tricuspid = rng.uniform(0.0, 8.0);
  s.rv_cap_angle_deg = rng.uniform(20.0, 40.0);
  s.rv_shortening_septal = rng.uniform(0.25, 0.40);
  s.rv_shortening_anterior = rng.uniform(0.10, 0.20);
  s.rv_wall = rng.uniform(3.0, 4.0);
  s.rv_tricuspid_descent = rng.uniform(0.15, 0.25);

  s.av_radius = rng.uniform(20.0, 28.0);
  s.av_angle_deg = rng.normal(30.0, 6.0);
  s.av_drop = rng.uniform(2.0, 10.0);
  s.lvot_radius = rng.uniform(9.0, 12.0);
  s.aortic_root_radius = rng.uniform(14.0, 18.0);
  s.aorta_asc_radius = rng.uniform(13.0, 17.0);
  s.pa_radius = rng.uniform(12.0, 15.0);
  s.pa_drop = rng.uniform(5.0, 15.0);
  s.la_semi = {rng.uniform(17.0, 23.0), rng.uniform(17.0, 23.0), rng.uniform(22.0, 30.0)};
  s.la_anterior_shift = rng.uniform(0.0, 8.0);
  s.la_septal_shift = rng.uniform(-5.0, 5.0);
  s.ra_semi = {rng.uniform(17.0, 23.0), rng.uniform(17.0, 23.0), rng.uniform(22.0, 30.0)};
  s.ra_extra_offset = rng.uniform(0.0, 6.0);
  s.epicardial_fat = {rng.uniform(0.0, 2.0), rng.uniform(2.0, 8.0), rng.uniform(0.0, 5.0)};

  // Pathology modifiers (PHANTOM.md 3.1); drawn after the normal parameters so a subject's
  // anatomy keeps the same stream position whatever its group.
  const double p1 = rng.uniform();
  const double p2 = rng.uniform();
  const double p3 = rng.uniform();
  if (s.group == "DCM") {
    s.edv_ml *= 1.4 + 0.4 * p1;
    s.ef = 0.15 + 0.25 * p2;
    s.wall_thickness *= 0.8;
    s.trabecular = std::min(2.0 * s.trabecular + 0.5, 2.0 * std::max(knobs.trabecular_max_mm, 1.0));
  } else if (s.group == "HCM") {
    s.wall_thickness *= 1.4 + 0.6 * p1;
    s.septal_bump = 0.3;
    s.edv_ml *= 0.8;
    s.ef = 0.60 + 0.20 * p2;
  } else if (s.group == "MINF") {
    s.infarct = true;
    s.infarct_width = degToRad(60.0 + 40.0 * p1);
    // LAD territory (anterior/anteroseptal) or RCx territory (inferolateral).
    s.infarct_centre = degToRad(p3 < 0.6 ? 70.0 : -150.0);
    s.infarct_thinning = 0.4 + 0.2 * p2;
    s.ef = 0.25 + 0.20 * p2;
  } else if (s.group == "ARV") {
    s.rv_septal_semi *= 1.3 + 0.3 * p1;
    s.rv_shortening_septal *= 0.5;
    s.rv_shortening_anterior *= 0.5;
  }
  if (knobs.extreme_pathology) {
    if (s.group == "DCM" && p3 < 0.3) s.ef = 0.10;
    if (s.group == "HCM" && p3 < 0.3) s.wall_thickness = 20.0;
  }
  s.long_shortening = rng.uniform(0.10, 0.18) * s.ef / 0.6;
  return s;
}

namespace {

class CardiacSnapshot : public AnatomySnapshot {
 public:
  CardiacSnapshot(const CardiacSubject& s, const HeartFrame& fr, const Shape& shape)
      : s_(s), fr_(fr), sh_(shape) {
    core_centre_ = fr_.origin + fr_.a * (0.3 * s_.length);
    core_radius2_ = sq(0.8 * s_.length + 60.0);
    y_spine_ = s_.body_half_depth - s_.subcutaneous_fat - 45.0;
    z_apex_ = fr_.apex.z;
    z_heart_ = s_.lv_centroid.z;
    tan_cap_ = std::tan(degToRad(s_.rv_cap_angle_deg));
    const double max_rep = *std::max_element(sh_.r_ep.begin(), sh_.r_ep.end());
    near_lv_radius2_ = sq(max_rep + kMaxFatBandMm);
    lvot_ = Capsule(sh_.lvot_a, sh_.lvot_b, s_.lvot_radius);
    aorta_ = Capsule(sh_.aortic_root, sh_.aorta_end, s_.aorta_asc_radius);
    pulmonary_ = Capsule(sh_.pa_a, sh_.pa_b, s_.pa_radius);
  }

  TissueSample eval(const Vec3& x_fixed, const Vec3& shift) const override {
    const Vec3 x = x_fixed - shift;  // organs that move with respiration
    const double fat_a = s_.body_half_width;
    const double fat_b = s_.body_half_depth;
    const bool in_body = insideSuperellipse(x_fixed.x, x_fixed.y, fat_a, fat_b, s_.body_exponent);
    if (!in_body) {
      if (s_.breasts && inBreast(x_fixed)) return {Tissue::kFat, Tissue::kAir, 1.0f, 0};
      return {};
    }
    if (dot(x - core_centre_, x - core_centre_) < core_radius2_) {
      TissueSample hit;
      if (heart(x, hit)) return hit;  // includes the great vessels
    } else if (vessels(x)) {
      return {Tissue::kBlood, Tissue::kAir, 1.0f, 0};
    }
    const double sf = s_.subcutaneous_fat;
    const double mu = s_.chest_muscle;
    const bool in_muscle_inner =
        insideSuperellipse(x_fixed.x, x_fixed.y, fat_a - sf, fat_b - sf, s_.body_exponent);
    if (!in_muscle_inner) return {Tissue::kFat, Tissue::kAir, 1.0f, 0};
    const bool in_cavity = insideSuperellipse(x_fixed.x, x_fixed.y, fat_a - sf - mu,
                                              fat_b - sf - mu, s_.body_exponent);
    if (!in_cavity) return {Tissue::kSkeletalMuscle, Tissue::kAir, 1.0f, 0};
    // Posterior structures fixed to the spine.
    const double dx_ao = x_fixed.x - s_.aorta_desc_x;
    const double dy_ao = x_fixed.y - (y_spine_ - 35.0);
    if (dx_ao * dx_ao + dy_ao * dy_ao < sq(s_.aorta_desc_radius)) {
      return {Tissue::kBlood, Tissue::kAir, 1.0f, 0};
    }
    const double dy_sp = x_fixed.y - y_spine_;
    const double r_sp2 = x_fixed.x * x_fixed.x + dy_sp * dy_sp;
    if (r_sp2 < sq(s_.spine_radius)) {
      return {r_sp2 < sq(s_.spine_radius - 1.5) ? Tissue::kMarrow : Tissue::kCortex, Tissue::kAir,
              1.0f, 0};
    }
    const double dy_canal = x_fixed.y - (y_spine_ + 30.0);
    if (x_fixed.x * x_fixed.x + dy_canal * dy_canal < 64.0)
      return {Tissue::kCsf, Tissue::kAir, 1.0f, 0};
    if (x_fixed.y > y_spine_ - 5.0 && std::abs(x_fixed.x) < 70.0) {
      return {Tissue::kSkeletalMuscle, Tissue::kAir, 1.0f, 0};  // paraspinal muscles
    }
    // Diaphragm: upper envelope of two domes; liver (right) and stomach/spleen (left) below.
    const double z_right = z_apex_ - s_.diaphragm_right_drop -
                           (sq(x.x + 50.0) + sq(x.y)) / (2.0 * s_.diaphragm_radius);
    const double z_left = z_apex_ - s_.diaphragm_right_drop - s_.diaphragm_left_extra -
                          (sq(x.x - 60.0) + sq(x.y)) / (2.0 * s_.diaphragm_radius);
    const double z_diaphragm = std::max(z_right, z_left);
    if (x.z < z_diaphragm - 4.0) {
      return {x.x < 30.0 ? Tissue::kLiver : Tissue::kSoftTissue, Tissue::kAir, 1.0f, 0};
    }
    if (x.z < z_diaphragm) return {Tissue::kSkeletalMuscle, Tissue::kAir, 1.0f, 0};
    if (inLung(x)) return {Tissue::kLung, Tissue::kAir, 1.0f, 0};
    return {Tissue::kSoftTissue, Tissue::kAir, 1.0f, 0};
  }

 private:
  bool inBreast(const Vec3& x) const {
    for (const double side : {1.0, -1.0}) {
      const double u = (x.x - side * 0.45 * s_.body_half_width) / 55.0;
      const double v = (x.y + s_.body_half_depth + 15.0) / 35.0;
      const double w = (x.z - (z_heart_ + 20.0)) / 60.0;
      if (u * u + v * v + w * w <= 1.0) return true;
    }
    return false;
  }

  bool inLung(const Vec3& x) const {
    const double ax = s_.body_half_width;
    const double ay = s_.body_half_depth;
    const double ul = (x.x - 0.45 * ax) / (0.40 * ax);
    const double vl = (x.y - 10.0) / (0.80 * ay);
    const double wl = (x.z - (z_heart_ + 30.0)) / 140.0;
    if (ul * ul + vl * vl + wl * wl <= 1.0) return true;
    const double ur = (x.x + 0.45 * ax) / (0.43 * ax);
    const double wr = (x.z - (z_heart_ + 40.0)) / 140.0;
    return ur * ur + vl * vl + wr * wr <= 1.0;
  }

  bool vessels(const Vec3& x) const {
    if (aorta_.contains(x)) return true;
    if (dot(x - sh_.aortic_root, x - sh_.aortic_root) < sq(s_.aortic_root_radius)) return true;
    return pulmonary_.contains(x);
  }

  double radiusAt(const std::array<float, kPhiBins>& table, double phi) const {
    // phi in (-pi, pi] -> linear interpolation on the 1-degree grid.
    double pos = (phi + kPi) * (kPhiBins / (2.0 * kPi));
    int i0 = static_cast<int>(pos);
    const double t = pos - i0;
    i0 = ((i0 % kPhiBins) + kPhiBins) % kPhiBins;
    const int i1 = (i0 + 1) % kPhiBins;
    return (1.0 - t) * table[static_cast<std::size_t>(i0)] +
           t * table[static_cast<std::size_t>(i1)];
  }

  bool heart(const Vec3& x, TissueSample& out) const {
    const Vec3 d = x - fr_.origin;
    const double xi = dot(d, fr_.e_s);
    const double eta = dot(d, fr_.e_a);
    const double zeta = dot(d, fr_.a);
    const double rho2 = xi * xi + eta * eta;
    const double dz = zeta - sh_.zeta_c;
    const bool below_base = zeta >= sh_.zeta_b;
    // The angle (and the radius tables) only matter near the LV: within the largest epicardial
    // radius plus the widest fat band.
    const bool near_lv = rho2 < near_lv_radius2_ && std::abs(dz) < sh_.c_ep + kMaxFatBandMm;
    double phi = 0.0, r_en = 1.0, r_ep = 1.0, q_ep = 2.0 + kMaxFatBandMm;
    if (near_lv) {
      phi = std::atan2(eta, xi);
      r_en = radiusAt(sh_.r_en, phi);
      r_ep = radiusAt(sh_.r_ep, phi);
      q_ep = rho2 / (r_ep * r_ep) + dz * dz / (sh_.c_ep * sh_.c_ep);
    }

    const bool in_epi = below_base && q_ep <= 1.0;
    // LV outflow tract above the mitral plane (unlabelled blood, as in ACDC); below it the
    // ventricle keeps its closed-form shape and volume.
    if (!in_epi && lvot_.contains(x)) {
      out = {Tissue::kBlood, Tissue::kAir, 1.0f, 0};
      return true;
    }
    if (in_epi) {
      const double q_en = rho2 / (r_en * r_en) + dz * dz / (sh_.c * sh_.c);
      if (q_en <= 1.0) {
        out.label = kLabelLvCavity;
        if (inPapillary(xi, eta, zeta, phi)) {
          out.tissue = Tissue::kMyocardium;
          return true;
        }
        out.tissue = Tissue::kBlood;
        if (s_.trabecular > 0.0) {
          const double r_in = std::max(r_en - s_.trabecular, 1.0);
          const double c_in = std::max(sh_.c - s_.trabecular, 1.0);
          if (rho2 / (r_in * r_in) + dz * dz / (c_in * c_in) > 1.0) {
            double m = 0.0;
            for (std::size_t k = 0; k < 4; ++k) {
              m += 0.25 * std::cos(s_.trabecular_m[k] * phi + s_.trabecular_nu[k] * zeta +
                                   s_.trabecular_theta[k]);
            }
            m = std::clamp(0.5 + 0.6 * m, 0.0, 1.0);
            out.tissue = Tissue::kMyocardium;
            out.mixed_with = Tissue::kBlood;
            out.mix = static_cast<float>(m);
          }
        }
        return true;
      }
      out = {Tissue::kMyocardium, Tissue::kAir, 1.0f, kLabelLvMyocardium};
      return true;
    }

    // RV: offset ellipsoid minus the LV epicardium, capped at the tricuspid plane (RVOT rises
    // anteriorly), not wrapping round the lateral wall.
    const double cap_zeta = sh_.rv_tv - tan_cap_ * std::max(eta, 0.0);
    const bool rv_region =
        zeta >= cap_zeta && xi >= -0.3 * sh_.mean_r_ep && !(below_base && q_ep <= 1.0);
    const double ex = xi - sh_.rv_xi;
    const double ey = eta - sh_.rv_eta;
    const double ez = zeta - sh_.rv_zeta;
    double q_rv_outer = 2.0;
    if (rv_region) {
      const double q_rv = sq(ex / sh_.rv_ps) + sq(ey / sh_.rv_pa) + sq(ez / sh_.rv_pl);
      if (q_rv <= 1.0) {
        out = {Tissue::kBlood, Tissue::kAir, 1.0f, kLabelRvCavity};
        return true;
      }
      const double w = s_.rv_wall;
      q_rv_outer = sq(ex / (sh_.rv_ps + w)) + sq(ey / (sh_.rv_pa + w)) + sq(ez / (sh_.rv_pl + w));
      if (q_rv_outer <= 1.0) {
        out = {Tissue::kMyocardium, Tissue::kAir, 1.0f, 0};
        return true;
      }
    }

    // Atria: ellipsoids above the valve planes, filling during systole.
    if (zeta < sh_.zeta_b && inAtrium(x, sh_.la_centre, s_.la_semi, sh_.la_scale)) {
      out = {Tissue::kBlood, Tissue::kAir, 1.0f, 0};
      return true;
    }
    if (zeta < sh_.ra_tv && inAtrium(x, sh_.ra_centre, s_.ra_semi, sh_.la_scale)) {
      out = {Tissue::kBlood, Tissue::kAir, 1.0f, 0};
      return true;
    }
    if (vessels(x)) {
      out = {Tissue::kBlood, Tissue::kAir, 1.0f, 0};
      return true;
    }

    // Epicardial fat and the pericardial line: a band outside the LV and RV epicardium, thicker
    // in the atrioventricular groove and near the RV acute margin.
    double dist = 1e9;
    if (near_lv && zeta >= sh_.zeta_b - 6.0 && q_ep > 1.0) {
      dist = (std::sqrt(q_ep) - 1.0) * std::min(r_ep, sh_.c_ep);
    }
    if (rv_region || zeta >= cap_zeta) {
      if (q_rv_outer > 1.5) {
        const double w = s_.rv_wall;
        q_rv_outer = sq(ex / (sh_.rv_ps + w)) + sq(ey / (sh_.rv_pa + w)) + sq(ez / (sh_.rv_pl + w));
      }
      if (q_rv_outer > 1.0) {
        const double m = std::min({sh_.rv_ps, sh_.rv_pa, sh_.rv_pl}) + s_.rv_wall;
        dist = std::min(dist, (std::sqrt(q_rv_outer) - 1.0) * m);
      }
    }
    if (dist < 25.0) {
      const double margin = std::clamp(-eta / std::max(sh_.mean_r_ep, 1.0), 0.0, 1.0);
      const double band = s_.epicardial_fat[0] +
                          s_.epicardial_fat[1] * std::exp(-std::abs(zeta - sh_.zeta_b) / 8.0) +
                          s_.epicardial_fat[2] * margin;
      if (dist <= band) {
        out = {Tissue::kFat, Tissue::kAir, 1.0f, 0};
        return true;
      }
      if (dist <= band + 1.5) {
        out = {Tissue::kPericardium, Tissue::kAir, 1.0f, 0};
        return true;
      }
    }
    return false;
  }

  bool inAtrium(const Vec3& x, const Vec3& centre, const std::array<double, 3>& semi,
                double scale) const {
    const Vec3 d = x - centre;
    const double u = dot(d, fr_.e_s) / (semi[0] * scale);
    const double v = dot(d, fr_.e_a) / (semi[1] * scale);
    const double w = dot(d, fr_.a) / (semi[2] * scale);
    return u * u + v * v + w * w <= 1.0;
  }

  bool inPapillary(double xi, double eta, double zeta, double phi) const {
    if (!s_.papillary) return false;
    const double lt = s_.length - sh_.zeta_b;
    const double z0 = sh_.zeta_b + 0.30 * lt;
    const double z1 = sh_.zeta_b + 0.75 * lt;
    if (zeta < z0 || zeta > z1) return false;
    const double r = sh_.pap_radius;
    // Taper the ends so the muscles are rounded, not cut flat.
    const double end = std::min(zeta - z0, z1 - zeta);
    const double r_eff = end < r ? r * std::sqrt(end / r) : r;
    const double local = std::sqrt(std::max(0.0, 1.0 - sq((zeta - sh_.zeta_c) / sh_.c)));
    for (const double deg : {s_.papillary_al_deg, s_.papillary_pm_deg}) {
      const double ang = degToRad(deg);
      if (std::abs(wrapAngle(phi - ang)) > 0.8) continue;
      const double rc = radiusAt(sh_.r_en, ang) * local - 0.7 * r;
      const double px = rc * std::cos(ang);
      const double py = rc * std::sin(ang);
      if (sq(xi - px) + sq(eta - py) < r_eff * r_eff) return true;
    }
    return false;
  }

  const CardiacSubject& s_;
  const HeartFrame& fr_;
  Shape sh_;
  Vec3 core_centre_;
  double core_radius2_ = 0.0;
  double y_spine_ = 0.0;
  double z_apex_ = 0.0;
  double z_heart_ = 0.0;
  double tan_cap_ = 0.0;
  double near_lv_radius2_ = 0.0;
  Capsule lvot_, aorta_, pulmonary_;
};

// Per-angle shape functions g (cross-section) and omega (regional thickness), and the infarct
// weight w (1 in the akinetic sector).
struct AngularProfiles {
  std::array<double, kPhiBins> g{};
  std::array<double, kPhiBins> thickness{};  // (1 + omega) * thinning
  std::array<double, kPhiBins> akinetic{};
};

AngularProfiles angularProfiles(const CardiacSubject& s) {
  AngularProfiles p;
  for (int i = 0; i < kPhiBins; ++i) {
    const double phi = -kPi + (i + 0.0) * 2.0 * kPi / kPhiBins;
    const auto k = static_cast<std::size_t>(i);
    p.g[k] = (1.0 + s.ellipticity * std::cos(2.0 * (phi - s.ellipticity_angle))) *
             (1.0 - s.septal_flattening * std::pow(std::max(0.0, std::cos(phi)), 4.0));
    double omega = 0.0;
    for (std::size_t h = 0; h < 3; ++h) {
      omega += s.omega_amp[h] * std::cos(static_cast<double>(h + 1) * (phi - s.omega_phase[h]));
    }
    omega = std::clamp(omega, -0.25, 0.25) + s.septal_bump * std::exp(-sq(phi / 0.7));
    double w = 0.0;
    if (s.infarct) {
      const double dist = std::abs(wrapAngle(phi - s.infarct_centre));
      const double half = 0.5 * s.infarct_width;
      w = 1.0 - smoothstep(0.7 * half, 1.3 * half, dist);
    }
    p.akinetic[k] = w;
    p.thickness[k] = (1.0 + omega) * (1.0 - w * (1.0 - s.infarct_thinning));
  }
  return p;
}

}  // namespace

CardiacAnatomy::CardiacAnatomy(const CardiacSubject& subject) : subject_(subject) {
  const CardiacSubject& s = subject_;
  const double az = degToRad(s.azimuth_deg);
  const double el = degToRad(s.elevation_deg);
  frame_.a =
      normalized(Vec3{std::cos(el) * std::cos(az), -std::cos(el) * std::sin(az), -std::sin(el)});
  Vec3 e_s = normalized(geometry::projectOntoPlane(Vec3{-1.0, -1.0, 0.0}, frame_.a));
  frame_.e_s = normalized(geometry::rotateAbout(e_s, frame_.a, degToRad(s.roll_deg)));
  frame_.e_a = normalized(cross(frame_.e_s, frame_.a));
  frame_.origin = s.lv_centroid - frame_.a * (0.45 * s.length);
  frame_.apex = frame_.origin + frame_.a * s.length;
  const double b = degToRad(s.av_angle_deg);
  const Vec3 w = frame_.e_s * std::cos(b) + frame_.e_a * std::sin(b);
  frame_.aortic_valve = frame_.origin + w * s.av_radius - frame_.a * s.av_drop;

  // Myocardial volume from the ED shape; held constant in every phase.
  const AngularProfiles prof = angularProfiles(s);
  double g2 = 0.0;
  for (double gv : prof.g) g2 += gv * gv;
  g2 /= kPhiBins;
  const double c = s.length / (1.0 + s.kappa);
  const double b_ed = std::sqrt(s.edv_ml * 1000.0 / (kPi * g2 * c * truncationFactor(s.kappa)));
  double rep2 = 0.0;
  for (int i = 0; i < kPhiBins; ++i) {
    const auto k = static_cast<std::size_t>(i);
    rep2 += sq(b_ed * prof.g[k] + s.wall_thickness * prof.thickness[k]);
  }
  rep2 /= kPhiBins;
  const double c_ep = c + s.apical_ratio * s.wall_thickness;
  const double v_ep = kPi * rep2 * c_ep * truncationFactor(s.kappa * c / c_ep);
  myocardial_volume_mm3_ = v_ep - s.edv_ml * 1000.0;
}

double CardiacAnatomy::ejectedFraction(double t_ms) const {
  const double rr = rrMs();
  double t = std::fmod(t_ms, rr);
  if (t < 0.0) t += rr;
  const double t_es = subject_.t_es_fraction * rr;
  const double t_e = 0.20 * rr;
  const double t_a = 0.15 * rr;
  const double w_e = subject_.early_filling;
  if (t <= t_es) return 0.5 * (1.0 - std::cos(kPi * t / t_es));
  if (t <= t_es + t_e) return 1.0 - w_e * 0.5 * (1.0 - std::cos(kPi * (t - t_es) / t_e));
  if (t <= rr - t_a) return 1.0 - w_e;
  return (1.0 - w_e) * 0.5 * (1.0 + std::cos(kPi * (t - rr + t_a) / t_a));
}

double CardiacAnatomy::lvVolumeMl(double t_ms) const {
  return subject_.edv_ml * (1.0 - subject_.ef * ejectedFraction(t_ms));
}

namespace {

Shape computeShape(const CardiacSubject& s, const HeartFrame& fr, double myo_mm3, double f) {
  Shape sh;
  sh.f = f;
  sh.zeta_b = s.long_shortening * s.length * f;
  const double lt = s.length - sh.zeta_b;
  sh.c = lt / (1.0 + s.kappa);
  sh.h = s.kappa * sh.c;
  sh.zeta_c = sh.zeta_b + sh.h;
  const double phi_k = truncationFactor(s.kappa);
  const double volume = s.edv_ml * 1000.0 * (1.0 - s.ef * f);

  const AngularProfiles prof = angularProfiles(s);
  double g2 = 0.0;
  for (double gv : prof.g) g2 += gv * gv;
  g2 /= kPhiBins;
  const double c_ed = s.length / (1.0 + s.kappa);
  const double b_ed = std::sqrt(s.edv_ml * 1000.0 / (kPi * g2 * c_ed * phi_k));
  // Endocardial radius: R_en = w b_ED g + (1 - w) b g; solve <R_en^2> pi c Phi = V for b
  // (a quadratic; with no akinetic sector it reduces to the closed form).
  double qa = 0.0, qb = 0.0, qc = 0.0;
  for (int i = 0; i < kPhiBins; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const double w = prof.akinetic[k];
    const double g = prof.g[k];
    qa += sq((1.0 - w) * g);
    qb += 2.0 * w * (1.0 - w) * g * g * b_ed;
    qc += sq(w * g * b_ed);
  }
  qa /= kPhiBins;
  qb /= kPhiBins;
  qc /= kPhiBins;
  const double target = volume / (kPi * sh.c * phi_k);
  const double b =
      (-qb + std::sqrt(std::max(0.0, qb * qb - 4.0 * qa * (qc - target)))) / (2.0 * qa);
  std::array<double, kPhiBins> r_en{};
  for (int i = 0; i < kPhiBins; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const double w = prof.akinetic[k];
    r_en[k] = w * b_ed * prof.g[k] + (1.0 - w) * b * prof.g[k];
  }
  // Incompressible myocardium: bisection for the wall thickness that keeps V_ep - V_en fixed.
  const auto myocardium = [&](double tw) {
    double rep2 = 0.0;
    for (int i = 0; i < kPhiBins; ++i) {
      const auto k = static_cast<std::size_t>(i);
      rep2 += sq(r_en[k] + tw * prof.thickness[k]);
    }
    rep2 /= kPhiBins;
    const double c_ep = sh.c + s.apical_ratio * tw;
    return kPi * rep2 * c_ep * truncationFactor(sh.h / c_ep) - volume;
  };
  double lo = 0.5, hi = 40.0;
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (lo + hi);
    (myocardium(mid) < myo_mm3 ? lo : hi) = mid;
  }
  sh.wall = 0.5 * (lo + hi);
  sh.c_ep = sh.c + s.apical_ratio * sh.wall;
  for (int i = 0; i < kPhiBins; ++i) {
    const auto k = static_cast<std::size_t>(i);
    sh.r_en[k] = static_cast<float>(r_en[k]);
    sh.r_ep[k] = static_cast<float>(r_en[k] + sh.wall * prof.thickness[k]);
  }

  // RV (sizes from the ED epicardium so they do not breathe with the LV wall).
  const double r0_ed =
      b_ed * prof.g[kPhiBins / 2] + s.wall_thickness * prof.thickness[kPhiBins / 2];
  double mean_ep_ed = 0.0;
  for (int i = 0; i < kPhiBins; ++i) {
    const auto k = static_cast<std::size_t>(i);
    mean_ep_ed += b_ed * prof.g[k] + s.wall_thickness * prof.thickness[k];
  }
  mean_ep_ed /= kPhiBins;
  sh.mean_r_ep = mean_ep_ed;
  sh.rv_pl = s.rv_length_ratio * s.length;
  sh.rv_xi = r0_ed + s.rv_offset;
  sh.rv_eta = s.rv_anterior_offset;
  sh.rv_zeta = 0.80 * s.length - sh.rv_pl;
  sh.rv_ps = s.rv_septal_semi * (1.0 - s.rv_shortening_septal * f);
  sh.rv_pa = mean_ep_ed * s.rv_anterior_ratio * (1.0 - s.rv_shortening_anterior * f);
  sh.rv_tv = s.rv_tricuspid + s.rv_tricuspid_descent * s.length * f;
  sh.pap_radius = s.papillary_radius * (1.0 + 0.3 * f);

  // Atria fill while the ventricles empty.
  sh.la_scale = std::cbrt(1.0 + 0.35 * f);
  sh.la_centre = fr.origin - fr.a * (s.la_semi[2] + 2.0) - fr.e_a * s.la_anterior_shift +
                 fr.e_s * s.la_septal_shift + fr.a * (0.5 * sh.zeta_b);
  sh.ra_centre = fr.origin + fr.e_s * (r0_ed + s.rv_offset + s.ra_extra_offset) +
                 fr.a * (s.rv_tricuspid - s.ra_semi[2] - 2.0);
  sh.ra_tv = sh.rv_tv;

  // Outflow tracts and great vessels (fixed to the ED valve positions).
  const double b_av = degToRad(s.av_angle_deg);
  const Vec3 w_av = fr.e_s * std::cos(b_av) + fr.e_a * std::sin(b_av);
  sh.lvot_a = fr.origin + fr.a * 15.0 + w_av * (0.6 * s.av_radius);
  sh.lvot_b = fr.aortic_valve;
  const Vec3 d_ao = normalized(Vec3{-0.25, -0.2, 1.0});
  sh.aortic_root = fr.aortic_valve + d_ao * 12.0;
  sh.aorta_end = fr.aortic_valve + d_ao * 90.0;
  const double pa_eta = mean_ep_ed * s.rv_anterior_ratio;
  sh.pa_a = fr.origin + fr.e_s * (r0_ed + s.rv_offset - 0.2 * s.rv_septal_semi) +
            fr.e_a * (s.rv_anterior_offset + 0.85 * pa_eta) - fr.a * s.pa_drop;
  sh.pa_b = sh.pa_a + normalized(Vec3{0.35, 0.45, 1.0}) * 45.0;
  return sh;
}

}  // namespace

double CardiacAnatomy::wallThicknessMm(double t_ms) const {
  return computeShape(subject_, frame_, myocardial_volume_mm3_, ejectedFraction(t_ms)).wall;
}

double CardiacAnatomy::rvVolumeMl(double t_ms) const {
  const Shape sh = computeShape(subject_, frame_, myocardial_volume_mm3_, ejectedFraction(t_ms));
  const CardiacSnapshot snap(subject_, frame_, sh);
  const double step = 1.0;
  const double w = subject_.rv_wall;
  const double xi0 = std::max(sh.rv_xi - sh.rv_ps - w, -0.3 * sh.mean_r_ep);
  const double xi1 = sh.rv_xi + sh.rv_ps + w;
  const double eta0 = sh.rv_eta - sh.rv_pa - w;
  const double eta1 = sh.rv_eta + sh.rv_pa + w;
  const double z0 = sh.rv_zeta - sh.rv_pl - w;
  const double z1 = sh.rv_zeta + sh.rv_pl + w;
  long count = 0;
  for (double xi = xi0; xi <= xi1; xi += step) {
    for (double eta = eta0; eta <= eta1; eta += step) {
      for (double z = z0; z <= z1; z += step) {
        const Vec3 x = frame_.origin + frame_.e_s * xi + frame_.e_a * eta + frame_.a * z;
        if (snap.eval(x, {}).label == kLabelRvCavity) ++count;
      }
    }
  }
  return static_cast<double>(count) * step * step * step / 1000.0;
}

std::unique_ptr<AnatomySnapshot> CardiacAnatomy::at(double t_ms) const {
  const Shape shape = computeShape(subject_, frame_, myocardial_volume_mm3_, ejectedFraction(t_ms));
  return std::make_unique<CardiacSnapshot>(subject_, frame_, shape);
}

}  // namespace planelab::phantom
