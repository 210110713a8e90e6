#include "data/pretext_targets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "data/target_grid.h"
#include "geometry/intersection.h"

namespace planelab::data {
namespace {

using geometry::ImagePlane;
using geometry::Vec3;

// Axial image z = 0, 100 x 100 at 1 mm, IPP (-50, -50, 0): col = x + 50, row = y + 50.
ImagePlane axial(double z = 0.0) {
  return ImagePlane::fromDicom({-50, -50, z}, {1, 0, 0, 0, 1, 0}, {1.0, 1.0}, 100, 100);
}
ImagePlane sagittal(double x) {
  return ImagePlane::fromDicom({x, -50, 50}, {0, 1, 0, 0, 0, -1}, {1.0, 1.0}, 100, 100);
}
ImagePlane coronal(double y) {
  return ImagePlane::fromDicom({-50, y, 50}, {1, 0, 0, 0, 0, -1}, {1.0, 1.0}, 100, 100);
}

float at(const LineHeatmap& h, const ImagePlane& t, int row, int col) {
  return h.values[static_cast<std::size_t>(row * t.cols + col)];
}

const double kAtSigma = std::exp(-0.5);

TEST(LineHeatmap, LineParallelToColumnsHasPeakOneAndExpMinusHalfAtSigma) {
  const ImagePlane t = axial();
  const LineHeatmap h = lineHeatmap(t, sagittal(-10.0), HeatmapOptions{6.0});  // col 40
  EXPECT_EQ(h.flag, "");
  ASSERT_EQ(h.values.size(), 100u * 100u);
  for (int row : {0, 37, 99}) {
    EXPECT_FLOAT_EQ(at(h, t, row, 40), 1.0f);
    EXPECT_NEAR(at(h, t, row, 46), kAtSigma, 1e-6);
    EXPECT_NEAR(at(h, t, row, 34), kAtSigma, 1e-6);
    EXPECT_NEAR(at(h, t, row, 52), std::exp(-2.0), 1e-6);
    EXPECT_NEAR(at(h, t, row, 99), std::exp(-59.0 * 59.0 / 72.0),
                1e-7 * std::exp(-59.0 * 59.0 / 72.0));
  }
  EXPECT_EQ(*std::max_element(h.values.begin(), h.values.end()), 1.0f);
}

TEST(LineHeatmap, LineParallelToRows) {
  const ImagePlane t = axial();
  const LineHeatmap h = lineHeatmap(t, coronal(-20.0), HeatmapOptions{6.0});  // row 30
  EXPECT_EQ(h.flag, "");
  for (int col : {0, 50, 99}) {
    EXPECT_FLOAT_EQ(at(h, t, 30, col), 1.0f);
    EXPECT_NEAR(at(h, t, 36, col), kAtSigma, 1e-6);
    EXPECT_NEAR(at(h, t, 24, col), kAtSigma, 1e-6);
    EXPECT_NEAR(at(h, t, 33, col), std::exp(-9.0 / 72.0), 1e-6);
  }
}

TEST(LineHeatmap, SigmaScalesTheRidge) {
  const ImagePlane t = axial();
  const LineHeatmap h = lineHeatmap(t, sagittal(0.0), HeatmapOptions{2.5});  // col 50
  EXPECT_NEAR(at(h, t, 10, 52), std::exp(-4.0 / 12.5), 1e-6);
  EXPECT_NEAR(at(h, t, 10, 45), std::exp(-25.0 / 12.5), 1e-6);
}

TEST(LineHeatmap, DiagonalLineThroughKnownPixels) {
  // The plane x - y = 0 (normal (1,-1,0)/sqrt 2) cuts the axial image along col = row.
  const double s = std::sqrt(0.5);
  const ImagePlane diag =
      ImagePlane::fromDicom({0, 0, -50}, {s, s, 0, 0, 0, 1}, {1.0, 1.0}, 100, 100);
  const ImagePlane t = axial();
  const LineHeatmap h = lineHeatmap(t, diag, HeatmapOptions{6.0});
  EXPECT_EQ(h.flag, "");
  for (int k = 0; k < 100; ++k) EXPECT_FLOAT_EQ(at(h, t, k, k), 1.0f);
  // (row 20, col 26): distance 6 / sqrt 2 from the diagonal.
  EXPECT_NEAR(at(h, t, 20, 26), std::exp(-18.0 / 72.0), 1e-6);
}

TEST(LineHeatmap, LineOutsideTheCropGivesZerosAndFlag) {
  const ImagePlane t = axial();
  for (double x : {100.0, -200.0, 49.6}) {  // col 150, -150, 99.6 (just beyond the edge 99.5)
    const LineHeatmap h = lineHeatmap(t, sagittal(x), HeatmapOptions{});
    EXPECT_EQ(h.flag, "line_misses_crop") << x;
    ASSERT_EQ(h.values.size(), 100u * 100u);
    EXPECT_TRUE(std::all_of(h.values.begin(), h.values.end(), [](float v) { return v == 0.0f; }));
  }
  const LineHeatmap inside = lineHeatmap(t, sagittal(49.4), HeatmapOptions{});  // col 99.4
  EXPECT_EQ(inside.flag, "");
  EXPECT_NEAR(at(inside, t, 5, 99), std::exp(-0.16 / 72.0), 1e-6);
}

TEST(LineHeatmap, ParallelPlanesGiveZerosAndFlag) {
  const ImagePlane t = axial();
  ImagePlane tilted = axial(10.0);
  for (double deg : {0.0, 0.5, 0.99}) {
    const double a = geometry::degToRad(deg);
    tilted.row_dir = {std::cos(a), 0.0, std::sin(a)};
    const LineHeatmap h = lineHeatmap(t, tilted, HeatmapOptions{});
    EXPECT_EQ(h.flag, "planes_parallel") << deg;
    EXPECT_TRUE(std::all_of(h.values.begin(), h.values.end(), [](float v) { return v == 0.0f; }));
  }
  // Tilted by 2 degrees about the y axis (x = 0, z = 0): above the guard, trace at col 50.
  tilted = axial(0.0);
  const double a = geometry::degToRad(2.0);
  tilted.position_mm = {-50.0 * std::cos(a), -50.0, -50.0 * std::sin(a)};
  tilted.row_dir = {std::cos(a), 0.0, std::sin(a)};
  const LineHeatmap h = lineHeatmap(t, tilted, HeatmapOptions{});
  EXPECT_EQ(h.flag, "");
  EXPECT_FLOAT_EQ(at(h, t, 10, 50), 1.0f);
}

TEST(LineHeatmap, MissingViewAndChannelOrder) {
  const ImagePlane t = axial();
  const ImagePlane sag = sagittal(-10.0);
  const ImagePlane cor = coronal(-20.0);
  const ImagePlane par = axial(5.0);
  const auto hs = lineHeatmaps(t, {&sag, nullptr, &cor, &par}, HeatmapOptions{});
  ASSERT_EQ(hs.size(), 4u);
  EXPECT_EQ(hs[0].flag, "");
  EXPECT_EQ(hs[1].flag, "view_missing");
  EXPECT_EQ(hs[2].flag, "");
  EXPECT_EQ(hs[3].flag, "planes_parallel");
  EXPECT_FLOAT_EQ(at(hs[0], t, 3, 40), 1.0f);
  EXPECT_FLOAT_EQ(at(hs[2], t, 30, 3), 1.0f);
  ASSERT_EQ(hs[1].values.size(), 100u * 100u);
  EXPECT_TRUE(
      std::all_of(hs[1].values.begin(), hs[1].values.end(), [](float v) { return v == 0; }));
}

TEST(LineHeatmap, InvalidSigmaIsFlagged) {
  const ImagePlane t = axial();
  EXPECT_EQ(lineHeatmap(t, sagittal(0.0), HeatmapOptions{0.0}).flag, "invalid_sigma");
  EXPECT_EQ(lineHeatmap(t, sagittal(0.0), HeatmapOptions{-1.0}).flag, "invalid_sigma");
  EXPECT_EQ(lineHeatmap(t, sagittal(0.0), HeatmapOptions{std::nan("")}).flag, "invalid_sigma");
}

// A random orthonormal image frame.
ImagePlane randomPlane(std::mt19937_64& rng, const Vec3& near, double row_sp, double col_sp,
                       int rows, int cols) {
  std::normal_distribution<double> n01;
  const Vec3 r = geometry::normalized({n01(rng), n01(rng), n01(rng)});
  const Vec3 c0{n01(rng), n01(rng), n01(rng)};
  const Vec3 c = geometry::normalized(c0 - r * geometry::dot(c0, r));
  ImagePlane p;
  p.row_dir = r;
  p.col_dir = c;
  p.row_spacing_mm = row_sp;
  p.col_spacing_mm = col_sp;
  p.rows = rows;
  p.cols = cols;
  const Vec3 centre = near + Vec3{n01(rng), n01(rng), n01(rng)} * 30.0;
  p.position_mm = centre - r * (0.5 * (cols - 1) * col_sp) - c * (0.5 * (rows - 1) * row_sp);
  return p;
}

// Brute force from 3-D geometry: each target pixel's patient point, its distance to the 3-D
// intersection line (mm, in the target plane), in pixels of the (square) target grid.
std::vector<double> bruteForce(const ImagePlane& t, const ImagePlane& other, double sigma) {
  const auto line = geometry::intersectPlanes(t, other);
  std::vector<double> out;
  for (int i = 0; i < t.rows; ++i) {
    for (int j = 0; j < t.cols; ++j) {
      const Vec3 x = t.toPatient(i, j);
      const double d_mm = geometry::norm(geometry::cross(x - line->point_mm, line->direction));
      const double d = d_mm / t.col_spacing_mm;
      out.push_back(std::exp(-d * d / (2.0 * sigma * sigma)));
    }
  }
  return out;
}

TEST(LineHeatmap, NonSquareSourcePixelsMatchBruteForce3D) {
  std::mt19937_64 rng(7);
  int lines = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const ImagePlane src = randomPlane(rng, {}, 1.0, 2.0, 180, 120);  // 1.0 x 2.0 mm pixels
    const ImagePlane other = randomPlane(rng, {}, 1.3, 0.9, 200, 256);
    const ImagePlane t = resampledPlane(src, TargetGrid{});
    const LineHeatmap h = lineHeatmap(t, other, HeatmapOptions{6.0});
    if (h.flag != "") {
      EXPECT_TRUE(h.flag == "line_misses_crop" || h.flag == "planes_parallel") << h.flag;
      continue;
    }
    ++lines;
    const std::vector<double> expected = bruteForce(t, other, 6.0);
    ASSERT_EQ(expected.size(), h.values.size());
    double max_diff = 0.0;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      max_diff = std::max(max_diff, std::abs(expected[k] - static_cast<double>(h.values[k])));
    }
    EXPECT_LT(max_diff, 1e-6) << trial;
  }
  EXPECT_GE(lines, 10);
}

