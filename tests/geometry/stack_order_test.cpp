#include "geometry/stack_order.h"

#include <gtest/gtest.h>

namespace planelab::geometry {
namespace {

ImagePlane obliqueAt(double s) {
  // Normal (0, 0.6, 0.8); the plane sits s mm from the origin along it.
  const Vec3 r{1, 0, 0};
  const Vec3 c{0, 0.8, -0.6};
  ImagePlane p;
  p.row_dir = r;
  p.col_dir = c;
  p.rows = p.cols = 10;
  p.position_mm = Vec3{0, 0.6, 0.8} * s + r * 13.0 - c * 4.0;  // arbitrary in-plane offset
  return p;
}

TEST(StackOrder, SignedDistanceIsNormalDotPosition) {
  EXPECT_NEAR(signedDistanceAlong(obliqueAt(12.5), {0, 0.6, 0.8}), 12.5, 1e-12);
  EXPECT_NEAR(signedDistanceAlong(obliqueAt(12.5), {0, -0.6, -0.8}), -12.5, 1e-12);
}

TEST(StackOrder, OrdersAlongNormalAndKeepsTiesStable) {
  const std::vector<ImagePlane> planes = {obliqueAt(20), obliqueAt(-10), obliqueAt(5),
                                          obliqueAt(5)};
  const auto order = orderAlongNormal(planes, {0, 0.6, 0.8});
  EXPECT_EQ(order, (std::vector<std::size_t>{1, 2, 3, 0}));
  const auto reversed = orderAlongNormal(planes, {0, -0.6, -0.8});
  EXPECT_EQ(reversed, (std::vector<std::size_t>{0, 2, 3, 1}));
}

TEST(StackOrder, AngleBetweenPlanesIgnoresNormalSign) {
  ImagePlane a = obliqueAt(0);
  ImagePlane b = a;
  b.row_dir = -a.row_dir;  // flips the normal
  EXPECT_NEAR(angleBetweenPlanesDeg(a, b), 0.0, 1e-6);
}

}  // namespace
}  // namespace planelab::geometry
