#include "nifti/stack_volume.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace planelab::nifti {

namespace {

using geometry::Vec3;

std::array<double, 3> ras(const Vec3& lps) {
  return lpsToRas({lps.x, lps.y, lps.z});
}

// Inverse of the affine's 3x3 part applied to (world - offset).
std::optional<std::array<double, 3>> toVoxel(const Affine& a, const std::array<double, 3>& world) {
  const double m[3][3] = {
      {a[0][0], a[0][1], a[0][2]}, {a[1][0], a[1][1], a[1][2]}, {a[2][0], a[2][1], a[2][2]}};
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (std::abs(det) < 1e-12) return std::nullopt;
  const double b[3] = {world[0] - a[0][3], world[1] - a[1][3], world[2] - a[2][3]};
  std::array<double, 3> x{};
  for (int col = 0; col < 3; ++col) {  // Cramer's rule
    double mc[3][3];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) mc[i][j] = j == col ? b[i] : m[i][j];
    x[static_cast<std::size_t>(col)] = (mc[0][0] * (mc[1][1] * mc[2][2] - mc[1][2] * mc[2][1]) -
                                        mc[0][1] * (mc[1][0] * mc[2][2] - mc[1][2] * mc[2][0]) +
                                        mc[0][2] * (mc[1][0] * mc[2][1] - mc[1][1] * mc[2][0])) /
                                       det;
  }
  return x;
}

}  // namespace

StackLayout stackLayout(const std::vector<geometry::ImagePlane>& planes, double single_slice_mm) {
  if (planes.empty()) throw std::runtime_error("[not_a_stack] no slices");
  const geometry::ImagePlane& first = planes.front();
  const Vec3 normal = first.normal();
  for (const auto& p : planes) {
    if (p.rows != first.rows || p.cols != first.cols ||
        std::abs(p.row_spacing_mm - first.row_spacing_mm) > 1e-3 ||
        std::abs(p.col_spacing_mm - first.col_spacing_mm) > 1e-3) {
      throw std::runtime_error("[not_a_stack] slices differ in matrix size or pixel spacing");
    }
    if (geometry::dot(p.row_dir, first.row_dir) < 1.0 - 1e-4 ||
        geometry::dot(p.col_dir, first.col_dir) < 1.0 - 1e-4) {
      throw std::runtime_error("[not_a_stack] slices are not parallel (orientation differs)");
    }
  }
  StackLayout layout;
  layout.rows = first.rows;
  layout.cols = first.cols;
  layout.order.resize(planes.size());
  std::iota(layout.order.begin(), layout.order.end(), std::size_t{0});
  auto along = [&](std::size_t i) { return geometry::dot(planes[i].position_mm, normal); };
  std::sort(layout.order.begin(), layout.order.end(),
            [&](std::size_t a, std::size_t b) { return along(a) < along(b); });
  const Vec3 origin = planes[layout.order.front()].position_mm;
  Vec3 step = normal * single_slice_mm;
  if (planes.size() > 1) {
    step =
        (planes[layout.order.back()].position_mm - origin) / static_cast<double>(planes.size() - 1);
    const double step_mm = geometry::norm(step);
    if (step_mm < 1e-3) throw std::runtime_error("[not_a_stack] two slices at one position");
    const double tolerance = std::max(0.05, 0.01 * step_mm);
    for (std::size_t k = 0; k < planes.size(); ++k) {
      const Vec3 expected = origin + step * static_cast<double>(k);
      const double off = geometry::norm(planes[layout.order[k]].position_mm - expected);
      if (off > tolerance) {
        throw std::runtime_error("[irregular_slice_spacing] slice " + std::to_string(k) + " is " +
                                 std::to_string(off) + " mm off a regular " +
                                 std::to_string(step_mm) + " mm grid");
      }
    }
  }
  const Vec3 columns[3] = {first.row_dir * first.col_spacing_mm,
                           first.col_dir * first.row_spacing_mm, step};
  for (int j = 0; j < 3; ++j) {
    const auto c = ras(columns[j]);
    for (int i = 0; i < 3; ++i)
      layout.affine[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] =
          c[static_cast<std::size_t>(i)];
  }
  const auto o = ras(origin);
  for (int i = 0; i < 3; ++i)
    layout.affine[static_cast<std::size_t>(i)][3] = o[static_cast<std::size_t>(i)];
  return layout;
}