TEST(LineHeatmap, NonSquareTargetUsesPixelIndexDistance) {
  // Heatmap on a raw (not resampled) image with 1.0 x 2.0 mm pixels: d is measured in pixel-index
  // units, as geometry::distanceToLinePx of the projected trace.
  std::mt19937_64 rng(11);
  int lines = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const ImagePlane t = randomPlane(rng, {}, 1.0, 2.0, 90, 70);
    const ImagePlane other = randomPlane(rng, {}, 1.0, 1.0, 100, 100);
    const LineHeatmap h = lineHeatmap(t, other, HeatmapOptions{3.0});
    const auto line3 = geometry::intersectPlanes(t, other);
    if (!line3) continue;
    const auto px = geometry::projectLine(t, *line3);
    ASSERT_TRUE(px.has_value());
    const bool crosses = geometry::clipToImage(t, *px).has_value();
    EXPECT_EQ(h.flag, crosses ? "" : "line_misses_crop");
    if (!crosses) continue;
    ++lines;
    for (int i = 0; i < t.rows; ++i) {
      for (int j = 0; j < t.cols; ++j) {
        const double d = geometry::distanceToLinePx({double(i), double(j)}, *px);
        EXPECT_NEAR(at(h, t, i, j), std::exp(-d * d / 18.0), 1e-6);
      }
    }
  }
  EXPECT_GE(lines, 5);
}

