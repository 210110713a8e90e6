// Metrics against hand-computed cases (medpy / sklearn conventions, see metrics.h), and the line
// read back from a heatmap (evaluation.h) on drawn ridges.
#include "train/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "train/evaluation.h"

namespace planelab::train {
namespace {

LabelVolume image(int rows, int cols, std::vector<std::uint8_t> values,
                  std::array<double, 3> spacing = {1, 1, 1}) {
  return LabelVolume{1, rows, cols, spacing, std::move(values)};
}

TEST(Metrics, DiceOfHalfOverlap) {
  const auto pred = image(1, 4, {1, 1, 0, 0});
  const auto truth = image(1, 4, {1, 0, 1, 0});
  EXPECT_DOUBLE_EQ(*dice(pred, truth, 1), 0.5);  // 2 * 1 / (2 + 2)
  EXPECT_DOUBLE_EQ(*dice(pred, truth, 0), 0.5);
}

TEST(Metrics, DiceAbsentLabelIsUndefinedAndOneSidedIsZero) {
  const auto pred = image(1, 3, {0, 0, 2});
  const auto truth = image(1, 3, {0, 0, 0});
  EXPECT_FALSE(dice(pred, truth, 1).has_value());
  EXPECT_DOUBLE_EQ(*dice(pred, truth, 2), 0.0);
  EXPECT_FALSE(hausdorff95(pred, truth, 2).has_value());
}

TEST(Metrics, ShapeMismatchThrows) {
  EXPECT_THROW(dice(image(1, 2, {0, 1}), image(1, 3, {0, 1, 1}), 1), std::invalid_argument);
}

TEST(Metrics, Hd95OfTwoPointsUsesSpacing) {
  std::vector<std::uint8_t> a(5, 0), b(5, 0);
  a[0] = 1;
  b[3] = 1;
  EXPECT_DOUBLE_EQ(*hausdorff95(image(1, 5, a), image(1, 5, b), 1), 3.0);
  EXPECT_DOUBLE_EQ(*hausdorff95(image(1, 5, a, {1, 1, 2}), image(1, 5, b, {1, 1, 2}), 1), 6.0);
}

TEST(Metrics, Hd95OfShiftedSquare) {
  // 3x3 squares in a 5x5 image, the prediction shifted one column right: 4 of the 8 surface
  // pixels of each are 1 px from the other surface, the rest on it; the 95th percentile of
  // [0,0,0,0,1,1,1,1] is 1.
  std::vector<std::uint8_t> truth(25, 0), pred(25, 0);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      truth[static_cast<std::size_t>(r * 5 + c)] = 1;
      pred[static_cast<std::size_t>(r * 5 + c + 1)] = 1;
    }
  EXPECT_DOUBLE_EQ(*hausdorff95(image(5, 5, pred), image(5, 5, truth), 1), 1.0);
  EXPECT_NEAR(*dice(image(5, 5, pred), image(5, 5, truth), 1), 2.0 * 6 / 18, 1e-12);
}

TEST(Metrics, Hd95PercentileInterpolates) {
  // Truth: one pixel at column 0. Prediction: pixels at columns 0..4 of a 1 x 21 row; the
  // prediction's surface is all five (1-pixel-high row), distances 0..4 to the truth point;
  // the reverse direction gives 0. numpy.percentile([0,1,2,3,4], 95) = 3.8.
  std::vector<std::uint8_t> truth(21, 0), pred(21, 0);
  truth[0] = 1;
  for (int c = 0; c < 5; ++c) pred[static_cast<std::size_t>(c)] = 1;
  EXPECT_NEAR(*hausdorff95(image(1, 21, pred), image(1, 21, truth), 1), 3.8, 1e-12);
}

TEST(Metrics, VolumeSurfaceUsesSlices) {
  // Two slices 10 mm apart, one pixel each at the same place: the distance is the slice gap.
  LabelVolume pred{2, 1, 1, {10, 1, 1}, {1, 0}};
  LabelVolume truth{2, 1, 1, {10, 1, 1}, {0, 1}};
  EXPECT_DOUBLE_EQ(*hausdorff95(pred, truth, 1), 10.0);
}

TEST(Metrics, RocAucMatchesMannWhitney) {
  // sklearn.metrics.roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.75
  EXPECT_DOUBLE_EQ(*rocAuc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}), 0.75);
  EXPECT_DOUBLE_EQ(*rocAuc({0.5, 0.5}, {true, false}), 0.5);  // a tie counts 1/2
  EXPECT_FALSE(rocAuc({0.1, 0.2}, {true, true}).has_value());
}

