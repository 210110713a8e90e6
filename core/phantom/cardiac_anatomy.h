// Analytic heart in a torso (PHANTOM.md 3.1-3.4): truncated-ellipsoid LV with incompressible
// myocardium, RV crescent, atria, outflow tracts and great vessels, epicardial fat, and a torso
// with lungs, liver dome, spine and chest wall. Labels follow ACDC: 1 RV cavity, 2 LV myocardium,
// 3 LV cavity (papillary muscles and trabeculae included).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "geometry/vec3.h"
#include "phantom/anatomy.h"
#include "phantom/difficulty.h"
#include "phantom/rng.h"

namespace planelab::phantom {

constexpr std::uint8_t kLabelRvCavity = 1;
constexpr std::uint8_t kLabelLvMyocardium = 2;
constexpr std::uint8_t kLabelLvCavity = 3;

// One subject's parameter vector theta (lengths in mm, volumes in mL, angles in degrees unless
// the name says rad, times in ms).
struct CardiacSubject {
  std::string group = "NOR";  // NOR, DCM, HCM, MINF, ARV
  bool female = false;
  int age_years = 50;
  double weight_kg = 75.0;

  // Torso (centred at x = 0, y = 0; the heart level is z = heart_centre.z).
  double body_half_width = 165.0;
  double body_half_depth = 110.0;
  double body_exponent = 2.5;  // superellipse
  double subcutaneous_fat = 15.0;
  double chest_muscle = 12.0;
  double spine_radius = 20.0;
  double aorta_desc_radius = 11.0;
  double aorta_desc_x = 20.0;
  double diaphragm_right_drop = 5.0;   // right dome below the apex (mm)
  double diaphragm_left_extra = 10.0;  // left dome this much lower again
  double diaphragm_radius = 200.0;

  // Heart pose: LV centroid, long axis a (base -> apex), septal roll.
  geometry::Vec3 lv_centroid{30.0, -15.0, 0.0};
  double azimuth_deg = 42.0;
  double elevation_deg = 24.0;
  double roll_deg = 0.0;

  // LV shape and function.
  double length = 85.0;  // mitral centre -> endocardial apex at ED
  double kappa = 0.5;    // basal truncation h / c
  double edv_ml = 150.0;
  double ef = 0.60;
  double long_shortening = 0.15;        // base descent fraction of L at ES
  double wall_thickness = 8.5;          // ED, mid-ventricle
  double apical_ratio = 0.6;            // apical cap thickness / wall thickness
  std::array<double, 3> omega_amp{};    // regional thickness harmonics
  std::array<double, 3> omega_phase{};  // rad
  double septal_bump = 0.0;             // HCM septal thickening (fraction)
  double ellipticity = 0.0;
  double ellipticity_angle = 0.0;  // rad
  double septal_flattening = 0.0;
  // Infarct (MINF): akinetic thin sector.
  bool infarct = false;
  double infarct_centre = 0.0;    // rad
  double infarct_width = 0.0;     // rad
  double infarct_thinning = 1.0;  // wall thickness factor in the sector

  bool papillary = false;
  double papillary_radius = 4.5;
  double papillary_al_deg = 150.0;
  double papillary_pm_deg = -110.0;
  double trabecular = 0.0;  // band thickness
  std::array<int, 4> trabecular_m{};
  std::array<double, 4> trabecular_nu{};     // rad/mm
  std::array<double, 4> trabecular_theta{};  // rad

  // Timing.
  double heart_rate_bpm = 68.0;
  double t_es_fraction = 0.36;  // t_ES / RR
  double early_filling = 0.7;   // w_E

  // RV.
  double rv_septal_semi = 22.0;     // p_S
  double rv_offset = 5.0;           // delta xi
  double rv_anterior_ratio = 1.4;   // p_A / Rmid
  double rv_anterior_offset = 4.0;  // eta_c
  double rv_length_ratio = 0.48;    // p_L / L
  double rv_tricuspid = 4.0;        // zeta_TV
  double rv_cap_angle_deg = 30.0;
  double rv_shortening_septal = 0.3;
  double rv_shortening_anterior = 0.15;
  double rv_wall = 3.5;
  double rv_tricuspid_descent = 0.2;  // s_RV

  // Valves, atria and vessels.
  double av_radius = 24.0;
  double av_angle_deg = 30.0;
  double av_drop = 6.0;
  double lvot_radius = 10.0;
  double aortic_root_radius = 16.0;
  double aorta_asc_radius = 15.0;
  double pa_radius = 13.0;
  double pa_drop = 10.0;
  std::array<double, 3> la_semi{20.0, 20.0, 26.0};
  double la_anterior_shift = 4.0;
  double la_septal_shift = 0.0;
  std::array<double, 3> ra_semi{20.0, 20.0, 26.0};
  double ra_extra_offset = 3.0;

  // Epicardial fat thicknesses f0, f1, f2.
  std::array<double, 3> epicardial_fat{1.0, 5.0, 2.0};
  // Breasts (female only).
  bool breasts = false;
};

// Draws a subject (PHANTOM.md 3.1 distributions, pose SDs from the knobs).
CardiacSubject sampleCardiacSubject(Rng& rng, const DifficultyKnobs& knobs);

// Heart frame and landmarks at ED.
struct HeartFrame {
  geometry::Vec3 a;       // base -> apex
  geometry::Vec3 e_s;     // septal direction (towards the RV)
  geometry::Vec3 e_a;     // anterior
  geometry::Vec3 origin;  // mitral-valve centre O at ED
  geometry::Vec3 apex;    // endocardial apex A (fixed in time)
  geometry::Vec3 aortic_valve;
};

class CardiacAnatomy : public Anatomy {
 public:
  explicit CardiacAnatomy(const CardiacSubject& subject);
  std::unique_ptr<AnatomySnapshot> at(double t_ms) const override;

  const CardiacSubject& subject() const { return subject_; }
  const HeartFrame& frame() const { return frame_; }
  double rrMs() const { return 60000.0 / subject_.heart_rate_bpm; }
  // Fraction of stroke volume ejected at t (0 at ED, 1 at ES), PHANTOM.md 3.3.
  double ejectedFraction(double t_ms) const;
  double lvVolumeMl(double t_ms) const;
  // Myocardial volume (mL), constant over the cycle by construction.
  double myocardialVolumeMl() const { return myocardial_volume_mm3_ / 1000.0; }
  double wallThicknessMm(double t_ms) const;
  // RV cavity volume (mL), counted on a 1 mm grid over the RV's bounding box.
  double rvVolumeMl(double t_ms) const;

 private:
  CardiacSubject subject_;
  HeartFrame frame_;
  double myocardial_volume_mm3_ = 0.0;
};

}  // namespace planelab::phantom