TEST(LineHeatmap, RecurrenceMatchesDirectExpEverywhere) {
  // Random steep and shallow lines, narrow and wide ridges, small and large grids: every pixel
  // against exp of the closed form (values below ~1.65e-38 are stored as 0).
  std::mt19937_64 rng(3);
  int lines = 0;
  for (const auto& [size, sigma] : std::vector<std::pair<int, double>>{
           {224, 6.0}, {224, 0.1}, {224, 0.3}, {224, 2.0}, {224, 40.0}, {700, 6.0}, {37, 6.0}}) {
    const ImagePlane t = resampledPlane(axial(), TargetGrid{1.26, size});
    for (int trial = 0; trial < 60; ++trial) {
      const ImagePlane other = randomPlane(rng, t.centre(), 1.0, 1.0, 10, 10);
      const auto line = traceLine(t, other);
      const LineHeatmap h = lineHeatmap(t, other, HeatmapOptions{sigma});
      if (!line) {
        EXPECT_EQ(h.flag, "planes_parallel");
        continue;
      }
      EXPECT_NEAR(line->a * line->a + line->b * line->b, 1.0, 1e-12);
      if (h.flag != "") continue;
      ++lines;
      for (int i = 0; i < t.rows; ++i) {
        for (int j = 0; j < t.cols; ++j) {
          const double d = line->a * j + line->b * i + line->c;
          const double x = d * d / (2.0 * sigma * sigma);
          const double e = x < 87.0 ? std::exp(-x) : 0.0;
          const float v = at(h, t, i, j);
          ASSERT_NEAR(v, e, 1e-7 * e + 1e-30) << size << " " << sigma << " " << i << "," << j;
        }
      }
    }
  }
  EXPECT_GT(lines, 200);
}

