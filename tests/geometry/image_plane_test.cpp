#include "geometry/image_plane.h"

#include <gtest/gtest.h>

namespace planelab::geometry {
namespace {

// Axial image, patient left to the right of the image, posterior down; rows 1 mm apart,
// columns 0.5 mm apart (non-square pixels catch a swapped PixelSpacing order).
ImagePlane axialNonSquare() {
  return ImagePlane::fromDicom({-100.0, -50.0, 20.0}, {1, 0, 0, 0, 1, 0}, {1.0, 0.5}, 100, 200);
}

TEST(ImagePlane, PixelSpacingIsRowSpacingThenColumnSpacing) {
  const ImagePlane p = axialNonSquare();
  // One column step moves along IOP[0..2] by PixelSpacing[1].
  const Vec3 col_step = p.toPatient(0, 1) - p.toPatient(0, 0);
  EXPECT_DOUBLE_EQ(col_step.x, 0.5);
  EXPECT_DOUBLE_EQ(col_step.y, 0.0);
  // One row step moves along IOP[3..5] by PixelSpacing[0].
  const Vec3 row_step = p.toPatient(1, 0) - p.toPatient(0, 0);
  EXPECT_DOUBLE_EQ(row_step.y, 1.0);
  EXPECT_DOUBLE_EQ(row_step.x, 0.0);
}

TEST(ImagePlane, FirstPixelCentreIsImagePosition) {
  const ImagePlane p = axialNonSquare();
  const Vec3 x = p.toPatient(0, 0);
  EXPECT_DOUBLE_EQ(x.x, -100.0);
  EXPECT_DOUBLE_EQ(x.y, -50.0);
  EXPECT_DOUBLE_EQ(x.z, 20.0);
}

TEST(ImagePlane, HandWorkedObliquePoint) {
  // Row direction (0.6, 0.8, 0), column direction (0, 0, -1); PixelSpacing [2, 1].
  const ImagePlane p =
      ImagePlane::fromDicom({10, 20, 30}, {0.6, 0.8, 0, 0, 0, -1}, {2.0, 1.0}, 64, 64);
  // Pixel (row 3, col 5): X = P + 5 * 1 * r + 3 * 2 * c = (10 + 3, 20 + 4, 30 - 6).
  const Vec3 x = p.toPatient(3, 5);
  EXPECT_NEAR(x.x, 13.0, 1e-12);
  EXPECT_NEAR(x.y, 24.0, 1e-12);
  EXPECT_NEAR(x.z, 24.0, 1e-12);
  // Normal = r x c = (0.6, 0.8, 0) x (0, 0, -1) = (-0.8, 0.6, 0).
  const Vec3 n = p.normal();
  EXPECT_NEAR(n.x, -0.8, 1e-12);
  EXPECT_NEAR(n.y, 0.6, 1e-12);
  EXPECT_NEAR(n.z, 0.0, 1e-12);
}

TEST(ImagePlane, PixelToPatientRoundTrip) {
  const ImagePlane p = ImagePlane::fromDicom({-29.0848, -175.421, 149.421},
                                             {0.669131, 0.743145, 0, -0.302264, 0.27216, -0.913545},
                                             {1.6, 1.4}, 192, 208);
  for (double i : {0.0, 10.5, 191.0}) {
    for (double j : {0.0, 77.25, 207.0}) {
      const PlaneProjection back = p.toPixel(p.toPatient(i, j));
      EXPECT_NEAR(back.pixel.row, i, 1e-9);
      EXPECT_NEAR(back.pixel.col, j, 1e-9);
      EXPECT_NEAR(back.out_of_plane_mm, 0.0, 1e-9);
    }
  }
}

TEST(ImagePlane, OutOfPlaneDistanceIsSignedAlongNormal) {
  const ImagePlane p = axialNonSquare();
  const PlaneProjection above = p.toPixel(p.toPatient(4, 6) + p.normal() * 3.5);
  EXPECT_NEAR(above.out_of_plane_mm, 3.5, 1e-12);
  EXPECT_NEAR(above.pixel.row, 4.0, 1e-12);
  EXPECT_NEAR(above.pixel.col, 6.0, 1e-12);
}

TEST(ImagePlane, SizeAndCentre) {
  const ImagePlane p = axialNonSquare();
  EXPECT_DOUBLE_EQ(p.widthMm(), 100.0);   // 200 columns x 0.5 mm
  EXPECT_DOUBLE_EQ(p.heightMm(), 100.0);  // 100 rows x 1 mm
  const Vec3 c = p.centre();
  EXPECT_DOUBLE_EQ(c.x, -100.0 + 99.5 * 0.5);
  EXPECT_DOUBLE_EQ(c.y, -50.0 + 49.5);
}

TEST(ImagePlane, ValidateReportsStableKeys) {
  EXPECT_EQ(axialNonSquare().validate(), "");
  ImagePlane p = axialNonSquare();
  p.row_dir = {1.0, 0.1, 0.0};
  EXPECT_EQ(p.validate(), "orientation_not_unit");
  p = axialNonSquare();
  p.col_dir = normalized(Vec3{0.1, 1.0, 0.0});
  EXPECT_EQ(p.validate(), "orientation_not_orthogonal");
  p = axialNonSquare();
  p.row_spacing_mm = 0.0;
  EXPECT_EQ(p.validate(), "bad_pixel_spacing");
  p = axialNonSquare();
  p.rows = 0;
  EXPECT_EQ(p.validate(), "bad_matrix_size");
}

}  // namespace
}  // namespace planelab::geometry
