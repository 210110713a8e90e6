#include "phantom/knee_anatomy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace planelab::phantom {

using geometry::cross;
using geometry::degToRad;
using geometry::dot;
using geometry::normalized;
using geometry::Vec3;

namespace {

constexpr double kSkin = 1.5;      // skin thickness (mm)
constexpr double kFar = 1.0e3;     // "far outside" distance returned by early outs
constexpr double kJointGap = 0.3;  // fluid film between opposing cartilage surfaces (mm)

inline double sq(double v) {
  return v * v;
}
inline double clamp01(double v) {
  return std::min(1.0, std::max(0.0, v));
}
inline double lerp(double a, double b, double t) {
  return a + (b - a) * t;
}
inline double smoothstep(double e0, double e1, double v) {
  const double t = clamp01((v - e0) / (e1 - e0));
  return t * t * (3.0 - 2.0 * t);
}
// Polynomial smooth minimum / maximum with blend width k (mm).
inline double smin(double a, double b, double k) {
  const double h = std::max(k - std::abs(a - b), 0.0) / k;
  return std::min(a, b) - h * h * k * 0.25;
}
inline double smax(double a, double b, double k) {
  return -smin(-a, -b, k);
}

// Approximate signed distance to an axis-aligned ellipsoid centred at the origin (accurate near
// the surface, which is where shells are cut).
inline double sdEllipsoid(const Vec3& p, const Vec3& r) {
  const double k0 = std::sqrt(sq(p.x / r.x) + sq(p.y / r.y) + sq(p.z / r.z));
  const double k1 =
      std::sqrt(sq(p.x / (r.x * r.x)) + sq(p.y / (r.y * r.y)) + sq(p.z / (r.z * r.z)));
  if (k1 < 1e-12) return -std::min(r.x, std::min(r.y, r.z));
  return k0 * (k0 - 1.0) / k1;
}

// Rotation about the x axis by angle (cos c, sin s): y -> z for s > 0.
inline Vec3 rotX(const Vec3& v, double c, double s) {
  return {v.x, c * v.y - s * v.z, s * v.y + c * v.z};
}

struct Box {
  Vec3 lo;
  Vec3 hi;
  bool contains(const Vec3& p) const {
    return p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y && p.z >= lo.z && p.z <= hi.z;
  }
};

Box boxAround(const Vec3& a, const Vec3& b, double margin) {
  return {{std::min(a.x, b.x) - margin, std::min(a.y, b.y) - margin, std::min(a.z, b.z) - margin},
          {std::max(a.x, b.x) + margin, std::max(a.y, b.y) + margin, std::max(a.z, b.z) + margin}};
}

// Round tube between a and b with radius varying linearly from ra to rb.
struct Tube {
  Vec3 a;
  Vec3 ab;
  double inv_len2 = 0.0;
  double ra = 1.0;
  double rb = 1.0;
  Box box;

  Tube() = default;
  Tube(const Vec3& from, const Vec3& to, double r_from, double r_to)
      : a(from),
        ab(to - from),
        inv_len2(1.0 / std::max(1e-9, dot(to - from, to - from))),
        ra(r_from),
        rb(r_to),
        box(boxAround(from, to, std::max(r_from, r_to))) {}
  bool inside(const Vec3& p) const {
    if (!box.contains(p)) return false;
    const Vec3 pa = p - a;
    const double h = clamp01(dot(pa, ab) * inv_len2);
    const double r = lerp(ra, rb, h);
    const Vec3 d = pa - ab * h;
    return dot(d, d) <= r * r;
  }
};

// Flat band between a and b: elliptic cross-section with half-width w along `wide` (projected
// perpendicular to the band) and half-thickness t; open ends.
struct Band {
  Vec3 a;
  Vec3 ab;
  double inv_len2 = 0.0;
  Vec3 e_wide;
  Vec3 e_thick;
  double w = 1.0;
  double t = 1.0;
  Box box;

