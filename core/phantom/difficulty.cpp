#include "phantom/difficulty.h"

#include <cmath>

namespace planelab::phantom {

DifficultyKnobs knobsForLevel(Level level) {
  DifficultyKnobs k;
  switch (level) {
    case Level::kL0:
      break;  // all defaults: mean pose, no noise, no texture, 1.5 mm pixels
    case Level::kL1:
      k.axis_azimuth_sd_deg = 5.0;
      k.axis_elevation_sd_deg = 4.0;
      k.roll_sd_deg = 6.0;
      k.fov_offset_sd_mm = 5.0;
      k.inplane_rotation_sd_sax_deg = 4.0;
      k.inplane_rotation_sd_lax_deg = 8.0;
      k.plan_error_mitral_mm = 1.0;
      k.plan_error_apex_mm = 2.0;
      k.plan_error_tilt_deg = 2.0;
      k.breath_hold_sd_mm = {0.33, 0.5, 1.0};
      k.papillary_muscles = true;
      k.trabecular_max_mm = 1.0;
      k.texture_min = k.texture_max = 0.03;
      k.contrast_jitter = 0.05;
      k.snr_min = k.snr_max = 40.0;
      k.bias_coefficient = 0.1;
      k.kspace_phase_min = k.kspace_phase_max = 0.9;
      k.pixel_spacing_min_mm = 1.3;
      k.pixel_spacing_max_mm = 1.7;
      break;
    case Level::kL2:
      k.axis_azimuth_sd_deg = 10.0;
      k.axis_elevation_sd_deg = 8.0;
      k.roll_sd_deg = 12.0;
      k.fov_offset_sd_mm = 12.0;
      k.inplane_rotation_sd_sax_deg = 8.0;
      k.inplane_rotation_sd_lax_deg = 15.0;
      k.inplane_family_probability = 0.10;
      k.plan_error_mitral_mm = 2.0;
      k.plan_error_apex_mm = 4.0;
      k.plan_error_tilt_deg = 4.0;
      k.breath_hold_sd_mm = {1.0, 1.5, 3.0};
      k.pathology_mix = true;
      k.papillary_muscles = true;
      k.trabecular_max_mm = 3.0;
      k.texture_min = 0.05;
      k.texture_max = 0.15;
      k.contrast_jitter = 0.08;
      k.flip_min_deg = 45.0;
      k.flip_max_deg = 80.0;
      k.snr_min = 10.0;
      k.snr_max = 40.0;
      k.bias_coefficient = 0.3;
      k.kspace_phase_min = 0.65;
      k.kspace_phase_max = 1.0;
      k.pixel_spacing_min_mm = 1.2;
      k.pixel_spacing_max_mm = 1.8;
      break;
    case Level::kL3:
      k.axis_azimuth_sd_deg = 15.0;
      k.axis_elevation_sd_deg = 12.0;
      k.roll_sd_deg = 20.0;
      k.fov_offset_sd_mm = 25.0;
      k.inplane_rotation_sd_sax_deg = 20.0;
      k.inplane_rotation_sd_lax_deg = 30.0;
      k.inplane_family_probability = 0.25;
      k.plan_error_mitral_mm = 4.0;
      k.plan_error_apex_mm = 8.0;
      k.plan_error_tilt_deg = 8.0;
      k.breath_hold_sd_mm = {2.0, 3.0, 6.0};
      k.pathology_mix = true;
      k.extreme_pathology = true;
      k.papillary_muscles = true;
      k.trabecular_max_mm = 6.0;
      k.texture_min = k.texture_max = 0.2;
      k.contrast_jitter = 0.15;
      k.flip_min_deg = 30.0;
      k.flip_max_deg = 90.0;
      k.snr_min = 5.0;
      k.snr_max = 15.0;
      k.bias_coefficient = 0.6;
      k.kspace_phase_min = 0.5;
      k.kspace_phase_max = 1.0;
      k.pixel_spacing_min_mm = 1.0;
      k.pixel_spacing_max_mm = 2.2;
      break;
  }
  return k;
}

namespace {

struct KnobField {
  const char* name;
  double DifficultyKnobs::*number;  // null for booleans and vector components
  bool DifficultyKnobs::*flag;
  int component;  // 0..2 for breath_hold_sd_mm, -1 otherwise
};

constexpr KnobField kKnobFields[] = {
    {"axis_azimuth_sd_deg", &DifficultyKnobs::axis_azimuth_sd_deg, nullptr, -1},
    {"axis_elevation_sd_deg", &DifficultyKnobs::axis_elevation_sd_deg, nullptr, -1},
    {"roll_sd_deg", &DifficultyKnobs::roll_sd_deg, nullptr, -1},
    {"fov_offset_sd_mm", &DifficultyKnobs::fov_offset_sd_mm, nullptr, -1},
    {"inplane_rotation_sd_sax_deg", &DifficultyKnobs::inplane_rotation_sd_sax_deg, nullptr, -1},
    {"inplane_rotation_sd_lax_deg", &DifficultyKnobs::inplane_rotation_sd_lax_deg, nullptr, -1},
    {"inplane_family_probability", &DifficultyKnobs::inplane_family_probability, nullptr, -1},
    {"plan_error_mitral_mm", &DifficultyKnobs::plan_error_mitral_mm, nullptr, -1},
    {"plan_error_apex_mm", &DifficultyKnobs::plan_error_apex_mm, nullptr, -1},
    {"plan_error_tilt_deg", &DifficultyKnobs::plan_error_tilt_deg, nullptr, -1},
    {"breath_hold_sd_mm_x", nullptr, nullptr, 0},
    {"breath_hold_sd_mm_y", nullptr, nullptr, 1},
    {"breath_hold_sd_mm_z", nullptr, nullptr, 2},
    {"pathology_mix", nullptr, &DifficultyKnobs::pathology_mix, -1},
    {"extreme_pathology", nullptr, &DifficultyKnobs::extreme_pathology, -1},
    {"papillary_muscles", nullptr, &DifficultyKnobs::papillary_muscles, -1},
    {"trabecular_max_mm", &DifficultyKnobs::trabecular_max_mm, nullptr, -1},
    {"texture_min", &DifficultyKnobs::texture_min, nullptr, -1},
    {"texture_max", &DifficultyKnobs::texture_max, nullptr, -1},
    {"contrast_jitter", &DifficultyKnobs::contrast_jitter, nullptr, -1},
    {"flip_min_deg", &DifficultyKnobs::flip_min_deg, nullptr, -1},
    {"flip_max_deg", &DifficultyKnobs::flip_max_deg, nullptr, -1},
    {"snr_min", &DifficultyKnobs::snr_min, nullptr, -1},
    {"snr_max", &DifficultyKnobs::snr_max, nullptr, -1},
    {"bias_coefficient", &DifficultyKnobs::bias_coefficient, nullptr, -1},
    {"kspace_phase_min", &DifficultyKnobs::kspace_phase_min, nullptr, -1},
    {"kspace_phase_max", &DifficultyKnobs::kspace_phase_max, nullptr, -1},
    {"pixel_spacing_min_mm", &DifficultyKnobs::pixel_spacing_min_mm, nullptr, -1},
    {"pixel_spacing_max_mm", &DifficultyKnobs::pixel_spacing_max_mm, nullptr, -1},
};

double& component(geometry::Vec3& v, int c) {
  return c == 0 ? v.x : c == 1 ? v.y : v.z;
}

}  // namespace

std::vector<std::pair<std::string, double>> knobValues(const DifficultyKnobs& knobs) {
  DifficultyKnobs copy = knobs;
  std::vector<std::pair<std::string, double>> out;
  for (const KnobField& f : kKnobFields) {
    const double v = f.number ? copy.*f.number
                     : f.flag ? (copy.*f.flag ? 1.0 : 0.0)
                              : component(copy.breath_hold_sd_mm, f.component);
    out.emplace_back(f.name, v);
  }
  return out;
}

std::string setKnob(DifficultyKnobs& knobs, const std::string& name, double value) {
  for (const KnobField& f : kKnobFields) {
    if (name != f.name) continue;
    if (!std::isfinite(value)) return "bad_knob_value";
    if (f.flag) {
      if (value != 0.0 && value != 1.0) return "bad_knob_value";
      knobs.*f.flag = value == 1.0;
      return {};
    }
    if (value < 0.0) return "bad_knob_value";  // SDs, amplitudes, ranges and spacings
    const bool fraction =
        name == "inplane_family_probability" || name.rfind("kspace_phase", 0) == 0;
    if (fraction && value > 1.0) return "bad_knob_value";
    if (name.rfind("kspace_phase", 0) == 0 && value < 0.1) return "bad_knob_value";
    if (name.rfind("pixel_spacing", 0) == 0 && value < 0.1) return "bad_knob_value";
    (f.number ? knobs.*f.number : component(knobs.breath_hold_sd_mm, f.component)) = value;
    return {};
  }
  return "unknown_knob";
}

std::string validateKnobs(const DifficultyKnobs& k) {
  const bool ordered = k.texture_min <= k.texture_max && k.flip_min_deg <= k.flip_max_deg &&
                       k.snr_min <= k.snr_max && k.kspace_phase_min <= k.kspace_phase_max &&
                       k.pixel_spacing_min_mm <= k.pixel_spacing_max_mm;
  return ordered ? std::string{} : std::string{"bad_knob_value"};
}

std::optional<Level> parseLevel(std::string_view text) {
  if (text == "L0") return Level::kL0;
  if (text == "L1") return Level::kL1;
  if (text == "L2") return Level::kL2;
  if (text == "L3") return Level::kL3;
  return std::nullopt;
}

std::string levelName(Level level) {
  switch (level) {
    case Level::kL0:
      return "L0";
    case Level::kL1:
      return "L1";
    case Level::kL2:
      return "L2";
    case Level::kL3:
      return "L3";
  }
  return "L?";
}

}  // namespace planelab::phantom
