// The display form of a training curve: TensorBoard's debiased moving average, the log-axis
// filter, decimation into buckets once a curve grows long, and incremental updates that touch only
// the end of the curve.
#include <gtest/gtest.h>

#include <cmath>

#include "train/curve_display.h"

namespace planelab::train {
namespace {

TEST(ExponentialSmoothing, ZeroWeightKeepsTheValues) {
  const std::vector<double> values = {3.0, 1.0, 4.0, 1.0, 5.0};
  EXPECT_EQ(smoothExponential(values, 0.0), values);
}

TEST(ExponentialSmoothing, IsTheDebiasedMovingAverageOfTensorBoard) {
  // By hand, w = 0.5: a = 0.5·0 + 0.5·2 = 1 → 1 / (1 − 0.5) = 2;
  // a = 0.5·1 + 0.5·4 = 2.5 → 2.5 / (1 − 0.25) = 10/3; a = 0.5·2.5 + 0.5·0 = 1.25 → 1.25 / 0.875.
  const auto s = smoothExponential({2.0, 4.0, 0.0}, 0.5);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0], 2.0);
  EXPECT_DOUBLE_EQ(s[1], 10.0 / 3.0);
  EXPECT_DOUBLE_EQ(s[2], 1.25 / 0.875);
}

TEST(ExponentialSmoothing, AConstantStaysConstantAndNonFiniteValuesPassThrough) {
  for (double v : smoothExponential({7.0, 7.0, 7.0, 7.0}, 0.99)) EXPECT_NEAR(v, 7.0, 1e-12);
  const auto s = smoothExponential({1.0, NAN, 1.0}, 0.9);
  EXPECT_TRUE(std::isnan(s[1]));
  EXPECT_NEAR(s[2], 1.0, 1e-12);  // the NaN did not enter the average
}

TEST(CurveDisplay, StyleChangesKeepTheRawPoints) {
  CurveDisplay curve;
  for (int i = 0; i < 50; ++i) curve.add({i * 0.1, 1.0 + (i % 2)});
  ASSERT_EQ(curve.points().size(), 50u);
  curve.setStyle({0.9, false, 2000});
  ASSERT_EQ(curve.points().size(), 50u);
  EXPECT_EQ(curve.raw().size(), 50u);
  // Smoothed: the alternating 1, 2 settles between them.
  EXPECT_GT(curve.points().back().y, 1.2);
  EXPECT_LT(curve.points().back().y, 1.8);
  curve.setStyle({0.0, false, 2000});
  EXPECT_DOUBLE_EQ(curve.points().back().y, 2.0);
}

TEST(CurveDisplay, LogAxisLeavesOutNonPositiveValuesOnly) {
  CurveDisplay curve({0.0, true, 2000});
  curve.add({1.0, 0.5});
  curve.add({2.0, 0.0});
  curve.add({3.0, -1.0});
  curve.add({4.0, 2.0});
  ASSERT_EQ(curve.points().size(), 2u);
  EXPECT_DOUBLE_EQ(curve.points()[1].x, 4.0);
  curve.setStyle({0.0, false, 2000});
  EXPECT_EQ(curve.points().size(), 4u);
}

TEST(CurveDisplay, LongCurvesAreAveragedInBucketsWithinTheLimit) {
  CurveDisplay curve({0.0, false, 100});
  for (int i = 0; i < 1000; ++i) curve.add({static_cast<double>(i), static_cast<double>(i)});
  EXPECT_EQ(curve.raw().size(), 1000u);
  EXPECT_LE(curve.points().size(), 100u);
  EXPECT_GE(curve.points().size(), 50u);
  EXPECT_EQ(curve.stride(), 16u);  // 1000 / 16 = 62.5 buckets ≤ 100 < 1000 / 8
  // Bucket means: the first bucket holds 0..15.
  EXPECT_DOUBLE_EQ(curve.points().front().x, 7.5);
  EXPECT_DOUBLE_EQ(curve.points().front().y, 7.5);
  // The last, partial bucket (992..999) is its mean so far.
  EXPECT_DOUBLE_EQ(curve.points().back().y, 995.5);
}

TEST(CurveDisplay, LiveUpdatesTouchOnlyTheEnd) {
  CurveDisplay curve({0.0, false, 8});
  for (int i = 0; i < 8; ++i) {
    curve.add({static_cast<double>(i), 1.0});
    EXPECT_EQ(curve.takeChangedFrom(), static_cast<std::size_t>(i));  // one appended point
  }
  EXPECT_EQ(curve.takeChangedFrom(), 8u);  // nothing new
  curve.add({8.0, 1.0});                   // 9 > 8 points: rebuilt in buckets of 2
  EXPECT_EQ(curve.takeChangedFrom(), 0u);
  EXPECT_EQ(curve.points().size(), 5u);  // 4 full buckets + the partial one
  curve.add({9.0, 1.0});                 // completes the partial bucket in place
  EXPECT_EQ(curve.takeChangedFrom(), 4u);
  EXPECT_EQ(curve.points().size(), 5u);
  curve.add({10.0, 1.0});  // opens a new bucket
  EXPECT_EQ(curve.takeChangedFrom(), 5u);
  EXPECT_EQ(curve.points().size(), 6u);
}

TEST(CurveDisplay, DropAfterRemovesWhatAResumedRunReplays) {
  CurveDisplay curve;
  for (int i = 1; i <= 10; ++i) curve.add({i * 0.5, 1.0});
  curve.dropAfter(2.0);
  ASSERT_EQ(curve.raw().size(), 4u);
  EXPECT_DOUBLE_EQ(curve.raw().back().x, 2.0);
  EXPECT_EQ(curve.takeChangedFrom(), 0u);
}

}  // namespace
}  // namespace planelab::train
