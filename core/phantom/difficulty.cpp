#include "phantom/difficulty.h"

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
