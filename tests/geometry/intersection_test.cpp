#include "geometry/intersection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace planelab::geometry {
namespace {

ImagePlane axial(double z, int rows = 100, int cols = 100) {
  return ImagePlane::fromDicom({-50, -50, z}, {1, 0, 0, 0, 1, 0}, {1.0, 1.0}, rows, cols);
}
ImagePlane sagittal(double x) {
  return ImagePlane::fromDicom({x, -50, 50}, {0, 1, 0, 0, 0, -1}, {1.0, 1.0}, 100, 100);
}
ImagePlane coronal(double y) {
  return ImagePlane::fromDicom({-50, y, 50}, {1, 0, 0, 0, 0, -1}, {1.0, 1.0}, 100, 100);
}

TEST(Intersection, AxialAndSagitalMeetAlongAnteroPosteriorLine) {
  const auto line = intersectPlanes(axial(10.0), sagittal(5.0));
  ASSERT_TRUE(line.has_value());
  EXPECT_NEAR(std::abs(line->direction.y), 1.0, 1e-12);
  EXPECT_NEAR(line->point_mm.x, 5.0, 1e-12);
  EXPECT_NEAR(line->point_mm.z, 10.0, 1e-12);
}

TEST(Intersection, ParallelPlanesHaveNoLine) {
  EXPECT_FALSE(intersectPlanes(axial(0.0), axial(10.0)).has_value());
}

TEST(Intersection, NearlyParallelPlanesAreGuardedByConfigurableAngle) {
  ImagePlane tilted = axial(0.0);
  const double a = degToRad(0.5);
  tilted.row_dir = {std::cos(a), 0.0, std::sin(a)};
  EXPECT_FALSE(intersectPlanes(axial(0.0), tilted).has_value());       // default guard 1 deg
  EXPECT_TRUE(intersectPlanes(axial(0.0), tilted, 0.25).has_value());  // looser guard
}

TEST(Intersection, ReferenceLineParallelToRowsIsClippedToImageWidth) {
  // The coronal plane y = -20 cuts the axial image (posterior down) along row 30.
  const auto seg = referenceLine(axial(0.0), coronal(-20.0));
  ASSERT_TRUE(seg.has_value());
  EXPECT_NEAR(seg->start.row, 30.0, 1e-9);
  EXPECT_NEAR(seg->end.row, 30.0, 1e-9);
  EXPECT_NEAR(std::min(seg->start.col, seg->end.col), -0.5, 1e-9);
  EXPECT_NEAR(std::max(seg->start.col, seg->end.col), 99.5, 1e-9);
}

TEST(Intersection, ReferenceLineParallelToColumnsIsClippedToImageHeight) {
  const auto seg = referenceLine(axial(0.0), sagittal(7.0));
  ASSERT_TRUE(seg.has_value());
  EXPECT_NEAR(seg->start.col, 57.0, 1e-9);
  EXPECT_NEAR(seg->end.col, 57.0, 1e-9);
  EXPECT_NEAR(std::min(seg->start.row, seg->end.row), -0.5, 1e-9);
  EXPECT_NEAR(std::max(seg->start.row, seg->end.row), 99.5, 1e-9);
}

TEST(Intersection, LineOutsideImageIsEmpty) {
  EXPECT_FALSE(referenceLine(axial(0.0), sagittal(80.0)).has_value());
}

TEST(Intersection, DiagonalLineIsClippedAtCorners) {
  // Plane x - y = 0 through the origin cuts the axial image on its diagonal.
  const ImagePlane diag = ImagePlane::fromDicom(
      {0, 0, 0}, {std::sqrt(0.5), std::sqrt(0.5), 0, 0, 0, 1}, {1, 1}, 10, 10);
  const auto seg = referenceLine(axial(0.0), diag);
  ASSERT_TRUE(seg.has_value());
  EXPECT_NEAR(std::abs(seg->start.row - seg->start.col), 0.0, 1e-9);
  EXPECT_NEAR(std::abs(seg->end.row - seg->end.col), 0.0, 1e-9);
}

TEST(Intersection, PointToLineDistance) {
  const PixelLine line{{0.0, 0.0}, 0.0, 1.0};  // along row 0
  EXPECT_DOUBLE_EQ(distanceToLinePx({3.0, 17.0}, line), 3.0);
  const ImagePlane p = ImagePlane::fromDicom({0, 0, 0}, {1, 0, 0, 0, 1, 0}, {2.0, 0.5}, 10, 10);
  EXPECT_DOUBLE_EQ(distanceToLineMm(p, {3.0, 17.0}, line), 6.0);  // 3 rows x 2 mm
}

// Random oblique plane with non-square pixels, somewhere near the origin.
ImagePlane randomPlane(std::mt19937_64& gen) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Vec3 n;
  do {
    n = {u(gen), u(gen), u(gen)};
  } while (norm(n) < 0.1);
  n = normalized(n);
  const Vec3 helper = std::abs(n.x) < 0.9 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
  const Vec3 r = normalized(cross(n, helper));
  const Vec3 c = cross(n, r);
  ImagePlane p;
  p.row_dir = r;
  p.col_dir = c;
  p.row_spacing_mm = 0.5 + 1.5 * (u(gen) + 1.0);
  p.col_spacing_mm = 0.5 + 1.5 * (u(gen) + 1.0);
  p.rows = 64 + static_cast<int>(100 * (u(gen) + 1.0));
  p.cols = 64 + static_cast<int>(100 * (u(gen) + 1.0));
  p.position_mm = Vec3{u(gen), u(gen), u(gen)} * 50.0 - r * (0.5 * p.cols * p.col_spacing_mm) -
                  c * (0.5 * p.rows * p.row_spacing_mm);
  return p;
}

