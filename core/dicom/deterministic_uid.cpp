#include "dicom/deterministic_uid.h"

#include <algorithm>

#include "phantom/rng.h"
#include "phantom/study.h"

namespace planelab::dicom {

namespace {

// __extension__: GCC/Clang 128-bit integer, accepted under -Wpedantic.
__extension__ typedef unsigned __int128 u128;

// 64-bit hash of the entity path bytes in 8-byte little-endian words, chained through hashPath;
// `domain` separates the two independent halves of the 128-bit value.
std::uint64_t hashBytes(std::uint64_t seed, std::uint64_t domain, const std::string& bytes) {
  std::uint64_t h = phantom::hashPath({domain, seed, static_cast<std::uint64_t>(bytes.size())});
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    std::uint64_t word = 0;
    const std::size_t n = std::min<std::size_t>(8, bytes.size() - i);
    for (std::size_t k = 0; k < n; ++k) {
      word |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i + k])) << (8 * k);
    }
    h = phantom::hashPath({h, word});
  }
  std::uint64_t state = h ^ domain;
  return phantom::splitMix64(state);
}

std::string toDecimal(u128 value) {
  if (value == 0) return "0";
  std::string digits;
  while (value != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace

std::string deterministicUid(std::uint64_t seed, const std::string& entity_path) {
  std::uint64_t hi = hashBytes(seed, 0x504C414E454C4142ULL, entity_path);  // "PLANELAB"
  std::uint64_t lo = hashBytes(seed, 0x44494341E2555549ULL, entity_path);
  // RFC 9562 layout: version 8 (custom) in bits 48..51 of the high word, variant 10 in the top
  // two bits of the low word; 122 hash bits remain.
  hi = (hi & ~0x000000000000F000ULL) | 0x0000000000008000ULL;
  lo = (lo & ~0xC000000000000000ULL) | 0x8000000000000000ULL;
  const u128 value = (static_cast<u128>(hi) << 64) | lo;
  return "2.25." + toDecimal(value);
}

std::string subjectEntityPath(const phantom::PhantomStudy& study) {
  // The variant key keeps two variants of one subject (another layout, level, phase count...)
  // from sharing UIDs.
  return phantom::organName(study.organ) + "/" + std::to_string(study.subject_index) + "/" +
         std::to_string(study.variant_key);
}

std::string studyInstanceUid(const phantom::PhantomStudy& study) {
  return deterministicUid(study.seed, subjectEntityPath(study) + "/study");
}

std::string frameOfReferenceUid(const phantom::PhantomStudy& study) {
  return deterministicUid(study.seed, subjectEntityPath(study) + "/frame_of_reference");
}

namespace {
std::string seriesPath(const phantom::PhantomStudy& study, int series) {
  return subjectEntityPath(study) + "/series/" + std::to_string(series);
}
}  // namespace

std::string seriesInstanceUid(const phantom::PhantomStudy& study, int series) {
  return deterministicUid(study.seed, seriesPath(study, series));
}

std::string imageSopInstanceUid(const phantom::PhantomStudy& study, int series, int slice,
                                int phase) {
  return deterministicUid(study.seed, seriesPath(study, series) + "/slice/" +
                                          std::to_string(slice) + "/phase/" +
                                          std::to_string(phase));
}

std::string segmentationSeriesUid(const phantom::PhantomStudy& study, int series) {
  return deterministicUid(study.seed, seriesPath(study, series) + "/seg");
}

std::string segmentationSopInstanceUid(const phantom::PhantomStudy& study, int series, int part) {
  return deterministicUid(study.seed,
                          seriesPath(study, series) + "/seg/instance/" + std::to_string(part));
}

std::string segmentationDimensionOrganizationUid(const phantom::PhantomStudy& study, int series) {
  return deterministicUid(study.seed, seriesPath(study, series) + "/seg/dimension_organization");
}

}  // namespace planelab::dicom
