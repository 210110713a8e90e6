#include "nifti/stack_volume.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>

namespace planelab::nifti {
namespace {

using geometry::ImagePlane;
using geometry::Vec3;

// An oblique short-axis-like stack: 6 x 4 pixels of 1.5 x 1.25 mm, slices 8 mm apart, given out of
// order.
std::vector<ImagePlane> obliqueStack(int slices = 5) {
  const Vec3 row = geometry::normalized({0.8, 0.6, 0.0});
  const Vec3 col = geometry::normalized({-0.36, 0.48, -0.8});
  const Vec3 normal = geometry::cross(row, col);
  std::vector<ImagePlane> planes;
  for (int k = 0; k < slices; ++k) {
    ImagePlane p;
    p.row_dir = row;
    p.col_dir = col;
    p.row_spacing_mm = 1.25;
    p.col_spacing_mm = 1.5;
    p.rows = 4;
    p.cols = 6;
    p.position_mm = Vec3{10.0, -20.0, 30.0} + normal * (8.0 * ((k * 3) % slices));
    planes.push_back(p);
  }
  return planes;
}

std::string keyOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    return m.substr(0, m.find(']') + 1);
  }
  return "";
}

// The volume of a stack whose voxel values name their slice (k + 1).
Volume sliceNumbered(const StackLayout& layout, int slices) {
  Volume v;
  v.dim = {layout.cols, layout.rows, slices, 1};
  v.affine = layout.affine;
  v.values.resize(v.voxels());
  for (std::size_t i = 0; i < v.values.size(); ++i) {
    v.values[i] = static_cast<float>(i / (static_cast<std::size_t>(layout.cols) * layout.rows) + 1);
  }
  return v;
}

TEST(StackVolume, OrdersSlicesAlongTheNormalAndMapsVoxelsToPixelCentres) {
  const auto planes = obliqueStack();
  const StackLayout layout = stackLayout(planes);
  ASSERT_EQ(layout.order.size(), planes.size());
  for (std::size_t k = 1; k < layout.order.size(); ++k) {
    EXPECT_GT(
        geometry::dot(planes[layout.order[k]].position_mm - planes[layout.order[k - 1]].position_mm,
                      planes[0].normal()),
        7.99);
  }
  // Voxel (i, j, k) = pixel (row j, col i) of slice k, in RAS.
  for (std::size_t k = 0; k < planes.size(); ++k) {
    const Vec3 lps = planes[layout.order[k]].toPatient(3.0, 5.0);
    const auto& a = layout.affine;
    const double kd = static_cast<double>(k);
    const double ras[3] = {a[0][0] * 5 + a[0][1] * 3 + a[0][2] * kd + a[0][3],
                           a[1][0] * 5 + a[1][1] * 3 + a[1][2] * kd + a[1][3],
                           a[2][0] * 5 + a[2][1] * 3 + a[2][2] * kd + a[2][3]};
    EXPECT_NEAR(ras[0], -lps.x, 1e-9);
    EXPECT_NEAR(ras[1], -lps.y, 1e-9);
    EXPECT_NEAR(ras[2], lps.z, 1e-9);
  }
}

TEST(StackVolume, RefusesWhatIsNotOneRegularStack) {
  auto planes = obliqueStack();
  planes[2].position_mm = planes[2].position_mm + planes[2].normal() * 1.0;
  EXPECT_EQ(keyOf([&] { stackLayout(planes); }), "[irregular_slice_spacing]");
  planes = obliqueStack();
  planes[1].cols = 7;
  EXPECT_EQ(keyOf([&] { stackLayout(planes); }), "[not_a_stack]");
  planes = obliqueStack();
  planes[3].row_dir = geometry::normalized({0.6, 0.8, 0.0});
  EXPECT_EQ(keyOf([&] { stackLayout(planes); }), "[not_a_stack]");
  planes = obliqueStack();
  planes[1].position_mm = planes[0].position_mm;
  EXPECT_FALSE(keyOf([&] { stackLayout(planes); }).empty());
  EXPECT_EQ(keyOf([&] { stackLayout({}); }), "[not_a_stack]");
}

