// The calibration's non-learned baseline: Otsu's threshold, the component nearest the centre,
// and its Dice over a dataset's labelled images.
#include "train/threshold_baseline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "temp_dir.h"

namespace planelab::train {
namespace {

constexpr int kSize = 32;

// Background 0; a disk of value `value` (radius r, centre row/col).
void disk(std::vector<float>& image, int row, int col, int r, float value) {
  for (int i = 0; i < kSize; ++i)
    for (int j = 0; j < kSize; ++j)
      if ((i - row) * (i - row) + (j - col) * (j - col) <= r * r) {
        image[static_cast<std::size_t>(i * kSize + j)] = value;
      }
}

TEST(ThresholdBaseline, OtsuSplitsTwoModes) {
  std::vector<float> values(100, 1.0f);
  values.insert(values.end(), 50, 9.0f);
  const float t = otsuThreshold(values.data(), values.size());
  EXPECT_GT(t, 1.0f);
  EXPECT_LT(t, 9.0f);
  const std::vector<float> constant(10, 4.0f);
  EXPECT_EQ(otsuThreshold(constant.data(), constant.size()), 4.0f);
}

TEST(ThresholdBaseline, TakesTheComponentNearestTheCentreNotTheLargest) {
  std::vector<float> image(kSize * kSize, 0.0f);
  disk(image, 16, 16, 4, 10.0f);  // small, central
  disk(image, 5, 26, 5, 10.0f);   // larger, in a corner
  const auto mask = thresholdBaselineMask(image.data(), kSize, kSize);
  std::vector<float> central(kSize * kSize, 0.0f);
  disk(central, 16, 16, 4, 1.0f);
  for (std::size_t i = 0; i < mask.size(); ++i) ASSERT_EQ(mask[i], central[i] > 0 ? 1 : 0) << i;
  const std::vector<float> flat(kSize * kSize, 3.0f);
  const auto empty = thresholdBaselineMask(flat.data(), kSize, kSize);
  for (const auto v : empty) ASSERT_EQ(v, 0);
}

TEST(ThresholdBaseline, ScoresEveryLabelledImageHoldingTheLabel) {
  const auto dir = testing::freshTempDir("train", "threshold_baseline");
  data::PreprocessingPlan plan;
  plan.grid.size = kSize;
  {
    data::DatasetWriter writer(dir.string(), plan, true);
    writer.setLabelNames({"background", "RV cavity", "LV myocardium", "LV cavity"});
    writer.setSource({{"kind", "test"}});
    data::SubjectPlane plane;
    plane.plane.rows = kSize;
    plane.plane.cols = kSize;
    const int subject = writer.addSubject(data::Subject{"S1", "1.2.3", "", {plane}});
    auto add = [&](int truth_row, bool with_lv) {
      std::vector<float> image(kSize * kSize, 0.0f);
      disk(image, 16, 16, 4, 10.0f);
      std::vector<float> truth(kSize * kSize, 0.0f);
      if (with_lv) disk(truth, truth_row, 16, 4, 1.0f);
      std::vector<std::uint8_t> labels(truth.size());
      for (std::size_t i = 0; i < truth.size(); ++i) labels[i] = truth[i] > 0 ? 3 : 0;
      data::Sample sample;
      sample.subject = subject;
      sample.plane = 0;
      sample.has_labels = true;
      writer.addSample(sample, image, labels);
    };
    add(16, true);   // prediction = truth: Dice 1
    add(26, true);   // disjoint disks: Dice 0
    add(16, false);  // no LV cavity in the truth: not scored
    writer.finish();
  }
  const auto dataset = data::PreparedDataset::open(dir.string());
  const auto result = evaluateThresholdBaseline(*dataset, "LV cavity");
  ASSERT_EQ(result.images, 2);
  EXPECT_DOUBLE_EQ(result.dice[0], 1.0);
  EXPECT_DOUBLE_EQ(result.dice[1], 0.0);
  EXPECT_DOUBLE_EQ(result.mean_dice, 0.5);
  EXPECT_DOUBLE_EQ(result.median_dice, 0.5);
  EXPECT_THROW(evaluateThresholdBaseline(*dataset, "femur"), std::invalid_argument);
  EXPECT_THROW(evaluateThresholdBaseline(*dataset, "RV cavity"), std::invalid_argument);  // absent
}

}  // namespace
}  // namespace planelab::train