TEST(Metrics, ClassificationScores) {
  // truth [0,0,0,1], predicted [0,0,1,1]: accuracy 3/4, recalls 2/3 and 1 -> balanced 5/6.
  const std::vector<std::vector<double>> p = {{0.9, 0.1}, {0.8, 0.2}, {0.4, 0.6}, {0.3, 0.7}};
  const auto s = scoreClassification({0, 0, 0, 1}, p, 2);
  EXPECT_DOUBLE_EQ(s.accuracy, 0.75);
  EXPECT_NEAR(s.balanced_accuracy, 5.0 / 6.0, 1e-12);
  EXPECT_DOUBLE_EQ(*s.auc[1], 1.0);  // the positive has the highest class-1 score
  EXPECT_DOUBLE_EQ(*s.auc[0], 1.0);
  EXPECT_EQ(s.confusion[0][1], 1);
  EXPECT_EQ(s.confusion[1][1], 1);
}

TEST(Metrics, SegmentationScoresSkipBackground) {
  const auto s = scoreSegmentation(image(1, 4, {0, 1, 2, 2}), image(1, 4, {0, 1, 2, 0}), 3);
  ASSERT_EQ(s.dice.size(), 3u);
  EXPECT_FALSE(s.dice[0].has_value());
  EXPECT_DOUBLE_EQ(*s.dice[1], 1.0);
  EXPECT_NEAR(*s.dice[2], 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(*meanOf(s.dice), (1.0 + 2.0 / 3.0) / 2.0, 1e-12);
}

}  // namespace
}  // namespace planelab::train

namespace planelab::train {
namespace {

// A Gaussian ridge (sigma 2 px, peak 1) along the line through (px, py) at `angle_deg` from the
// column axis, as the heatmap targets are drawn.
std::vector<double> ridge(int size, double angle_deg, double px, double py) {
  const double a = angle_deg * std::acos(-1.0) / 180.0;
  const double nx = -std::sin(a), ny = std::cos(a);
  std::vector<double> map(static_cast<std::size_t>(size * size));
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      const double d = (x - px) * nx + (y - py) * ny;
      map[static_cast<std::size_t>(y * size + x)] = std::exp(-d * d / 8.0);
    }
  return map;
}

TEST(HeatmapLine, ReadsTheAngleAndAPointOfARidge) {
  for (const double angle : {0.0, 30.0, 89.0, -45.0, 72.5}) {
    const auto map = ridge(64, angle, 40.0, 20.0);
    const HeatmapLine line = heatmapLine(map.data(), 64);
    ASSERT_TRUE(line.found);
    HeatmapLine truth;
    truth.angle_rad = angle * std::acos(-1.0) / 180.0;
    truth.centre_x = 40.0;
    truth.centre_y = 20.0;
    EXPECT_LT(lineAngleErrorDeg(line, truth), 0.5) << angle;
    EXPECT_LT(lineOffsetPx(line, truth), 0.2) << angle;
  }
}

TEST(HeatmapLine, AnglesAreUndirectedAndAnEmptyMapHasNoLine) {
  HeatmapLine a, b;
  a.angle_rad = 170.0 * std::acos(-1.0) / 180.0;
  b.angle_rad = 10.0 * std::acos(-1.0) / 180.0;
  EXPECT_NEAR(lineAngleErrorDeg(a, b), 20.0, 1e-9);
  b.angle_rad = -80.0 * std::acos(-1.0) / 180.0;
  EXPECT_NEAR(lineAngleErrorDeg(a, b), 70.0, 1e-9);
  b.centre_y = 3.0;  // a's centre (0, 0) is 3 px from the line through (0, 3) at any angle
  b.angle_rad = 0.0;
  EXPECT_NEAR(lineOffsetPx(a, b), 3.0, 1e-9);
  const std::vector<double> zeros(16 * 16, 0.0), negative(16 * 16, -1.0);
  EXPECT_FALSE(heatmapLine(zeros.data(), 16).found);
  EXPECT_FALSE(heatmapLine(negative.data(), 16).found);
}

}  // namespace
}  // namespace planelab::train