TEST(StackVolume, PlacesEveryPlaneOnItsSlice) {
  const auto planes = obliqueStack();
  const StackLayout layout = stackLayout(planes);
  const Volume v = sliceNumbered(layout, static_cast<int>(planes.size()));
  for (std::size_t k = 0; k < planes.size(); ++k) {
    double residual = -1.0;
    const auto place = placePlane(v, planes[layout.order[k]], 0.01, &residual);
    ASSERT_TRUE(place.has_value());
    EXPECT_LT(residual, 1e-6);
    EXPECT_EQ(place->slice_axis, 2);
    const auto values = valuesOnPlane(v, *place, 4, 6);
    EXPECT_TRUE(std::all_of(values.begin(), values.end(),
                            [&](float x) { return x == static_cast<float>(k + 1); }));
  }
}

TEST(StackVolume, PlacesPlanesInATransposedFlippedVolume) {
  // The same labels stored with x <-> y swapped and z reversed (as another tool may write them).
  const auto planes = obliqueStack();
  const StackLayout layout = stackLayout(planes);
  const Volume v = sliceNumbered(layout, static_cast<int>(planes.size()));
  Volume t;
  const int nz = v.dim[2];
  t.dim = {v.dim[1], v.dim[0], nz, 1};
  t.values.resize(v.voxels());
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < v.dim[1]; ++j)
      for (int i = 0; i < v.dim[0]; ++i) {
        // new voxel (j, i, nz-1-k) holds old (i, j, k); each old pixel also gets a unique value.
        t.values[static_cast<std::size_t>(j + i * t.dim[0] + (nz - 1 - k) * t.dim[0] * t.dim[1])] =
            static_cast<float>(1000 * k + 10 * j + i);
      }
  // New affine: columns swapped (x <-> y), z column negated with the origin at the old last slice.
  for (int r = 0; r < 3; ++r) {
    t.affine[r][0] = v.affine[r][1];
    t.affine[r][1] = v.affine[r][0];
    t.affine[r][2] = -v.affine[r][2];
    t.affine[r][3] = v.affine[r][3] + v.affine[r][2] * (nz - 1);
  }
  for (std::size_t k = 0; k < planes.size(); ++k) {
    const auto place = placePlane(t, planes[layout.order[k]], 0.01);
    ASSERT_TRUE(place.has_value());
    const auto values = valuesOnPlane(t, *place, 4, 6);
    for (int row = 0; row < 4; ++row)
      for (int col = 0; col < 6; ++col)
        EXPECT_EQ(values[static_cast<std::size_t>(row * 6 + col)],
                  static_cast<float>(1000 * k + 10 * row + col));
  }
}

TEST(StackVolume, RefusesPlanesOffTheVoxelGrid) {
  const auto planes = obliqueStack();
  const StackLayout layout = stackLayout(planes);
  const Volume v = sliceNumbered(layout, static_cast<int>(planes.size()));
  ImagePlane shifted = planes[layout.order[1]];
  shifted.position_mm = shifted.position_mm + shifted.normal() * 2.0;  // between slices
  double residual = 0.0;
  EXPECT_FALSE(placePlane(v, shifted, 0.5, &residual).has_value());
  EXPECT_NEAR(residual, 2.0, 1e-6);
  ImagePlane bigger = planes[layout.order[1]];
  bigger.cols = 9;  // runs out of the volume
  EXPECT_FALSE(placePlane(v, bigger, 0.5).has_value());
  ImagePlane rotated = planes[layout.order[1]];
  rotated.row_dir = geometry::normalized({0.6, 0.8, 0.0});
  EXPECT_FALSE(placePlane(v, rotated, 0.5).has_value());
}

}  // namespace
}  // namespace planelab::nifti