TEST(IntersectionProperty, LinePointsLieOnBothPlanes) {
  std::mt19937_64 gen(1234);
  int checked = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    const ImagePlane a = randomPlane(gen);
    const ImagePlane b = randomPlane(gen);
    const auto line = intersectPlanes(a, b);
    if (!line) continue;
    for (double t : {-300.0, -7.5, 0.0, 12.25, 450.0}) {
      const Vec3 x = line->point_mm + line->direction * t;
      EXPECT_NEAR(a.toPixel(x).out_of_plane_mm, 0.0, 1e-9);
      EXPECT_NEAR(b.toPixel(x).out_of_plane_mm, 0.0, 1e-9);
    }
    ++checked;
  }
  EXPECT_GT(checked, 1900);
}

TEST(IntersectionProperty, ClippedEndpointsLieOnRectangleBorderAndOnBothPlanes) {
  std::mt19937_64 gen(99);
  int clipped = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const ImagePlane a = randomPlane(gen);
    const ImagePlane b = randomPlane(gen);
    const auto seg = referenceLine(a, b);
    if (!seg) continue;
    ++clipped;
    for (const PixelCoord& e : {seg->start, seg->end}) {
      const double d_border = std::min({std::abs(e.row + 0.5), std::abs(e.row - (a.rows - 0.5)),
                                        std::abs(e.col + 0.5), std::abs(e.col - (a.cols - 0.5))});
      EXPECT_LT(d_border, 1e-7);
      EXPECT_GE(e.row, -0.5 - 1e-7);
      EXPECT_LE(e.row, a.rows - 0.5 + 1e-7);
      EXPECT_GE(e.col, -0.5 - 1e-7);
      EXPECT_LE(e.col, a.cols - 0.5 + 1e-7);
      EXPECT_NEAR(b.toPixel(a.toPatient(e)).out_of_plane_mm, 0.0, 1e-9);
    }
  }
  EXPECT_GT(clipped, 100);
}

TEST(IntersectionProperty, AxisAlignedLinesInNonSquareImagesClipExactly) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 500; ++trial) {
    ImagePlane img = axial(0.0, 50 + trial % 37, 80 + trial % 53);
    img.row_spacing_mm = 0.4 + u(gen);
    img.col_spacing_mm = 0.4 + u(gen);
    const double row = -0.4 + (img.rows - 0.2) * u(gen);
    const PixelLine horizontal{{row, 3.0}, 0.0, -1.0};
    const auto seg = clipToImage(img, horizontal);
    ASSERT_TRUE(seg.has_value());
    EXPECT_DOUBLE_EQ(seg->start.row, row);
    EXPECT_DOUBLE_EQ(std::max(seg->start.col, seg->end.col), img.cols - 0.5);
    EXPECT_DOUBLE_EQ(std::min(seg->start.col, seg->end.col), -0.5);
  }
}

}  // namespace
}  // namespace planelab::geometry
