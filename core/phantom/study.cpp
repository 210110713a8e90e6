#include "phantom/study.h"

#include <cstring>

#include "phantom/rng.h"

#include "phantom/cardiac_study.h"
#include "phantom/knee_study.h"

namespace planelab::phantom {

std::optional<Organ> parseOrgan(const std::string& text) {
  if (text == "heart") return Organ::kHeart;
  if (text == "knee") return Organ::kKnee;
  return std::nullopt;
}

std::optional<Layout> parseLayout(const std::string& text) {
  if (text == "dsb") return Layout::kDsb;
  if (text == "ukb") return Layout::kUkb;
  if (text == "quirks") return Layout::kQuirks;
  return std::nullopt;
}

std::string organName(Organ organ) {
  return organ == Organ::kHeart ? "heart" : "knee";
}

std::string layoutName(Layout layout) {
  switch (layout) {
    case Layout::kDsb:
      return "dsb";
    case Layout::kUkb:
      return "ukb";
    case Layout::kQuirks:
      return "quirks";
  }
  return "dsb";
}

std::uint64_t variantKey(const StudyOptions& o) {
  const auto bits = [](double v) {
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    return u;
  };
  const DifficultyKnobs& k = o.knobs;
  std::uint64_t h =
      hashPath({static_cast<std::uint64_t>(o.organ), static_cast<std::uint64_t>(o.layout),
                static_cast<std::uint64_t>(o.level), static_cast<std::uint64_t>(o.phases),
                o.markers ? 1u : 0u, o.breath_hold_shifts ? 1u : 0u});
  for (const double v : {k.axis_azimuth_sd_deg,
                         k.axis_elevation_sd_deg,
                         k.roll_sd_deg,
                         k.fov_offset_sd_mm,
                         k.inplane_rotation_sd_sax_deg,
                         k.inplane_rotation_sd_lax_deg,
                         k.inplane_family_probability,
                         k.plan_error_mitral_mm,
                         k.plan_error_apex_mm,
                         k.plan_error_tilt_deg,
                         k.breath_hold_sd_mm.x,
                         k.breath_hold_sd_mm.y,
                         k.breath_hold_sd_mm.z,
                         k.trabecular_max_mm,
                         k.texture_min,
                         k.texture_max,
                         k.contrast_jitter,
                         k.flip_min_deg,
                         k.flip_max_deg,
                         k.snr_min,
                         k.snr_max,
                         k.bias_coefficient,
                         k.kspace_phase_min,
                         k.kspace_phase_max,
                         k.pixel_spacing_min_mm,
                         k.pixel_spacing_max_mm}) {
    h = hashPath({h, bits(v)});
  }
  return hashPath(
      {h, k.pathology_mix ? 1u : 0u, k.extreme_pathology ? 1u : 0u, k.papillary_muscles ? 1u : 0u});
}

PhantomStudy generateStudy(std::uint64_t seed, int subject_index, const StudyOptions& options) {
  PhantomStudy study = options.organ == Organ::kHeart
                           ? generateCardiacStudy(seed, subject_index, options)
                           : generateKneeStudy(seed, subject_index, options);
  study.variant_key = variantKey(options);
  return study;
}

}  // namespace planelab::phantom
