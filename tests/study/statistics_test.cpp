#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "study/statistics.h"

namespace planelab::study {
namespace {

using Cells = std::vector<std::vector<std::optional<double>>>;

TEST(MeanSd, SampleStandardDeviation) {
  const auto m = meanSd({1.0, 2.0, 3.0, 4.0});
  EXPECT_EQ(m.count, 4);
  EXPECT_DOUBLE_EQ(m.mean, 2.5);
  EXPECT_NEAR(m.sd, std::sqrt(5.0 / 3.0), 1e-12);  // n - 1 in the denominator
  EXPECT_DOUBLE_EQ(meanSd({7.0}).sd, 0.0);
  EXPECT_EQ(meanSd({}).count, 0);
}

TEST(PairedBootstrap, ConstantDifferencesGiveAPointInterval) {
  const Cells d = {{0.1, 0.1, 0.1}, {0.1, 0.1, 0.1}};
  const auto i = pairedBootstrap(d, {});
  ASSERT_TRUE(i);
  EXPECT_NEAR(i->estimate, 0.1, 1e-12);
  EXPECT_NEAR(i->low, 0.1, 1e-12);
  EXPECT_NEAR(i->high, 0.1, 1e-12);
  EXPECT_EQ(i->seeds, 2);
  EXPECT_EQ(i->subjects, 3);
}

TEST(PairedBootstrap, EstimateIsTheMeanOfPresentCellsAndTheIntervalHoldsIt) {
  const Cells d = {{0.30, std::nullopt, -0.10, 0.05}, {0.20, 0.00, std::nullopt, 0.15}};
  BootstrapOptions options;
  options.samples = 4000;
  const auto i = pairedBootstrap(d, options);
  ASSERT_TRUE(i);
  EXPECT_NEAR(i->estimate, (0.30 - 0.10 + 0.05 + 0.20 + 0.00 + 0.15) / 6.0, 1e-12);
  EXPECT_LT(i->low, i->estimate);
  EXPECT_GT(i->high, i->estimate);
  EXPECT_GE(i->low, -0.10 - 1e-12);  // a mean of cells cannot leave their range
  EXPECT_LE(i->high, 0.30 + 1e-12);
  EXPECT_EQ(i->subjects, 4);
  // Deterministic for a seed; another seed moves the bounds only a little.
  const auto again = pairedBootstrap(d, options);
  EXPECT_EQ(again->low, i->low);
  EXPECT_EQ(again->high, i->high);
  options.seed = 2;
  const auto other = pairedBootstrap(d, options);
  EXPECT_NEAR(other->low, i->low, 0.03);
}

TEST(PairedBootstrap, MoreSpreadGivesAWiderInterval) {
  const Cells narrow = {{0.09, 0.10, 0.11, 0.10}, {0.10, 0.11, 0.09, 0.10}};
  const Cells wide = {{-0.2, 0.4, 0.0, 0.2}, {0.3, -0.1, 0.1, 0.1}};
  const auto a = pairedBootstrap(narrow, {});
  const auto b = pairedBootstrap(wide, {});
  EXPECT_LT(a->high - a->low, b->high - b->low);
  // A clear gain keeps 0 out of its interval; a mixed one does not.
  EXPECT_GT(a->low, 0.0);
  EXPECT_LT(b->low, 0.0);
}

TEST(PairedBootstrap, NothingPresentAndBadInput) {
  EXPECT_FALSE(pairedBootstrap({{std::nullopt, std::nullopt}}, {}));
  EXPECT_FALSE(pairedBootstrap({}, {}));
  EXPECT_THROW(pairedBootstrap({{0.1, 0.2}, {0.1}}, {}), std::invalid_argument);
  BootstrapOptions bad;
  bad.samples = 0;
  EXPECT_THROW(pairedBootstrap({{0.1}}, bad), std::invalid_argument);
  bad = {};
  bad.confidence = 1.0;
  EXPECT_THROW(pairedBootstrap({{0.1}}, bad), std::invalid_argument);
}

}  // namespace
}  // namespace planelab::study