  Band() = default;
  Band(const Vec3& from, const Vec3& to, const Vec3& wide, double half_width, double half_thickness)
      : a(from),
        ab(to - from),
        inv_len2(1.0 / std::max(1e-9, dot(to - from, to - from))),
        w(half_width),
        t(half_thickness),
        box(boxAround(from, to, std::max(half_width, half_thickness))) {
    const Vec3 dir = normalized(ab);
    e_wide = normalized(geometry::projectOntoPlane(wide, dir));
    e_thick = cross(dir, e_wide);
  }
  bool inside(const Vec3& p) const {
    if (!box.contains(p)) return false;
    const Vec3 pa = p - a;
    const double h = dot(pa, ab) * inv_len2;
    if (h < 0.0 || h > 1.0) return false;
    const Vec3 d = pa - ab * h;
    return sq(dot(d, e_wide) / w) + sq(dot(d, e_thick) / t) <= 1.0;
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Subject sampling
// ---------------------------------------------------------------------------------------------

KneeSubject sampleKneeSubject(Rng& rng, const DifficultyKnobs& knobs) {
  KneeSubject s;
  // Pose spread relative to the L2 ranges: L0 = mean pose, L1 half, L2 full, L3 1.5x.
  const double pose = std::clamp(knobs.axis_azimuth_sd_deg / 10.0, 0.0, 1.5);
  const double place = std::min(pose, 1.0);

  s.side = rng.bernoulli(0.5) ? "L" : "R";
  s.female = rng.bernoulli(0.5);
  s.age_years = rng.uniformInt(18, 75);
  s.scale = rng.truncatedNormal(s.female ? 0.955 : 1.045, 0.08);
  s.weight_kg = (s.female ? rng.normal(66.0, 11.0) : rng.normal(82.0, 12.0)) *
                (0.4 + 0.6 * s.scale * s.scale);
  s.weight_kg = std::clamp(s.weight_kg, 40.0, 160.0);

  s.flexion_deg = std::clamp(10.0 + pose * rng.uniform(-10.0, 10.0), 0.0, 35.0);
  s.external_rotation_deg = 7.5 + pose * rng.uniform(-12.5, 12.5);
  s.varus_valgus_deg = pose * rng.uniform(-6.0, 6.0);
  const double side_sign = s.side == "L" ? 1.0 : -1.0;
  // Knee centre near the isocentre (the patient is shifted so the knee sits in the coil).
  const Vec3 centre{side_sign * rng.uniform(0.0, 30.0) * place,
                    rng.truncatedNormal(0.0, 10.0) * place, rng.truncatedNormal(0.0, 15.0) * place};

  s.condyle_radius = rng.truncatedNormal(21.0, 2.0);
  s.medial_condyle_elongation = rng.uniform(1.12, 1.28);
  s.shaft_radius = rng.truncatedNormal(14.0, 1.5);
  s.posterior_condylar_offset = rng.uniform(23.0, 27.0);
  s.notch_width = rng.uniform(18.0, 22.0);
  s.notch_roof_angle_deg = rng.uniform(35.0, 45.0);
  s.trochlear_depth = rng.uniform(4.0, 6.0);

  s.cartilage_scale = rng.uniform(0.8, 1.2);
  s.femoral_cartilage = rng.truncatedNormal(2.0, 0.3) * s.cartilage_scale;
  s.tibial_cartilage = rng.uniform(2.0, 3.0) * s.cartilage_scale;
  s.patellar_cartilage = rng.uniform(2.5, 3.5) * s.cartilage_scale;

  // Tibial width follows the femoral condyles (they sit on the plateaus).
  const double femoral_width = s.notch_width + 2.0 * 0.64 * s.condyle_radius * 2.0;
  s.tibial_width = femoral_width + rng.truncatedNormal(2.0, 2.0);
  s.tibial_depth = rng.truncatedNormal(50.0, 4.0) * s.condyle_radius / 21.0;
  s.tibial_shaft_radius = rng.uniform(15.0, 17.0);
  s.posterior_slope_deg = rng.uniform(3.0, 10.0);
  s.medial_plateau_depth = rng.uniform(1.2, 2.5);
  s.eminence_height = rng.uniform(5.5, 8.5);

  s.meniscus_outer_radius = rng.uniform(20.0, 24.0) * s.condyle_radius / 21.0;
  s.meniscus_width = rng.uniform(9.0, 12.0);
  s.meniscus_height = rng.uniform(5.0, 7.0);
  s.medial_meniscus_gap_deg = rng.uniform(80.0, 100.0);
  s.lateral_meniscus_gap_deg = rng.uniform(40.0, 60.0);

  const double ps = rng.truncatedNormal(1.0, 0.06);
  s.patella_size = Vec3{44.0, 22.0, 36.0} * ps;
  s.patella_height = rng.uniform(-5.0, 5.0);

  s.acl_radius = rng.uniform(4.0, 5.0);
  s.pcl_radius = rng.uniform(4.5, 5.5);
  s.effusion = rng.uniform(0.5, 5.0);
  s.subcutaneous_fat = s.female ? rng.uniform(8.0, 22.0) : rng.uniform(4.0, 15.0);
  s.limb_extra_width = rng.uniform(9.0, 15.0);
  s.limb_extra_depth = rng.uniform(28.0, 40.0);

  s.joint_centre_mm = centre;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

struct KneeAnatomy::Model {
  KneeSubject s;
  std::vector<Marker> markers;

  // Knee frame (patient frame) and scale.
  Vec3 origin;
  Vec3 ex, ey, ez;
  double scale = 1.0;
  double inv_scale = 1.0;

  // Flexion: tibial coordinates q = rotX(-flexion)(p - hinge) + hinge.
  Vec3 hinge;
  double cf = 1.0, sf = 0.0;  // cos / sin of the flexion angle
  Vec3 bisector;              // normal of the plane splitting femoral / tibial soft tissue

  // Femur (canonical, unscaled mm).
  double R = 21.0;
  Vec3 cond_l_c, cond_l_r, cond_m_c, cond_m_r;
  double cond_l_coronal = 22.0, cond_m_coronal = 24.0;  // coronal radii of the distal surfaces
  double y_post = 25.0;                                 // posterior condylar tangent
  double shaft_y = -14.0, shaft_r = 14.0;
  Vec3 meta_c, meta_r;
  double meta_shear = 1.5;
  double groove_x = 2.0, groove_y0 = -49.0, groove_r = 25.0, groove_ztop = 40.0;
  double notch_half = 10.0, notch_y0 = -5.0, notch_cos = 0.77, notch_sin = 0.64;
  double troch_top = 48.0;
  double femur_phys_z = 22.0;
  Box femur_box;
  double shaft_bottom = 12.0;

  // Cartilage thickness.
  double t_fem = 2.0, t_tib = 2.5, t_pat = 3.0;
  double film = 0.6;

  // Tibia (tibial coordinates).
  double z_c0 = -4.8;  // plateau level at the lateral contact
  double plat_w = 38.0, plat_d = 25.0, plat_y = 2.0;
  double tshaft_r = 16.0, tshaft_y = 4.0;
  double tan_slope = 0.12, slope_y = 1.5;
  double med_depth = 2.0, lat_dome = 0.8;
  double spine_x_m = -5.0, spine_x_l = 5.0, spine_w = 3.5, spine_h = 7.0, spine_y = 1.0;
  Vec3 tub_c, tub_r;
  Box tibia_box;
  // Compartments for cartilage (centre, semi-axes ML/AP).
  Vec3 comp_m_c, comp_l_c;
  double comp_m_a = 15.0, comp_m_b = 20.0, comp_l_a = 14.0, comp_l_b = 17.0;

  // Menisci (tibial coordinates).
  Vec3 men_m_c, men_l_c;
  double men_m_a = 16.0, men_m_b = 22.0, men_l_a = 16.0, men_l_b = 18.0;
  double men_w = 10.0, men_h = 6.0;
  double men_m_gap_cos = 0.7, men_l_gap_cos = 0.9;

  // Fibula (tibial coordinates).
  Vec3 fib_c, fib_r;
  Tube fib_shaft;
  Box fib_box;

  // Patella.
  Vec3 pat_c, pat_r;
  double pat_ridge = 4.0;
  Box pat_box;

  // Ligaments and tendons (femoral coordinates unless stated).
  Tube acl;
  std::array<Tube, 6> pcl;
  std::array<Band, 2> mcl;
  Tube lcl;
  Band itb;
  Band patellar_tendon;
  Band quadriceps_tendon;
  Box ligament_box;

  // Fluid.
  Vec3 capsule_c, capsule_r;
  Vec3 recess_c, recess_r;
  // Vessels: femoral part (femoral coordinates) and tibial part (tibial coordinates).
  Tube artery_f, vein_f, artery_t, vein_t;
  // Hoffa's fat pad and the muscle bellies ((x, y, radius) columns, z limits).
  Vec3 hoffa_c, hoffa_r;
  double quad_z_ant = 70.0, quad_z_med = 35.0, quad_z_lat = 55.0;
  Vec3 ham_m, ham_l, gas_m, gas_l, soleus, anterior_group, peroneal;
  double ham_z_m = 30.0, ham_z_l = 35.0, gas_z_m = 35.0, gas_z_l = 32.0;
  double soleus_z = -45.0, anterior_z = -22.0, peroneal_z = -40.0;
  Vec3 popliteus_c, popliteus_r;
  Vec3 sartorius;
  double sartorius_z = -10.0;

  // Limb envelope (soft-tissue coordinates).
  double limb_x = 0.0, limb_ax = 60.0;
  double limb_front = -60.0, limb_back = 70.0;
  double fat = 10.0;

  KneeLandmarks lm;

  // --- geometry -----------------------------------------------------------------------------

  Vec3 toTibial(const Vec3& p) const { return rotX(p - hinge, cf, -sf) + hinge; }
  Vec3 fromTibial(const Vec3& q) const { return rotX(q - hinge, cf, sf) + hinge; }

  double notchInside(const Vec3& p) const {  // > 0 in the notch's half-space below the roof
    return (p.y - notch_y0) * notch_cos - p.z * notch_sin;
  }

  // Condyle: solid of revolution about the ML (flexion) axis through c. Sagittal profile: an
  // ellipse with SI radius r.z and AP radius r.y; coronal profile: an arc of radius `coronal`,
  // cut by rounded side walls at |x - c.x| = r.x.
  static double condyleSdf(const Vec3& p, const Vec3& c, const Vec3& r, double coronal) {
    const double e = r.y / r.z;
    const double dx = p.x - c.x;
    const double dy = (p.y - c.y) / e;
    const double dz = p.z - c.z;
    const double rho = std::sqrt(dy * dy + dz * dz);
    const double c0 = r.z - coronal;
    const double dr = rho - c0;
    const double big_d = std::sqrt(dx * dx + dr * dr);
    double d = big_d - coronal;
    if (rho > 1e-9 && big_d > 1e-9) {  // first-order correction for the AP stretch
      const double grad_rho2 = (dy * dy / (e * e) + dz * dz) / (rho * rho);
      d *= big_d / std::sqrt(dx * dx + dr * dr * grad_rho2);
    }
    return smax(d, std::abs(dx) - r.x, 5.0);
  }

  double femurSdf(const Vec3& p) const {
    const double cyl = std::hypot(p.x, p.y - shaft_y) - shaft_r;
    const double shaft = std::max(cyl, shaft_bottom - p.z);
    if (!femur_box.contains(p)) return p.z > femur_box.lo.z ? shaft : kFar;
    const double dl = condyleSdf(p, cond_l_c, cond_l_r, cond_l_coronal);
    const double dm = condyleSdf(p, cond_m_c, cond_m_r, cond_m_coronal);
    Vec3 pm = p - meta_c;
    pm.y += meta_shear * p.x / meta_r.x;  // lateral trochlear facet stands more anterior
    const double meta = sdEllipsoid(pm, meta_r);
    double body = smin(std::min(dl, dm), smin(meta, shaft, 10.0), 6.0);
    const double gy = groove_y0 - 0.6 * std::max(0.0, p.z - groove_ztop);
    const double groove = std::hypot(p.x - groove_x, p.y - gy) - groove_r;
    body = smax(body, -groove, 2.0);
    const double notch = std::max(std::abs(p.x) - notch_half, -notchInside(p));
    return smax(body, -notch, 1.5);
  }

  bool femoralArticular(const Vec3& p, double* thickness) const {
    if (std::abs(p.x) < notch_half + 0.5 && notchInside(p) > -1.0) return false;
    // Trochlea: anterior surface between the facets.
    if (p.y < meta_c.y && p.z > 1.0 && p.z < troch_top &&
        std::abs(p.x - groove_x) < 0.62 * meta_r.x) {
      *thickness = t_fem * 1.1;
      return true;
    }
    const auto condyle = [&](const Vec3& c, const Vec3& r) {
      const Vec3 u{(p.x - c.x) / r.x, (p.y - c.y) / r.y, (p.z - c.z) / r.z};
      return std::abs(u.x) < 0.88 && u.z < 0.55 && (u.z < 0.2 || u.y > 0.15);
    };
    if (condyle(cond_l_c, cond_l_r) || condyle(cond_m_c, cond_m_r)) {
      *thickness = t_fem;
      return true;
    }
    return false;
  }

  // Posterior bulge of the patella's median ridge at offset (dx, dz) from its centre.
  double patellaRidge(double dx, double dz) const {
    return pat_ridge * bump(dx, pat_r.x) * clamp01(1.0 - sq(dz / pat_r.z));
  }

  double patellaSdf(const Vec3& p) const {
    if (!pat_box.contains(p)) return kFar;
    const Vec3 u = p - pat_c;
    double d = sdEllipsoid(u, pat_r);
    if (u.y > 0.0) d -= patellaRidge(u.x, u.z) * smoothstep(0.0, 0.6 * pat_r.y, u.y);
    return d;
  }

  bool patellarArticular(const Vec3& p) const {
    const Vec3 u = p - pat_c;
    return u.y > 0.3 * pat_r.y && sq(u.z / (0.8 * pat_r.z)) + sq(u.x / (0.88 * pat_r.x)) < 1.0;
  }

  static double bump(double v, double w) {
    const double u = v / w;
    return std::abs(u) < 1.0 ? sq(1.0 - u * u) : 0.0;
  }

  // Height of the tibial bone surface (tibial coordinates).
  double plateauTop(double x, double y) const {
    double z = z_c0 - tan_slope * (y - slope_y);
    const double rm2 =
        sq((x - comp_m_c.x) / (comp_m_a + 3.0)) + sq((y - comp_m_c.y) / (comp_m_b + 2.0));
    z -= med_depth * (1.0 - std::min(1.0, rm2));  // concave medial plateau
    const double rl2 =
        sq((x - comp_l_c.x) / (comp_l_a + 3.0)) + sq((y - comp_l_c.y) / (comp_l_b + 2.0));
    z -= lat_dome * std::min(1.0, rl2);  // flat-to-convex lateral plateau
    const double yb = bump(y - spine_y, 11.0);
    if (yb > 0.0) {
      z += spine_h * yb * std::max(bump(x - spine_x_m, spine_w), bump(x - spine_x_l, spine_w));
      z +=
          0.35 * spine_h * yb * bump(x - 0.5 * (spine_x_m + spine_x_l), 9.0);  // intercondylar area
    }
    return z;
  }

  double tibiaSdf(const Vec3& q) const {
    if (!tibia_box.contains(q)) return kFar;
    const double h = z_c0 - q.z;
    const double sh = smoothstep(5.0, 55.0, h);
    const double w = lerp(plat_w, tshaft_r * 1.08, sh);
    const double d = lerp(plat_d, tshaft_r, sh);
    const double yc = lerp(plat_y, tshaft_y, sh);
    const double u = q.x / w;
    const double v = (q.y - yc) / d;
    const double u2 = u * u, v2 = v * v;
    const double g4 = u2 * u2 + v2 * v2;
    double cs;
    if (g4 < 1e-12) {
      cs = -std::min(w, d);
    } else {
      const double g = std::sqrt(std::sqrt(g4));
      const double inv_g3 = 1.0 / (g * g * g);
      const double gx = u2 * u / w * inv_g3;
      const double gy = v2 * v / d * inv_g3;
      cs = (g - 1.0) / std::sqrt(gx * gx + gy * gy);
    }
    const double top = q.z - plateauTop(q.x, q.y);
    const double body = smax(cs, top, 1.5);
    const double tub = sdEllipsoid(q - tub_c, tub_r);
    return smin(body, tub, 5.0);
  }

  bool tibialArticular(const Vec3& q) const {
    if (q.z < plateauTop(q.x, q.y) - 0.2) return false;
    return sq((q.x - comp_m_c.x) / comp_m_a) + sq((q.y - comp_m_c.y) / comp_m_b) < 1.0 ||
           sq((q.x - comp_l_c.x) / comp_l_a) + sq((q.y - comp_l_c.y) / comp_l_b) < 1.0;
  }

  // 0 = none, else the meniscus label.
  std::uint8_t meniscus(const Vec3& q) const {
    if (q.z > z_c0 + t_tib + men_h + 2.0 || q.z < z_c0 - 8.0) return 0;
    const auto one = [&](const Vec3& c, double a, double b, double gap_cos, double gap_dir,
                         double posterior_gain) -> bool {
      const double dx = q.x - c.x;
      const double dy = q.y - c.y;
      const double e2 = sq(dx / a) + sq(dy / b);
      if (e2 > 1.0) return false;
      const double r = std::sqrt(dx * dx + dy * dy);
      if (r < 1e-6) return false;
      const double e = std::sqrt(e2);
      const double depth = r * (1.0 / e - 1.0);  // radial distance in from the outer rim
      const double w = men_w * (1.0 + posterior_gain * dy / r);
      if (depth > w) return false;
      if (gap_dir * dx / r > gap_cos) return false;  // open part of the C faces the eminence
      const double base = plateauTop(q.x, q.y);
      return q.z >= base - 0.2 && q.z <= base + t_tib + men_h * (1.0 - depth / w);
    };
    if (one(men_m_c, men_m_a, men_m_b, men_m_gap_cos, 1.0, 0.3)) return kLabelMedialMeniscus;
    if (one(men_l_c, men_l_a, men_l_b, men_l_gap_cos, -1.0, 0.0)) return kLabelLateralMeniscus;
    return 0;
  }

  double fibulaSdf(const Vec3& q, double tibia) const {
    if (!fib_box.contains(q)) return kFar;
    double f = sdEllipsoid(q - fib_c, fib_r);
    if (fib_shaft.box.contains(q)) {
      const Vec3 pa = q - fib_shaft.a;
      const double h = clamp01(dot(pa, fib_shaft.ab) * fib_shaft.inv_len2);
      const Vec3 d = pa - fib_shaft.ab * h;
      f = smin(f, std::sqrt(dot(d, d)) - fib_shaft.ra, 4.0);
    }
    return std::max(f, 1.0 - tibia);  // keep a 1 mm tibiofibular joint space
  }

  bool ligament(const Vec3& p, Tissue* mixed, float* mix) const {
    *mix = 1.0f;
    if (ligament_box.contains(p)) {
      if (acl.inside(p)) {  // striated, slightly brighter than the PCL
        *mixed = Tissue::kFluid;
        *mix = 0.8f;
        return true;
      }
      for (const Tube& t : pcl) {
        if (t.inside(p)) return true;
      }
    }
    if (mcl[0].inside(p) || mcl[1].inside(p) || lcl.inside(p) || itb.inside(p)) return true;
    return patellar_tendon.inside(p) || quadriceps_tendon.inside(p);
  }

  static bool inEllipsoid(const Vec3& p, const Vec3& c, const Vec3& r) {
    return sq((p.x - c.x) / r.x) + sq((p.y - c.y) / r.y) + sq((p.z - c.z) / r.z) <= 1.0;
  }

  // Signed distance (approx.) to the limb's outer surface; soft-tissue coordinates.
  double limbDistance(const Vec3& s_pt, double* anterior_weight) const {
    double front = limb_front;
    if (s_pt.z < -10.0) front += std::min(18.0, 0.45 * (-10.0 - s_pt.z));  // slimmer shin
    const double ay = 0.5 * (limb_back - front);
    const double yc = 0.5 * (limb_back + front);
    const double u = (s_pt.x - limb_x) / limb_ax;
    const double v = (s_pt.y - yc) / ay;
    const double g = std::sqrt(u * u + v * v);
    if (g < 1e-9) {
      *anterior_weight = 0.0;
      return -std::min(limb_ax, ay);
    }
    *anterior_weight = std::max(0.0, -v / g);
    const double gx = u / (limb_ax * g);
    const double gy = v / (ay * g);
    return (g - 1.0) / std::sqrt(gx * gx + gy * gy);
  }

  // Oval column along z (ML radius 1.15 r, AP radius 0.85 r) whose end at z_end (above when
  // `up`, else below) is rounded over `taper` mm.
  static bool column(const Vec3& s_pt, double cx, double cy, double r, double z_end, double taper,
                     bool up) {
    const double along = up ? s_pt.z - z_end : z_end - s_pt.z;
    if (along <= 0.0) return false;
    const double rr = r * std::sqrt(std::min(1.0, along / taper));
    return sq((s_pt.x - cx) / 1.15) + sq((s_pt.y - cy) / 0.85) <= rr * rr;
  }

  // Muscle bellies in soft-tissue coordinates (femoral frame above the joint, tibial below).
  bool muscle(const Vec3& s_pt) const {
    if (s_pt.z > 0.0) {
      // Quadriceps around the front and sides of the femur (compartment borders run radially
      // from the shaft); vastus medialis reaches lowest, vastus lateralis ends higher.
      const double dy = s_pt.y - shaft_y;
      const double theta = std::atan2(s_pt.x, -dy);  // 0 anterior, + lateral, - medial
      if (std::abs(theta) < 2.1) {
        const double w_med = smoothstep(-0.3, -1.3, theta);
        const double w_lat = smoothstep(0.3, 1.3, theta);
        const double z_bot =
            quad_z_ant + w_med * (quad_z_med - quad_z_ant) + w_lat * (quad_z_lat - quad_z_ant);
        if (s_pt.z > z_bot) {
          const double r_out = 90.0 * std::sqrt(std::min(1.0, (s_pt.z - z_bot) / 25.0));
          if (sq(s_pt.x) + sq(dy) <= r_out * r_out) return true;
        }
      }
      // Hamstrings (semimembranosus medially, biceps femoris laterally), bulkier higher up.
      const double gm = 1.0 + 0.7 * smoothstep(ham_z_m, ham_z_m + 70.0, s_pt.z);
      if (column(s_pt, ham_m.x + 3.0 * (gm - 1.0), ham_m.y, ham_m.z * gm, ham_z_m, 14.0, true))
        return true;
      const double gl = 1.0 + 0.7 * smoothstep(ham_z_l, ham_z_l + 70.0, s_pt.z);
      if (column(s_pt, ham_l.x - 3.0 * (gl - 1.0), ham_l.y, ham_l.z * gl, ham_z_l, 14.0, true))
        return true;
    } else {
      // Popliteus behind the proximal tibia, soleus and the anterior / peroneal groups below.
      if (inEllipsoid(s_pt, popliteus_c, popliteus_r)) return true;
      if (column(s_pt, soleus.x, soleus.y + 0.15 * (soleus_z - s_pt.z), soleus.z, soleus_z, 20.0,
                 false))
        return true;
      if (column(s_pt, anterior_group.x, anterior_group.y, anterior_group.z, anterior_z, 18.0,
                 false))
        return true;
      if (column(s_pt, peroneal.x, peroneal.y, peroneal.z, peroneal_z, 18.0, false)) return true;
    }
    // Sartorius / gracilis on the medial side, down to the pes anserinus below the joint.
    if (column(s_pt, sartorius.x, sartorius.y, sartorius.z, sartorius_z, 15.0, true)) return true;
    // Gastrocnemius heads: from the posterior condyles down into the calf, growing distally.
    const double grow = s_pt.z < 0.0 ? std::min(1.0, -s_pt.z / 90.0) : 0.0;
    const double back = s_pt.z < 0.0 ? 0.12 * -s_pt.z : 0.0;
    if (column(s_pt, gas_m.x - 4.0 * grow, gas_m.y + back, gas_m.z * (1.0 + 0.5 * grow), gas_z_m,
               16.0, false)) {
      return true;
    }
    return column(s_pt, gas_l.x + 3.0 * grow, gas_l.y + back, gas_l.z * (1.0 + 0.4 * grow), gas_z_l,
                  16.0, false);
  }

  static TissueSample sample(Tissue t, std::uint8_t label) {
    TissueSample out;
    out.tissue = t;
    out.label = label;
    return out;
  }

  TissueSample boneSample(double sdf, double cortex, std::uint8_t label, bool scar) const {
    if (sdf > -cortex || scar) return sample(Tissue::kCortex, label);
    return sample(Tissue::kMarrow, label);
  }

  // Everything at canonical knee coordinates p (femoral frame, unscaled mm).
  TissueSample evalCanonical(const Vec3& p) const {
    const Vec3 q = toTibial(p);
    const Vec3 soft = dot(p - hinge, bisector) >= 0.0 ? p : q;

    double anterior = 0.0;
    const double env = limbDistance(soft, &anterior);
    if (env > 0.0) return sample(Tissue::kAir, 0);
    if (env > -kSkin) return sample(Tissue::kSoftTissue, 0);
    if (env > -kSkin - fat * (1.0 - 0.65 * anterior)) return sample(Tissue::kFat, 0);

    // Bones.
    const double fem = femurSdf(p);
    if (fem <= 0.0) {
      const double cortex = 1.4 + 2.3 * smoothstep(35.0, 80.0, p.z);
      const bool scar = std::abs(p.z - femur_phys_z - 0.0015 * p.x * p.x) < 0.45;
      return boneSample(fem, cortex, kLabelFemur, scar);
    }
    const double pat = patellaSdf(p);
    if (pat <= 0.0) return boneSample(pat, 1.4, kLabelPatella, false);
    const double tib = tibiaSdf(q);
    if (tib <= 0.0) {
      const double h = z_c0 - q.z;
      const double cortex = 1.3 + 2.7 * smoothstep(25.0, 75.0, h);
      const bool scar = std::abs(h - 17.0 - 0.002 * q.x * q.x) < 0.45;
      return boneSample(tib, cortex, kLabelTibia, scar);
    }
    const double fib = fibulaSdf(q, tib);
    if (fib <= 0.0) return boneSample(fib, 1.2, 0, false);

    // Cartilage; `*_film` marks the thin fluid layer on top of it.
    double t_here = t_fem;
    const bool fem_film =
        fem <= 1.1 * t_fem + film && femoralArticular(p, &t_here) && fem <= t_here + film;
    if (fem_film && fem <= t_here) return sample(Tissue::kCartilage, kLabelFemoralCartilage);
    const bool pat_film = pat <= t_pat + film && patellarArticular(p);
    if (pat_film && pat <= t_pat) return sample(Tissue::kCartilage, kLabelPatellarCartilage);
    const bool tib_film = tib <= t_tib + film && tibialArticular(q);
    if (tib_film && tib <= t_tib) return sample(Tissue::kCartilage, kLabelTibialCartilage);

    // Menisci, ligaments, tendons.
    if (const std::uint8_t m = meniscus(q)) return sample(Tissue::kMeniscus, m);
    Tissue mixed = Tissue::kAir;
    float mix = 1.0f;
    if (ligament(p, &mixed, &mix)) {
      TissueSample out = sample(Tissue::kCortex, 0);
      out.mixed_with = mixed;
      out.mix = mix;
      return out;
    }

    // Joint fluid: a film on the articular surfaces inside the capsule, the suprapatellar recess.
    if ((fem_film || pat_film || tib_film) && inEllipsoid(p, capsule_c, capsule_r)) {
      return sample(Tissue::kFluid, 0);
    }
    if (inEllipsoid(p, recess_c, recess_r)) return sample(Tissue::kFluid, 0);

    // Popliteal vessels (the artery as a partial flow void).
    if (artery_f.inside(p) || artery_t.inside(q)) {
      TissueSample out = sample(Tissue::kBlood, 0);
      out.mixed_with = Tissue::kAir;
      out.mix = 0.3f;
      return out;
    }
    if (vein_f.inside(p) || vein_t.inside(q)) return sample(Tissue::kBlood, 0);

    // Hoffa's fat pad; muscle bellies; fat everywhere else (subcutaneous, popliteal,
    // peri-articular).
    if (inEllipsoid(p, hoffa_c, hoffa_r)) return sample(Tissue::kFat, 0);
    if (muscle(soft)) return sample(Tissue::kSkeletalMuscle, 0);
    return sample(Tissue::kFat, 0);
  }

  Vec3 toKnee(const Vec3& x) const {
    const Vec3 d = x - origin;
    return {dot(d, ex), dot(d, ey), dot(d, ez)};
  }
  Vec3 toPatient(const Vec3& k) const { return origin + ex * k.x + ey * k.y + ez * k.z; }

  TissueSample eval(const Vec3& x) const {
    TissueSample out = evalCanonical(toKnee(x) * inv_scale);
    for (const Marker& m : markers) {
      const Vec3 d = x - m.centre_mm;
      if (dot(d, d) <= m.radius_mm * m.radius_mm) {
        out.tissue = m.tissue;
        out.mixed_with = Tissue::kAir;
        out.mix = 1.0f;
        break;
      }
    }
    return out;
  }

  void build();
};

void KneeAnatomy::Model::build() {
  const KneeSubject& k = s;
  scale = k.scale;
  inv_scale = 1.0 / scale;

  // --- frame: rotations of a left knee, mirrored for a right knee ---------------------------
  Vec3 axes[3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (Vec3& a : axes) {
    a = geometry::rotateAbout(a, Vec3{0, 1, 0}, degToRad(k.varus_valgus_deg));
    a = geometry::rotateAbout(a, Vec3{1, 0, 0}, -0.5 * degToRad(k.flexion_deg));
    a = geometry::rotateAbout(a, Vec3{0, 0, 1}, degToRad(k.external_rotation_deg));
    if (k.side == "R") a.x = -a.x;
  }
  ex = normalized(axes[0]);
  ey = normalized(axes[1]);
  ez = normalized(axes[2]);

  // --- femur ---------------------------------------------------------------------------------
  R = k.condyle_radius;
  const double yc = 4.0;
  y_post = yc + R;
  notch_half = 0.5 * k.notch_width;
  const double a_l = 0.62 * R;
  const double a_m = 0.66 * R;
  const double x_l = notch_half + a_l;
  const double x_m = -(notch_half + a_m);
  med_depth = k.medial_plateau_depth;
  cond_l_c = {x_l, yc, R};
  cond_l_r = {a_l, R, R};
  const double m_ap = k.medial_condyle_elongation * R;
  const double m_si = 1.03 * R;
  cond_m_c = {x_m, y_post - m_ap, m_si - med_depth};  // sits in the concave medial plateau
  cond_m_r = {a_m, m_ap, m_si};
  cond_l_coronal = 0.8 * R;
  cond_m_coronal = 0.9 * R;
  shaft_r = k.shaft_radius;
  shaft_y = y_post - k.posterior_condylar_offset - shaft_r;
  const double y_ant = shaft_y - shaft_r - 1.0;
  const double y_meta_post = y_post - 10.0;
  const double meta_half_w = std::max(x_l + a_l, -x_m + a_m) - 1.0;
  meta_r = {meta_half_w, 0.5 * (y_meta_post - y_ant), R + 2.0};
  meta_c = {0.0, 0.5 * (y_meta_post + y_ant), R + 8.0};
  groove_x = 0.1 * R;
  groove_r = 25.0;
  groove_y0 = y_ant - groove_r + k.trochlear_depth;
  groove_ztop = meta_c.z + 0.55 * meta_r.z;
  troch_top = groove_ztop + 3.0;
  notch_y0 = yc - 0.45 * R;
  notch_cos = std::cos(degToRad(k.notch_roof_angle_deg));
  notch_sin = std::sin(degToRad(k.notch_roof_angle_deg));
  femur_phys_z = 0.95 * R + 3.0;
  shaft_bottom = 0.5 * R;
  const double fem_top = meta_c.z + meta_r.z + 10.0;
  femur_box = {{x_m - a_m - 6.0, std::min(y_ant, cond_m_c.y - m_ap) - 6.0, -med_depth - 6.0},
               {x_l + a_l + 6.0, y_post + 6.0, fem_top}};

  t_fem = k.femoral_cartilage;
  t_tib = k.tibial_cartilage;
  t_pat = k.patellar_cartilage;
  film = 0.25 + 0.08 * k.effusion;

  // --- tibia (tibial coordinates; equal to femoral coordinates at zero flexion) ---------------
  z_c0 = -(t_fem + kJointGap + t_tib);
  plat_w = 0.5 * k.tibial_width;
  plat_d = 0.5 * k.tibial_depth;
  plat_y = yc - 1.0;
  tshaft_r = k.tibial_shaft_radius;
  tshaft_y = plat_y + 3.0;
  tan_slope = std::tan(degToRad(k.posterior_slope_deg));
  slope_y = 0.5 * (yc + cond_m_c.y);
  lat_dome = 0.8;
  comp_m_c = {x_m, cond_m_c.y, 0.0};
  comp_l_c = {x_l, yc, 0.0};
  comp_m_a = a_m + 1.0;
  comp_m_b = std::min(0.85 * m_ap, plat_d - 3.0);
  comp_l_a = a_l + 1.0;
  comp_l_b = std::min(0.8 * R, plat_d - 4.0);
  spine_x_m = -(notch_half - 5.0);
  spine_x_l = notch_half - 5.0;
  spine_w = 3.5;
  spine_h = k.eminence_height;
  spine_y = slope_y - 1.0;
  // Tuberosity on the anterior proximal tibia, ~30 mm below the plateau.
  {
    const double h = 30.0;
    const double sh = smoothstep(5.0, 55.0, h);
    const double d = lerp(plat_d, tshaft_r, sh);
    const double yc_h = lerp(plat_y, tshaft_y, sh);
    tub_r = {11.0, 6.0, 14.0};
    tub_c = {0.15 * plat_w, yc_h - d + 2.5, z_c0 - h};
  }
  tibia_box = {{-plat_w - 8.0, plat_y - plat_d - 12.0, -1e9},
               {plat_w + 8.0, plat_y + plat_d + 8.0, z_c0 + spine_h + 6.0}};

  // --- menisci ---------------------------------------------------------------------------------
  men_m_a = 0.72 * k.meniscus_outer_radius;
  men_m_b = std::min(k.meniscus_outer_radius, plat_d - 1.0);
  men_l_a = 0.72 * k.meniscus_outer_radius;
  men_l_b = std::min(0.82 * k.meniscus_outer_radius, plat_d - 2.0);
  men_m_c = {-(plat_w - men_m_a - 0.5), plat_y, 0.0};
  men_l_c = {plat_w - men_l_a - 0.5, plat_y, 0.0};
  men_w = k.meniscus_width;
  men_h = k.meniscus_height;
  men_m_gap_cos = std::cos(degToRad(0.5 * k.medial_meniscus_gap_deg));
  men_l_gap_cos = std::cos(degToRad(0.5 * k.lateral_meniscus_gap_deg));

  // --- fibula (posterolateral, below the lateral plateau) -------------------------------------
  fib_r = {9.5, 9.5, 12.0};
  fib_c = {0.80 * plat_w, plat_y + 0.72 * plat_d, z_c0 - 19.0};
  fib_shaft = Tube(fib_c, fib_c + Vec3{1.0, 2.0, -160.0}, 7.0, 7.0);
  fib_box = {{fib_c.x - 14.0, fib_c.y - 14.0, -1e9},
             {fib_c.x + 14.0, fib_c.y + 16.0, fib_c.z + 14.0}};

  // --- flexion ---------------------------------------------------------------------------------
  hinge = {0.0, yc, R};
  const double fl = degToRad(k.flexion_deg);
  cf = std::cos(fl);
  sf = std::sin(fl);
  bisector = rotX(Vec3{0, 0, 1}, std::cos(0.5 * fl), std::sin(0.5 * fl));

  // --- patella: placed against the trochlear cartilage ----------------------------------------
  pat_r = k.patella_size * 0.5;
  pat_ridge = 2.6;  // makes the facets follow the radius-25 trochlear groove
  const double pat_z = R + 17.0 + k.patella_height;
  {
    double y_p = 1e9;
    const double t_troch = 1.1 * t_fem;
    for (int iz = -3; iz <= 3; ++iz) {
      for (int ix = -5; ix <= 5; ++ix) {
        const double dx = ix * 3.0;
        const double dz = iz * 0.2 * pat_r.z;
        const double rr = 1.0 - sq(dx / pat_r.x) - sq(dz / pat_r.z);
        if (rr <= 0.05) continue;
        const Vec3 probe_base{groove_x + dx, 0.0, pat_z + dz};
        // March from anterior until the trochlear cartilage surface.
        for (double y = -90.0; y < 10.0; y += 0.25) {
          const Vec3 probe{probe_base.x, y, probe_base.z};
          if (femurSdf(probe) <= t_troch) {
            y_p = std::min(y_p, y - 0.8 - t_pat - pat_r.y * std::sqrt(rr) - patellaRidge(dx, dz));
            break;
          }
        }
      }
    }
    if (y_p > 1e8) y_p = y_ant - 12.0;
    pat_c = {groove_x, y_p, pat_z};
  }
  const double pat_margin = t_pat + film + 1.0;
  pat_box = {pat_c - pat_r - Vec3{pat_margin, pat_margin, pat_margin},
             pat_c + pat_r + Vec3{pat_margin, pat_margin + pat_ridge, pat_margin}};

  // --- ligaments and tendons -----------------------------------------------------------------
  const Vec3 acl_f{notch_half - 3.0, yc + 0.58 * R, 0.6 * R};
  const Vec3 acl_t = fromTibial({-1.5, slope_y - 0.5 * R, z_c0 + 0.5});
  acl = Tube(acl_f, acl_t, k.acl_radius * 0.85, k.acl_radius * 1.15);
  {
    const Vec3 p0{-(notch_half - 3.0), yc - 0.1 * R, 0.5 * R};
    const Vec3 p1{-2.0, yc + 0.85 * R, 0.55 * R};
    const Vec3 p2 = fromTibial({0.0, plat_y + plat_d - 3.0, z_c0 - 9.0});
    Vec3 prev = p0;
    for (std::size_t i = 0; i < pcl.size(); ++i) {
      const double n_seg = static_cast<double>(pcl.size());
      const double t0 = static_cast<double>(i) / n_seg;
      const double t = static_cast<double>(i + 1) / n_seg;
      const Vec3 cur = p0 * sq(1.0 - t) + p1 * (2.0 * t * (1.0 - t)) + p2 * (t * t);
      const double r0 = k.pcl_radius * (0.8 + 0.3 * std::sin(geometry::kPi * t0));
      const double r1 = k.pcl_radius * (0.8 + 0.3 * std::sin(geometry::kPi * t));
      pcl[i] = Tube(prev, cur, r0, r1);
      prev = cur;
    }
  }
  ligament_box = boxAround(acl_f, acl_t, 12.0);
  for (const Tube& t : pcl) {
    ligament_box.lo = {std::min(ligament_box.lo.x, t.box.lo.x),
                       std::min(ligament_box.lo.y, t.box.lo.y),
                       std::min(ligament_box.lo.z, t.box.lo.z)};
    ligament_box.hi = {std::max(ligament_box.hi.x, t.box.hi.x),
                       std::max(ligament_box.hi.y, t.box.hi.y),
                       std::max(ligament_box.hi.z, t.box.hi.z)};
  }
  {
    // MCL: medial epicondyle -> over the plateau rim -> medial tibial surface ~55 mm down.
    const Vec3 a{x_m - a_m - 1.8, cond_m_c.y - 0.1 * R, cond_m_c.z + 5.0};
    const Vec3 j = fromTibial({-(plat_w + 2.0), plat_y - 1.0, z_c0 + 1.0});
    const double h = 55.0;
    const double w = lerp(plat_w, tshaft_r * 1.08, smoothstep(5.0, 55.0, h));
    const Vec3 b = fromTibial({-(w + 1.8), plat_y + 1.0, z_c0 - h});
    mcl[0] = Band(a, j, Vec3{0, 1, 0}, 6.0, 1.4);
    mcl[1] = Band(j, b, Vec3{0, 1, 0}, 6.0, 1.4);
    // LCL: lateral epicondyle -> fibular head.
    const Vec3 la{x_l + a_l + 1.5, yc - 0.05 * R, R + 4.0};
    const Vec3 lb = fromTibial(fib_c + Vec3{fib_r.x * 0.6, -2.0, 4.0});
    lcl = Tube(la, lb, 2.5, 2.8);
    // Iliotibial band to Gerdy's tubercle.
    const Vec3 ia{x_l + a_l + 7.0, yc - 0.2 * R, 95.0};
    const Vec3 ib = fromTibial({plat_w - 3.0, plat_y - 0.55 * plat_d, z_c0 - 9.0});
    itb = Band(ia, ib, Vec3{0, 1, 0}, 8.0, 1.2);
    // Patellar tendon: lower pole -> tuberosity.
    const Vec3 pa{pat_c.x, pat_c.y - 2.0, pat_c.z - pat_r.z + 4.0};
    const Vec3 pb = fromTibial(tub_c + Vec3{0.0, -tub_r.y + 3.0, -3.0});
    patellar_tendon = Band(pa, pb, Vec3{1, 0, 0}, 12.0, 2.6);
    // Quadriceps tendon: upper pole -> anterior thigh, in front of the recess.
    const double femur_front = shaft_y - shaft_r;
    const double tendon_y = femur_front - 2.5 - k.effusion - 2.0 - 3.5;
    const Vec3 qa{pat_c.x, pat_c.y + 1.0, pat_c.z + pat_r.z - 5.0};
    const Vec3 qb{pat_c.x - 2.0, tendon_y, pat_c.z + 90.0};
    quadriceps_tendon = Band(qa, qb, Vec3{1, 0, 0}, 14.0, 3.5);
    // Suprapatellar recess, 2.5 mm in front of the femur (prefemoral fat behind it).
    recess_r = {22.0, std::max(0.6, 0.5 * k.effusion), 26.0};
    recess_c = {pat_c.x, femur_front - 2.5 - recess_r.y, pat_c.z + 22.0};
  }

  // --- capsule, fat pads, vessels --------------------------------------------------------------
  capsule_c = {0.0, yc - 2.0, 0.35 * R};
  capsule_r = {x_l + a_l + 8.0, 0.5 * (y_post - pat_c.y) + 10.0, pat_c.z + pat_r.z};
  capsule_c.y = 0.5 * (y_post + pat_c.y - pat_r.y);
  hoffa_c = {0.5 * groove_x, notch_y0 - 14.0, 0.1 * R};
  hoffa_r = {22.0, 11.0, 17.0};
  quad_z_ant = pat_c.z + pat_r.z + 12.0;
  quad_z_med = pat_c.z - 6.0;
  quad_z_lat = pat_c.z + 14.0;
  ham_m = {x_m - 6.0, y_post + 12.0, 14.0};
  ham_z_m = R + 10.0;
  ham_l = {x_l + 8.0, y_post + 9.0, 12.0};
  ham_z_l = R + 18.0;
  gas_m = {x_m + 3.0, y_post + 13.0, 12.5};
  gas_z_m = 1.55 * R;
  gas_l = {x_l - 3.0, y_post + 12.0, 10.5};
  gas_z_l = 1.45 * R;
  sartorius = {x_m - a_m - 4.0, y_post - 2.0, 8.0};
  sartorius_z = z_c0 - 12.0;
  popliteus_c = {-2.0, plat_y + plat_d + 5.0, z_c0 - 30.0};
  popliteus_r = {24.0, 7.0, 15.0};
  soleus = {2.0, plat_y + plat_d + 22.0, 20.0};
  soleus_z = z_c0 - 42.0;
  anterior_group = {0.45 * plat_w + 6.0, tshaft_y - 6.0, 13.0};
  anterior_z = z_c0 - 16.0;
  peroneal = {0.8 * plat_w + 6.0, tshaft_y + 12.0, 10.0};
  peroneal_z = z_c0 - 40.0;
  {
    const Vec3 a0{-2.0, y_post + 11.0, 0.0};
    const Vec3 a1{-6.0, shaft_y + shaft_r + 9.0, 160.0};
    const Vec3 v0{3.0, y_post + 18.0, 0.0};
    const Vec3 v1{1.0, shaft_y + shaft_r + 17.0, 160.0};
    artery_f = Tube(a0, a1, 3.3, 3.3);
    vein_f = Tube(v0, v1, 4.3, 4.3);
    // The tibial parts start where the femoral parts end (mapped into tibial coordinates).
    const Vec3 a0t = toTibial(a0);
    const Vec3 v0t = toTibial(v0);
    artery_t = Tube(a0t, Vec3{-3.0, plat_y + plat_d + 9.0, z_c0 - 160.0}, 3.3, 3.0);
    vein_t = Tube(v0t, Vec3{2.0, plat_y + plat_d + 16.0, z_c0 - 160.0}, 4.3, 4.0);
  }

  // --- limb envelope --------------------------------------------------------------------------
  fat = k.subcutaneous_fat;
  const double f_ant = 0.35 * fat;
  limb_front = pat_c.y - pat_r.y - f_ant - kSkin - 2.0;
  limb_back = y_post + k.limb_extra_depth + fat + kSkin;
  const double x_med = x_m - a_m - k.limb_extra_width - fat - kSkin;
  const double x_lat = x_l + a_l + 0.8 * k.limb_extra_width + fat + kSkin + 7.0;  // ITB side
  limb_x = 0.5 * (x_med + x_lat);
  limb_ax = 0.5 * (x_lat - x_med);

  // --- landmarks (knee frame, scaled) -----------------------------------------------------------
  const auto scaled = [&](const Vec3& v) { return v * scale; };
  lm.medial_condyle_centre = scaled(cond_m_c);
  lm.lateral_condyle_centre = scaled(cond_l_c);
  lm.medial_plateau_centre =
      scaled(fromTibial({comp_m_c.x, comp_m_c.y, plateauTop(comp_m_c.x, comp_m_c.y)}));
  lm.lateral_plateau_centre =
      scaled(fromTibial({comp_l_c.x, comp_l_c.y, plateauTop(comp_l_c.x, comp_l_c.y)}));
  lm.patella_centre = scaled(pat_c);
  lm.tibial_tuberosity = scaled(fromTibial(tub_c));
  lm.joint_centre = scaled(Vec3{0.0, yc, 0.5 * z_c0});
  lm.medial_x = (x_m - a_m) * scale;
  lm.lateral_x = (x_l + a_l) * scale;
  lm.anterior_y = (pat_c.y - pat_r.y) * scale;
  lm.posterior_y = y_post * scale;
  lm.distal_z = lm.tibial_tuberosity.z - tub_r.z * scale;
  lm.proximal_z = (pat_c.z + pat_r.z) * scale;

  // --- place the frame so that the joint centre lands on the subject's joint_centre_mm -------
  origin = s.joint_centre_mm -
           (ex * lm.joint_centre.x + ey * lm.joint_centre.y + ez * lm.joint_centre.z);
}

// ---------------------------------------------------------------------------------------------
// Public interface
// ---------------------------------------------------------------------------------------------

namespace {

class KneeSnapshot : public AnatomySnapshot {
 public:
  explicit KneeSnapshot(std::shared_ptr<const KneeAnatomy::Model> model)
      : model_(std::move(model)) {}
  TissueSample eval(const Vec3& x, const Vec3& /*breath_hold_shift*/) const override {
    return model_->eval(x);
  }

 private:
  std::shared_ptr<const KneeAnatomy::Model> model_;
};

}  // namespace

KneeAnatomy::KneeAnatomy(const KneeSubject& subject, std::vector<Marker> markers) {
  auto m = std::make_shared<Model>();
  m->s = subject;
  m->markers = std::move(markers);
  m->build();
  model_ = std::move(m);
}

KneeAnatomy::~KneeAnatomy() = default;

std::unique_ptr<AnatomySnapshot> KneeAnatomy::at(double /*t_ms*/) const {
  return std::make_unique<KneeSnapshot>(model_);
}

TissueSample KneeAnatomy::eval(const Vec3& x_mm) const {
  return model_->eval(x_mm);
}

const KneeSubject& KneeAnatomy::subject() const {
  return model_->s;
}
Vec3 KneeAnatomy::origin() const {
  return model_->origin;
}
Vec3 KneeAnatomy::medialLateralAxis() const {
  return model_->ex;
}
Vec3 KneeAnatomy::anteriorPosteriorAxis() const {
  return model_->ey;
}
Vec3 KneeAnatomy::distalProximalAxis() const {
  return model_->ez;
}
Vec3 KneeAnatomy::tibialShaftAxis() const {
  const Vec3 up = rotX(Vec3{0, 0, 1}, model_->cf, model_->sf);
  return normalized(model_->ex * up.x + model_->ey * up.y + model_->ez * up.z);
}
Vec3 KneeAnatomy::kneeToPatient(const Vec3& k_mm) const {
  return model_->toPatient(k_mm);
}
Vec3 KneeAnatomy::patientToKnee(const Vec3& x_mm) const {
  return model_->toKnee(x_mm);
}
const KneeLandmarks& KneeAnatomy::landmarks() const {
  return model_->lm;
}

}  // namespace planelab::phantom