TEST(LineHeatmap, IntoABufferEqualsTheVectorApi) {
  std::mt19937_64 rng(9);
  const ImagePlane t = resampledPlane(axial(), TargetGrid{});
  std::vector<float> buffer(t.rows * t.cols + 1, -7.0f);
  for (int trial = 0; trial < 20; ++trial) {
    const ImagePlane other = randomPlane(rng, t.centre(), 1.0, 1.0, 10, 10);
    const LineHeatmap h = lineHeatmap(t, other, HeatmapOptions{});
    EXPECT_EQ(lineHeatmapInto(t, other, HeatmapOptions{}, buffer.data()), h.flag);
    EXPECT_TRUE(std::equal(h.values.begin(), h.values.end(), buffer.begin()));
    EXPECT_EQ(buffer.back(), -7.0f);  // nothing written past the image
    EXPECT_EQ(lineHeatmapInto(t, other, HeatmapOptions{}, nullptr), h.flag);
  }
  // Flags without a line still overwrite the buffer with zeros.
  std::fill(buffer.begin(), buffer.end(), -7.0f);
  EXPECT_EQ(lineHeatmapInto(t, axial(3.0), HeatmapOptions{}, buffer.data()), "planes_parallel");
  EXPECT_TRUE(std::all_of(buffer.begin(), buffer.end() - 1, [](float v) { return v == 0.0f; }));
}

