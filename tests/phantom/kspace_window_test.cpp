#include "phantom/kspace_window.h"

#include <gtest/gtest.h>

#include <cmath>

namespace planelab::phantom {
namespace {

TEST(KspaceWindow, FullFractionIsIdentity) {
  std::vector<double> data = {1, 5, 2, 8, 3, 7};
  const auto copy = data;
  convolveLines(data, 6, 1, 6, 1, kspaceTruncationKernel(6, 1.0));
  EXPECT_EQ(data, copy);
}

TEST(KspaceWindow, PreservesMeanAndBlursEdgesWithRinging) {
  const int n = 64;
  std::vector<double> step(n, 0.0);
  for (int i = 16; i < 48; ++i) step[static_cast<std::size_t>(i)] = 100.0;
  auto blurred = step;
  convolveLines(blurred, n, 1, n, 1, kspaceTruncationKernel(n, 0.5));
  double s0 = 0, s1 = 0, overshoot = 0;
  for (int i = 0; i < n; ++i) {
    s0 += step[static_cast<std::size_t>(i)];
    s1 += blurred[static_cast<std::size_t>(i)];
    overshoot = std::max(overshoot, blurred[static_cast<std::size_t>(i)]);
  }
  EXPECT_NEAR(s1, s0, 1e-6);           // DC gain 1
  EXPECT_GT(overshoot, 100.5);         // Gibbs ringing at the edge
  EXPECT_LT(blurred[16], 95.0);        // the edge is no longer sharp
  EXPECT_NEAR(blurred[32], 100.0, 3);  // the plateau survives
}

TEST(KspaceWindow, PassesLowFrequenciesAndRemovesHighOnes) {
  // Cosines are eigenfunctions of the circular operator: below the cut-off they pass unchanged,
  // above it they vanish, as when those k-space lines are not acquired.
  const int n = 128;
  const double fraction = 0.5;  // keeps |k| <= 32
  const auto kernel = kspaceTruncationKernel(n, fraction);
  for (const int k : {3, 12, 45, 60}) {
    std::vector<double> x(n);
    for (int i = 0; i < n; ++i) x[static_cast<std::size_t>(i)] = std::cos(2.0 * M_PI * k * i / n);
    auto y = x;
    convolveLines(y, n, 1, n, 1, kernel);
    double gain = 0.0, norm = 0.0;
    for (int i = 0; i < n; ++i) {
      gain += y[static_cast<std::size_t>(i)] * x[static_cast<std::size_t>(i)];
      norm += x[static_cast<std::size_t>(i)] * x[static_cast<std::size_t>(i)];
    }
    if (k < 25) {
      EXPECT_NEAR(gain / norm, 1.0, 5e-3) << "k=" << k;
    } else {
      EXPECT_NEAR(gain / norm, 0.0, 1e-3) << "k=" << k;
    }
  }
}

}  // namespace
}  // namespace planelab::phantom
