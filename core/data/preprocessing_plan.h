// The preprocessing plan: how source images become network inputs (spacing, size, intensity
// normalisation, which views) and how the pretext targets are built on them. Stored as JSON with
// every prepared dataset and with every model trained on it; fine-tuning compares the plan of its
// pretrained model with its own (compatibleForTransfer).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "data/pretext_targets.h"
#include "data/target_grid.h"

namespace planelab::data {

// Intensity normalisation of one prepared image (applied once, at prepare time):
//  kZScore: (x - mean) / sd over the whole resampled image (ML-RECIPE §4.3, per-image z-score;
//   sd below 1e-6 -> the image is only centred);
//  kPercentile: clip to the [0.5, 99.5] percentiles of the source image, then scale to [0, 1].
enum class Normalisation { kZScore, kPercentile };
std::optional<Normalisation> parseNormalisation(const std::string& text);  // "zscore"|"percentile"
std::string normalisationName(Normalisation normalisation);

// Which cine phases of a plane become samples: every phase, the labelled ED/ES pair only (or the
// first and the middle phase when unlabelled), or `phase_count` phases spread evenly.
enum class PhaseSelection { kAll, kEdEs, kEven };
std::optional<PhaseSelection> parsePhaseSelection(const std::string& text);  // "all"|"ed_es"|"even"
std::string phaseSelectionName(PhaseSelection selection);

struct PreprocessingPlan {
  static constexpr int kVersion = 1;
  int version = kVersion;
  std::string organ = "heart";                          // heart | knee
  TargetGrid grid;                                      // 1.26 mm, 224 px (ML-RECIPE §4.3)
  Interpolation interpolation = Interpolation::kCubic;  // images; labels always nearest
  Normalisation normalisation = Normalisation::kZScore;
  // Views whose planes become samples (network inputs), e.g. {"sax"}; knee {"sag","cor","ax"}.
  std::vector<std::string> views = {"sax"};
  // Views whose planes' traces are the heatmap channels, in channel order (ML-RECIPE §1.1:
  // 2CH then 4CH on SAX inputs). A sample's own view is never one of its channels.
  std::vector<std::string> heatmap_views = {"2ch", "4ch"};
  HeatmapOptions heatmap;  // sigma 6 px
  LocationMode location_mode = LocationMode::kAnatomical;
  PhaseSelection phases = PhaseSelection::kAll;
  int phase_count = 0;  // kEven only

  nlohmann::json toJson() const;
  // Throws std::invalid_argument with a message starting with a stable key in brackets, e.g.
  // "[invalid_plan] grid.size must be positive", for missing/ill-typed/out-of-range fields or
  // an unsupported version ("[unsupported_plan_version] ...").
  static PreprocessingPlan fromJson(const nlohmann::json& json);
  // Hex SHA-like digest (FNV-1a 64 of the canonical JSON dump): equal plans hash equal.
  std::string hash() const;
};

// Whether a model trained on `pretrained` can be fine-tuned on data prepared with `target`:
// organ, spacing, size, interpolation and normalisation must agree (the views may differ).
// Returns "" when compatible, else a message naming every field that differs.
std::string planMismatch(const PreprocessingPlan& pretrained, const PreprocessingPlan& target);

}  // namespace planelab::data