std::optional<PlaneInVolume> placePlane(const Volume& volume, const geometry::ImagePlane& plane,
                                        double tolerance_mm, double* residual_mm) {
  const double inf = std::numeric_limits<double>::infinity();
  if (residual_mm != nullptr) *residual_mm = inf;
  auto voxelOf = [&](double r, double c) {
    return toVoxel(volume.affine, ras(plane.toPatient(r, c)));
  };
  const auto v0 = voxelOf(0, 0);
  const auto vc = voxelOf(0, 1);
  const auto vr = voxelOf(1, 0);
  if (!v0 || !vc || !vr || plane.rows < 1 || plane.cols < 1) return std::nullopt;
  PlaneInVolume p;
  bool used[3] = {false, false, false};
  auto unitStep = [&](const std::array<double, 3>& to, std::array<int, 3>& step) {
    for (int axis = 0; axis < 3; ++axis) {
      const double d = to[static_cast<std::size_t>(axis)] - (*v0)[static_cast<std::size_t>(axis)];
      step[static_cast<std::size_t>(axis)] = static_cast<int>(std::lround(d));
    }
    int nonzero = 0, axis_used = -1;
    for (int axis = 0; axis < 3; ++axis) {
      if (step[static_cast<std::size_t>(axis)] != 0) {
        ++nonzero;
        axis_used = axis;
      }
    }
    if (nonzero != 1 || std::abs(step[static_cast<std::size_t>(axis_used)]) != 1 || used[axis_used])
      return false;
    used[axis_used] = true;
    return true;
  };
  if (!unitStep(*vc, p.along_col) || !unitStep(*vr, p.along_row)) return std::nullopt;
  p.slice_axis = !used[0] ? 0 : (!used[1] ? 1 : 2);
  for (int axis = 0; axis < 3; ++axis)
    p.origin[static_cast<std::size_t>(axis)] =
        static_cast<int>(std::lround((*v0)[static_cast<std::size_t>(axis)]));
  // Worst corner: distance (mm) between the pixel centre and the voxel centre it reads.
  const auto spacing = volume.spacing();
  double worst = 0.0;
  for (const int r : {0, plane.rows - 1}) {
    for (const int c : {0, plane.cols - 1}) {
      const auto v = voxelOf(r, c);
      double d2 = 0.0;
      for (int axis = 0; axis < 3; ++axis) {
        const auto a = static_cast<std::size_t>(axis);
        const int index = p.origin[a] + c * p.along_col[a] + r * p.along_row[a];
        if (index < 0 || index >= volume.dim[a]) return std::nullopt;  // outside the volume
        const double off = ((*v)[a] - index) * spacing[a];
        d2 += off * off;
      }
      worst = std::max(worst, std::sqrt(d2));
    }
  }
  if (residual_mm != nullptr) *residual_mm = worst;
  if (worst > tolerance_mm) return std::nullopt;
  return p;
}

std::vector<float> valuesOnPlane(const Volume& volume, const PlaneInVolume& placement, int rows,
                                 int cols, int t) {
  std::vector<float> out(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
  const std::size_t nx = static_cast<std::size_t>(volume.dim[0]);
  const std::size_t nxy = nx * static_cast<std::size_t>(volume.dim[1]);
  const std::size_t time_offset =
      nxy * static_cast<std::size_t>(volume.dim[2]) * static_cast<std::size_t>(t);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      std::size_t index[3];
      for (std::size_t a = 0; a < 3; ++a) {
        index[a] = static_cast<std::size_t>(placement.origin[a] + c * placement.along_col[a] +
                                            r * placement.along_row[a]);
      }
      out[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
          static_cast<std::size_t>(c)] =
          volume.values[time_offset + index[0] + index[1] * nx + index[2] * nxy];
    }
  }
  return out;
}

}  // namespace planelab::nifti
