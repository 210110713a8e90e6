// Difficulty of the phantom (PHANTOM.md 4.2): one level setting, or the individual knobs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geometry/vec3.h"

namespace planelab::phantom {

enum class Level { kL0, kL1, kL2, kL3 };

struct DifficultyKnobs {
  // Pose of the heart / knee (SD, degrees) and placement of the field of view (SD, mm).
  double axis_azimuth_sd_deg = 0.0;
  double axis_elevation_sd_deg = 0.0;
  double roll_sd_deg = 0.0;
  double fov_offset_sd_mm = 0.0;
  // In-plane rotation of the image axes (SD, degrees) and the probability of an extra
  // 90/180-degree "vendor family" rotation.
  double inplane_rotation_sd_sax_deg = 0.0;
  double inplane_rotation_sd_lax_deg = 0.0;
  double inplane_family_probability = 0.0;
  // Technologist planning errors: mitral centre and apex position SD (mm), SAX tilt SD (deg).
  double plan_error_mitral_mm = 0.0;
  double plan_error_apex_mm = 0.0;
  double plan_error_tilt_deg = 0.0;
  // Per-series breath-hold offsets of the heart (SD per LPS axis, mm); not written to headers.
  geometry::Vec3 breath_hold_sd_mm{0.0, 0.0, 0.0};
  // Pathology: false = all normal; true = ACDC-like mix; extreme adds EF 10 % / 20 mm walls.
  bool pathology_mix = false;
  bool extreme_pathology = false;
  bool papillary_muscles = false;
  double trabecular_max_mm = 0.0;
  // Relative amplitude of the tissue texture, drawn in [min, max].
  double texture_min = 0.0;
  double texture_max = 0.0;
  // Relative SD of T1/T2/PD jitter per subject, and the flip angle range (degrees).
  double contrast_jitter = 0.0;
  double flip_min_deg = 60.0;
  double flip_max_deg = 60.0;
  // Myocardial SNR range; 0 means noise-free.
  double snr_min = 0.0;
  double snr_max = 0.0;
  // Bias field: coefficients of the 3-D polynomial drawn in [-bias, +bias].
  double bias_coefficient = 0.0;
  // Fraction of k-space acquired along the phase-encoding direction.
  double kspace_phase_min = 1.0;
  double kspace_phase_max = 1.0;
  // Reconstructed in-plane pixel spacing range (mm).
  double pixel_spacing_min_mm = 1.5;
  double pixel_spacing_max_mm = 1.5;
};

DifficultyKnobs knobsForLevel(Level level);

// Every knob by its field name (breath_hold_sd_mm as breath_hold_sd_mm_x/_y/_z; booleans as
// 0/1), in declaration order: for --knob NAME=VALUE, cohort.json and truth.json.
std::vector<std::pair<std::string, double>> knobValues(const DifficultyKnobs& knobs);
// Sets one knob. Returns an empty string on success, else a stable key: "unknown_knob" or
// "bad_knob_value" (negative SDs/ranges, probabilities outside [0, 1], min > max is checked by
// validateKnobs).
std::string setKnob(DifficultyKnobs& knobs, const std::string& name, double value);
// Empty when the knobs are consistent, else "bad_knob_value" (a min above its max).
std::string validateKnobs(const DifficultyKnobs& knobs);
std::optional<Level> parseLevel(std::string_view text);  // "L0".."L3"
std::string levelName(Level level);

}  // namespace planelab::phantom
