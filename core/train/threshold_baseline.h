// The non-learned baseline of the phantom calibration (PHANTOM.md 4.3): Otsu's threshold of the
// image, then the connected component whose centroid is nearest the image centre is taken as one
// structure (the LV cavity: bright blood). A phantom where this scores well is solvable by
// intensity and position alone, and says nothing about learned features.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/prepared_dataset.h"

namespace planelab::train {

// Otsu's threshold (maximum between-class variance) of `values` over a `bins`-bin histogram
// between their minimum and maximum; the centre of the chosen bin. A constant input returns it.
float otsuThreshold(const float* values, std::size_t count, int bins = 256);

// The mask (0/1, rows x cols) of the 4-connected component of `image > otsuThreshold(image)`
// whose centroid is nearest the image centre; all zero when nothing is above the threshold.
std::vector<std::uint8_t> thresholdBaselineMask(const float* image, int rows, int cols);

struct ThresholdBaselineResult {
  std::string label;       // the structure scored
  int images = 0;          // labelled images in which the truth holds the label
  double mean_dice = 0.0;  // over those images
  double median_dice = 0.0;
  std::vector<double> dice;  // per image, in sample order
};

// Scores the baseline against label `label` on every labelled sample of the dataset (no training,
// so no split is needed). Throws std::invalid_argument "[unknown_label] ..." when the dataset has
// no label of that name, "[no_labels] ..." when no labelled image contains it.
ThresholdBaselineResult evaluateThresholdBaseline(const data::PreparedDataset& dataset,
                                                  const std::string& label);

}  // namespace planelab::train
