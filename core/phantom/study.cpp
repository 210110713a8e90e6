#include "phantom/study.h"

#include <cmath>
#include <cstdio>
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
  std::uint64_t h =
      hashPath({static_cast<std::uint64_t>(o.organ), static_cast<std::uint64_t>(o.layout),
                static_cast<std::uint64_t>(o.level), static_cast<std::uint64_t>(o.phases),
                o.markers ? 1u : 0u, o.breath_hold_shifts ? 1u : 0u});
  for (const auto& [name, value] : knobValues(o.knobs)) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    h = hashPath({h, bits});
  }
  return h;
}

PhantomStudy startStudy(Organ organ, std::uint64_t seed, int subject_index,
                        const StudyOptions& options, bool female, int age_years, double weight_kg) {
  PhantomStudy study;
  study.organ = organ;
  study.layout = options.layout;
  study.level = options.level;
  study.seed = seed;
  study.subject_index = subject_index;
  const bool heart = organ == Organ::kHeart;
  char id[32];
  std::snprintf(id, sizeof id, "PL-%s-%04d", heart ? "HEART" : "KNEE", subject_index);
  study.patient.id = id;
  study.patient.name =
      std::string(heart ? "PHANTOM^HEART" : "PHANTOM^KNEE") + std::to_string(subject_index);
  study.patient.sex = female ? "F" : "M";
  study.patient.age_years = age_years;
  study.patient.weight_kg = std::round(weight_kg * 10.0) / 10.0;
  return study;
}

PhantomStudy generateStudy(std::uint64_t seed, int subject_index, const StudyOptions& options) {
  PhantomStudy study = options.organ == Organ::kHeart
                           ? generateCardiacStudy(seed, subject_index, options)
                           : generateKneeStudy(seed, subject_index, options);
  study.variant_key = variantKey(options);
  study.knobs = options.knobs;
  return study;
}

}  // namespace planelab::phantom
