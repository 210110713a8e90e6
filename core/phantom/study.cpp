#include "phantom/study.h"

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

std::string organName(Organ organ) { return organ == Organ::kHeart ? "heart" : "knee"; }

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

PhantomStudy generateStudy(std::uint64_t seed, int subject_index, const StudyOptions& options) {
  return options.organ == Organ::kHeart ? generateCardiacStudy(seed, subject_index, options)
                                        : generateKneeStudy(seed, subject_index, options);
}

}  // namespace planelab::phantom