// --- relative slice locations ---

std::vector<ImagePlane> stackAlong(const Vec3& normal_dir, const std::vector<double>& offsets,
                                   bool flip_normal = false) {
  const Vec3 n = geometry::normalized(normal_dir);
  const Vec3 r = geometry::normalized(geometry::cross(n, Vec3{0.3, 0.2, 0.9}));
  const Vec3 c = geometry::cross(n, r);  // r x c = n
  std::vector<ImagePlane> out;
  for (std::size_t k = 0; k < offsets.size(); ++k) {
    ImagePlane p;
    p.row_dir = flip_normal && k % 2 == 1 ? c : r;  // swapped axes: normal -n
    p.col_dir = flip_normal && k % 2 == 1 ? r : c;
    p.rows = p.cols = 128;
    // In-plane offsets must not change the location.
    p.position_mm = Vec3{20.0, -35.0, 12.0} + n * offsets[k] + r * (3.0 * static_cast<double>(k)) -
                    c * (7.0 * static_cast<double>(k));
    out.push_back(p);
  }
  return out;
}

TEST(RelativeLocation, PaperModeIsMinusNormalDotIppMinMax) {
  const Vec3 n = geometry::normalized({0.5, -0.6, 0.62});
  const auto stack = stackAlong(n, {0.0, 8.0, 16.0, 24.0, 40.0});
  std::string key = "stale";
  const auto rel = relativeSliceLocations(stack, LocationMode::kPaper, {}, &key);
  EXPECT_EQ(key, "");
  ASSERT_EQ(rel.size(), 5u);
  std::vector<double> s;
  for (const auto& p : stack) s.push_back(-geometry::dot(p.normal(), p.position_mm));
  const double lo = *std::min_element(s.begin(), s.end());
  const double hi = *std::max_element(s.begin(), s.end());
  for (std::size_t k = 0; k < s.size(); ++k) EXPECT_NEAR(rel[k], (s[k] - lo) / (hi - lo), 1e-12);
  // -n . IPP decreases along n: the first slice is the largest.
  EXPECT_DOUBLE_EQ(rel[0], 1.0);
  EXPECT_DOUBLE_EQ(rel[4], 0.0);
  EXPECT_NEAR(rel[2], 0.6, 1e-12);
}

TEST(RelativeLocation, PaperModeUsesEachPlanesOwnNormal) {
  // Every other plane has its axes swapped (normal -n): the official formula is kept as is.
  const Vec3 n = geometry::normalized({0.1, 0.2, 1.0});
  const auto stack = stackAlong(n, {10.0, 20.0, 30.0}, true);
  std::string key;
  const auto rel = relativeSliceLocations(stack, LocationMode::kPaper, {}, &key);
  ASSERT_EQ(rel.size(), 3u);
  std::vector<double> s;
  for (const auto& p : stack) s.push_back(-geometry::dot(p.normal(), p.position_mm));
  const double lo = *std::min_element(s.begin(), s.end());
  const double hi = *std::max_element(s.begin(), s.end());
  for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(rel[k], (s[k] - lo) / (hi - lo), 1e-12);
}

