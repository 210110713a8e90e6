#include "data/target_grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace planelab::data {
namespace {

using geometry::ImagePlane;
using geometry::Vec3;

// An oblique plane with non-square pixels and a rectangular matrix.
ImagePlane obliqueSource() {
  const Vec3 r = geometry::normalized(Vec3{0.8, 0.5, -0.2});
  const Vec3 c0{0.1, -0.3, -0.9};
  const Vec3 c = geometry::normalized(c0 - r * geometry::dot(c0, r));
  ImagePlane p;
  p.position_mm = {-120.0, -80.0, 40.0};
  p.row_dir = r;
  p.col_dir = c;
  p.row_spacing_mm = 1.4;
  p.col_spacing_mm = 1.7;
  p.rows = 192;
  p.cols = 256;
  return p;
}

void expectNear(const Vec3& a, const Vec3& b, double tol) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

TEST(TargetGrid, ResampledPlaneMapsCentreToCentreWithExactSpacing) {
  const ImagePlane src = obliqueSource();
  for (int size : {224, 223, 1}) {
    const ImagePlane t = resampledPlane(src, TargetGrid{1.26, size});
    EXPECT_EQ(t.rows, size);
    EXPECT_EQ(t.cols, size);
    EXPECT_DOUBLE_EQ(t.row_spacing_mm, 1.26);
    EXPECT_DOUBLE_EQ(t.col_spacing_mm, 1.26);
    expectNear(t.row_dir, src.row_dir, 0.0);
    expectNear(t.col_dir, src.col_dir, 0.0);
    expectNear(t.centre(), src.centre(), 1e-9);
    const double c = 0.5 * (size - 1);
    expectNear(t.toPatient(c, c), src.toPatient(0.5 * (src.rows - 1), 0.5 * (src.cols - 1)), 1e-9);
    // Neighbouring output pixels are exactly 1.26 mm apart along both axes.
    EXPECT_NEAR(geometry::norm(t.toPatient(c, c + 1) - t.toPatient(c, c)), 1.26, 1e-12);
    EXPECT_NEAR(geometry::norm(t.toPatient(c + 1, c) - t.toPatient(c, c)), 1.26, 1e-12);
  }
}

// Source pixel coordinates of an output pixel, through the patient frame.
geometry::PixelCoord sourceCoord(const ImagePlane& src, const ImagePlane& t, int i, int j) {
  return src.toPixel(t.toPatient(i, j)).pixel;
}

TEST(TargetGrid, LinearInterpolationOfARampIsExact) {
  const ImagePlane src = obliqueSource();
  std::vector<float> ramp(static_cast<std::size_t>(src.rows * src.cols));
  const auto f = [](double r, double c) { return 0.25 * r - 0.5 * c + 7.0; };
  for (int r = 0; r < src.rows; ++r) {
    for (int c = 0; c < src.cols; ++c) {
      ramp[static_cast<std::size_t>(r * src.cols + c)] = static_cast<float>(f(r, c));
    }
  }
  const TargetGrid grid{1.26, 224};
  const ImagePlane t = resampledPlane(src, grid);
  for (const auto interp : {Interpolation::kLinear, Interpolation::kCubic}) {
    const std::vector<float> out = resampleImage(ramp.data(), src, grid, interp);
    ASSERT_EQ(out.size(), 224u * 224u);
    const double margin = interp == Interpolation::kCubic ? 1.0 : 0.0;  // cubic reads one more
    int checked = 0;
    for (int i = 0; i < 224; ++i) {
      for (int j = 0; j < 224; ++j) {
        const auto p = sourceCoord(src, t, i, j);
        const float v = out[static_cast<std::size_t>(i * 224 + j)];
        if (p.row < -0.5 - 1e-9 || p.row > src.rows - 0.5 + 1e-9 || p.col < -0.5 - 1e-9 ||
            p.col > src.cols - 0.5 + 1e-9) {
          EXPECT_EQ(v, 0.0f) << i << "," << j;
        } else if (p.row >= margin && p.row <= src.rows - 1 - margin && p.col >= margin &&
                   p.col <= src.cols - 1 - margin) {
          EXPECT_NEAR(v, f(p.row, p.col), 1e-4) << i << "," << j;
          ++checked;
        }
      }
    }
    EXPECT_GT(checked, 20000);
  }
}

TEST(TargetGrid, ConstantImageStaysConstantInsideAndZeroOutside) {
  ImagePlane src = obliqueSource();
  src.rows = 40;
  src.cols = 50;  // 56 x 85 mm: much smaller than the 282 mm grid
  const std::vector<float> flat(static_cast<std::size_t>(src.rows * src.cols), 5.0f);
  const TargetGrid grid;
  const ImagePlane t = resampledPlane(src, grid);
  for (const auto interp :
       {Interpolation::kNearest, Interpolation::kLinear, Interpolation::kCubic}) {
    const std::vector<float> out = resampleImage(flat.data(), src, grid, interp);
    for (int i = 0; i < grid.size; ++i) {
      for (int j = 0; j < grid.size; ++j) {
        const auto p = sourceCoord(src, t, i, j);
        const bool inside =
            p.row >= -0.5 && p.row <= src.rows - 0.5 && p.col >= -0.5 && p.col <= src.cols - 0.5;
        const bool edge = std::abs(p.row + 0.5) < 1e-9 || std::abs(p.row - src.rows + 0.5) < 1e-9 ||
                          std::abs(p.col + 0.5) < 1e-9 || std::abs(p.col - src.cols + 0.5) < 1e-9;
        if (edge) continue;
        EXPECT_NEAR(out[static_cast<std::size_t>(i * grid.size + j)], inside ? 5.0f : 0.0f, 1e-5)
            << i << "," << j;
      }
    }
  }
}

TEST(TargetGrid, NearestPicksTheNearestSourcePixel) {
  ImagePlane src = obliqueSource();
  src.rows = 30;
  src.cols = 20;
  src.row_spacing_mm = 2.0;
  src.col_spacing_mm = 3.0;
  std::vector<float> index(static_cast<std::size_t>(src.rows * src.cols));
  for (std::size_t k = 0; k < index.size(); ++k) index[k] = static_cast<float>(k);
  const TargetGrid grid{1.0, 64};
  const ImagePlane t = resampledPlane(src, grid);
  const std::vector<float> out = resampleImage(index.data(), src, grid, Interpolation::kNearest);
  for (int i = 0; i < grid.size; ++i) {
    for (int j = 0; j < grid.size; ++j) {
      const auto p = sourceCoord(src, t, i, j);
      const long r = std::lround(p.row);
      const long c = std::lround(p.col);
      if (r < 0 || r >= src.rows || c < 0 || c >= src.cols) continue;
      if (std::abs(p.row - std::floor(p.row) - 0.5) < 1e-6) continue;  // tie
      if (std::abs(p.col - std::floor(p.col) - 0.5) < 1e-6) continue;
      EXPECT_EQ(out[static_cast<std::size_t>(i * grid.size + j)],
                static_cast<float>(r * src.cols + c));
    }
  }
}

TEST(TargetGrid, CubicIsCatmullRom) {
  // Source 16 x 16 at 2 mm, output 31 x 31 at 1 mm: output (i, j) reads source (i/2, j/2), i.e.
  // every other output pixel sits on a source centre and the others half-way between two.
  ImagePlane src = obliqueSource();
  src.rows = 16;
  src.cols = 16;
  src.row_spacing_mm = src.col_spacing_mm = 2.0;
  std::vector<double> s(16);
  for (std::size_t k = 0; k < s.size(); ++k) s[k] = static_cast<double>((k * 37) % 11);
  std::vector<float> px(256);
  for (std::size_t k = 0; k < px.size(); ++k) px[k] = static_cast<float>(s[k % 16]);
  const std::vector<float> out =
      resampleImage(px.data(), src, TargetGrid{1.0, 31}, Interpolation::kCubic);
  ASSERT_EQ(out.size(), 31u * 31u);
  for (std::size_t i = 0; i < 31; ++i) {
    for (std::size_t k = 0; k < 16; ++k) EXPECT_NEAR(out[i * 31 + 2 * k], s[k], 1e-5);
    for (std::size_t k = 1; k + 2 < 16; ++k) {  // Catmull-Rom at t = 1/2: (-1, 9, 9, -1) / 16
      const double expected = (-s[k - 1] + 9.0 * s[k] + 9.0 * s[k + 1] - s[k + 2]) / 16.0;
      EXPECT_NEAR(out[i * 31 + 2 * k + 1], expected, 1e-5) << i << "," << k;
    }
  }
}

TEST(TargetGrid, BadGridGivesEmpty) {
  const ImagePlane src = obliqueSource();
  std::vector<float> px(static_cast<std::size_t>(src.rows * src.cols), 1.0f);
  EXPECT_TRUE(resampleImage(px.data(), src, TargetGrid{1.26, 0}, Interpolation::kLinear).empty());
  EXPECT_TRUE(resampleImage(px.data(), src, TargetGrid{0.0, 10}, Interpolation::kLinear).empty());
  const auto zeros = resampleImage(nullptr, src, TargetGrid{1.26, 8}, Interpolation::kLinear);
  ASSERT_EQ(zeros.size(), 64u);
  for (float v : zeros) EXPECT_EQ(v, 0.0f);
}

}  // namespace
}  // namespace planelab::data
