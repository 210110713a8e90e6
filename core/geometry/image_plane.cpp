#include "geometry/image_plane.h"

#include <cmath>

namespace planelab::geometry {

ImagePlane ImagePlane::fromDicom(const std::array<double, 3>& ipp, const std::array<double, 6>& iop,
                                 const std::array<double, 2>& pixel_spacing, int rows, int cols) {
  ImagePlane p;
  p.position_mm = {ipp[0], ipp[1], ipp[2]};
  p.row_dir = {iop[0], iop[1], iop[2]};
  p.col_dir = {iop[3], iop[4], iop[5]};
  p.row_spacing_mm = pixel_spacing[0];
  p.col_spacing_mm = pixel_spacing[1];
  p.rows = rows;
  p.cols = cols;
  return p;
}

Vec3 ImagePlane::normal() const {
  return normalized(cross(row_dir, col_dir));
}

Vec3 ImagePlane::toPatient(double row, double col) const {
  return position_mm + row_dir * (col * col_spacing_mm) + col_dir * (row * row_spacing_mm);
}

PlaneProjection ImagePlane::toPixel(const Vec3& patient_mm) const {
  // Solve for (i, j, u) in X = P + j*dc*r + i*dr*c + u*n. With orthonormal r, c this is a set of
  // dot products; the 3x3 solve keeps it exact for slightly non-orthogonal headers as well.
  const Vec3 d = patient_mm - position_mm;
  const Vec3 n = normal();
  const Vec3 a = row_dir * col_spacing_mm;  // d X / d j
  const Vec3 b = col_dir * row_spacing_mm;  // d X / d i
  const double det = dot(a, cross(b, n));
  PlaneProjection out;
  out.pixel.col = dot(d, cross(b, n)) / det;
  out.pixel.row = dot(a, cross(d, n)) / det;
  out.out_of_plane_mm = dot(a, cross(b, d)) / det;
  return out;
}

Vec3 ImagePlane::centre() const {
  return toPatient(0.5 * (rows - 1), 0.5 * (cols - 1));
}

std::string ImagePlane::validate(double tolerance) const {
  if (rows <= 0 || cols <= 0) return "bad_matrix_size";
  if (!(row_spacing_mm > 0.0) || !(col_spacing_mm > 0.0) || !std::isfinite(row_spacing_mm) ||
      !std::isfinite(col_spacing_mm)) {
    return "bad_pixel_spacing";
  }
  if (std::abs(norm(row_dir) - 1.0) > tolerance || std::abs(norm(col_dir) - 1.0) > tolerance) {
    return "orientation_not_unit";
  }
  if (std::abs(dot(row_dir, col_dir)) > tolerance) return "orientation_not_orthogonal";
  return {};
}

}  // namespace planelab::geometry