TEST(RelativeLocation, AnatomicalModeRunsFromBaseToApex) {
  const Vec3 base_to_apex = geometry::normalized({-0.4, 0.5, -0.75});
  // Slices listed apex first; positions along base->apex: 30, 20, 10, 0.
  const auto stack = stackAlong(base_to_apex, {30.0, 20.0, 10.0, 0.0}, true);
  std::string key;
  const auto rel =
      relativeSliceLocations(stack, LocationMode::kAnatomical, base_to_apex * 3.0, &key);
  EXPECT_EQ(key, "");
  ASSERT_EQ(rel.size(), 4u);
  EXPECT_NEAR(rel[0], 1.0, 1e-12);  // apex
  EXPECT_NEAR(rel[1], 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(rel[2], 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(rel[3], 0.0, 1e-12);  // base
  const auto reversed =
      relativeSliceLocations(stack, LocationMode::kAnatomical, -base_to_apex, &key);
  ASSERT_EQ(reversed.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(reversed[k], 1.0 - rel[k], 1e-12);
}

TEST(RelativeLocation, SingleSliceStacksAreRefused) {
  const Vec3 n{0, 0, 1};
  for (const auto& offsets : {std::vector<double>{}, std::vector<double>{5.0},
                              std::vector<double>{5.0, 5.0, 5.0 + 1e-8}}) {
    for (const auto mode : {LocationMode::kPaper, LocationMode::kAnatomical}) {
      std::string key;
      const auto rel = relativeSliceLocations(stackAlong(n, offsets), mode, n, &key);
      EXPECT_TRUE(rel.empty());
      EXPECT_EQ(key, "single_slice_stack");
    }
  }
  EXPECT_TRUE(
      relativeSliceLocations(stackAlong(n, {1.0}), LocationMode::kPaper, n, nullptr).empty());
}

TEST(RelativeLocation, DuplicatedLocationsShareAValue) {
  const Vec3 n = geometry::normalized({1, 1, 0});
  std::string key;
  const auto rel = relativeSliceLocations(stackAlong(n, {0.0, 10.0, 10.0, 20.0}),
                                          LocationMode::kAnatomical, n, &key);
  ASSERT_EQ(rel.size(), 4u);
  EXPECT_NEAR(rel[0], 0.0, 1e-12);
  EXPECT_NEAR(rel[1], 0.5, 1e-12);
  EXPECT_NEAR(rel[2], 0.5, 1e-12);
  EXPECT_NEAR(rel[3], 1.0, 1e-12);
}

TEST(RelativeLocation, NeverNaNAndBadInputsHaveKeys) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-100.0, 100.0);
  for (int trial = 0; trial < 100; ++trial) {
    std::vector<double> offsets(static_cast<std::size_t>(1 + trial % 6));
    for (double& o : offsets) o = trial % 3 == 0 ? 42.0 : u(rng);
    const Vec3 n{u(rng), u(rng), u(rng)};
    for (const auto mode : {LocationMode::kPaper, LocationMode::kAnatomical}) {
      std::string key;
      const auto rel = relativeSliceLocations(stackAlong(n, offsets), mode, n, &key);
      EXPECT_EQ(rel.empty(), !key.empty());
      for (double v : rel) {
        EXPECT_TRUE(std::isfinite(v));
        EXPECT_GE(v, 0.0);
        EXPECT_LE(v, 1.0);
      }
    }
  }
  std::string key;
  const auto stack = stackAlong({0, 0, 1}, {0.0, 5.0});
  EXPECT_TRUE(relativeSliceLocations(stack, LocationMode::kAnatomical, {}, &key).empty());
  EXPECT_EQ(key, "invalid_direction");
  auto bad = stack;
  bad[1].position_mm.z = std::nan("");
  EXPECT_TRUE(relativeSliceLocations(bad, LocationMode::kPaper, {}, &key).empty());
  EXPECT_EQ(key, "invalid_geometry");
}

TEST(RelativeLocation, ParseMode) {
  EXPECT_EQ(parseLocationMode("paper"), LocationMode::kPaper);
  EXPECT_EQ(parseLocationMode("anatomical"), LocationMode::kAnatomical);
  EXPECT_FALSE(parseLocationMode("Paper").has_value());
  EXPECT_FALSE(parseLocationMode("").has_value());
  EXPECT_EQ(locationModeName(LocationMode::kAnatomical), "anatomical");
  EXPECT_EQ(locationModeName(LocationMode::kPaper), "paper");
}

}  // namespace
}  // namespace planelab::data
