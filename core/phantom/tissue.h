// Tissue classes the phantoms are built from, and their MR properties.
#pragma once

#include <array>
#include <cstdint>

namespace planelab::phantom {

enum class Tissue : std::uint8_t {
  kAir = 0,
  kBlood,
  kMyocardium,
  kFat,
  kLiver,
  kSkeletalMuscle,
  kLung,
  kMarrow,
  kCortex,  // cortical bone, ligaments, tendons: near-zero signal
  kCsf,
  kSoftTissue,
  kCartilage,
  kMeniscus,
  kFluid,  // joint fluid
  kPericardium,
  kMarkerA,  // fiducial spheres of the asymmetric marker mode, three distinct intensities
  kMarkerB,
  kMarkerC,
  kCount
};
constexpr std::size_t kTissueCount = static_cast<std::size_t>(Tissue::kCount);

// Relaxation parameters at 1.5 T (PHANTOM.md 3.6): proton density (fraction), T1, T2 in ms.
struct TissueRelaxation {
  double proton_density = 0.0;
  double t1_ms = 1.0;
  double t2_ms = 1.0;
};

// Base table, before per-subject jitter.
const std::array<TissueRelaxation, kTissueCount>& baseRelaxationTable();

// What an anatomy returns for one point: the tissue, the ground-truth label, and optionally a
// second tissue mixed in (trabecular band: `mix` of `tissue`, 1 - mix of `mixed_with`).
struct TissueSample {
  Tissue tissue = Tissue::kAir;
  Tissue mixed_with = Tissue::kAir;
  float mix = 1.0f;
  std::uint8_t label = 0;
};

}  // namespace planelab::phantom
