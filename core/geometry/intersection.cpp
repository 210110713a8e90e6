#include "geometry/intersection.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace planelab::geometry {

std::optional<Line3> intersectPlanes(const ImagePlane& a, const ImagePlane& b,
                                     double parallel_guard_deg) {
  const Vec3 n1 = a.normal();
  const Vec3 n2 = b.normal();
  const Vec3 u = cross(n1, n2);
  const double sin_angle = norm(u);
  if (sin_angle < std::sin(degToRad(parallel_guard_deg))) return std::nullopt;
  // Solve [n1; n2; u] x = [n1.p1; n2.p2; u.p1] by Cramer's rule: x lies on both planes and is the
  // point of the line nearest to p1.
  const Vec3& p1 = a.position_mm;
  const Vec3& p2 = b.position_mm;
  const double d1 = dot(n1, p1);
  const double d2 = dot(n2, p2);
  const double d3 = dot(u, p1);
  // x = (d1 (n2 x u) + d2 (u x n1) + d3 (n1 x n2)) / (n1 . (n2 x u))
  const double det = dot(n1, cross(n2, u));
  const Vec3 x = (cross(n2, u) * d1 + cross(u, n1) * d2 + u * d3) / det;
  return Line3{x, u / sin_angle};
}

std::optional<PixelLine> projectLine(const ImagePlane& image, const Line3& line) {
  const PlaneProjection p0 = image.toPixel(line.point_mm);
  const PlaneProjection p1 = image.toPixel(line.point_mm + line.direction);
  const double drow = p1.pixel.row - p0.pixel.row;
  const double dcol = p1.pixel.col - p0.pixel.col;
  const double len = std::hypot(drow, dcol);
  if (len < 1e-12) return std::nullopt;
  return PixelLine{p0.pixel, drow / len, dcol / len};
}

std::optional<PixelSegment> clipToImage(const ImagePlane& image, const PixelLine& line) {
  // Liang-Barsky against the slab of each axis; a zero direction component means the line is
  // parallel to that pair of borders and is inside only if its coordinate lies between them.
  double t_min = -std::numeric_limits<double>::infinity();
  double t_max = std::numeric_limits<double>::infinity();
  const auto clip_axis = [&](double origin, double dir, double lo, double hi) {
    if (dir == 0.0) return origin >= lo && origin <= hi;
    double t0 = (lo - origin) / dir;
    double t1 = (hi - origin) / dir;
    if (t0 > t1) std::swap(t0, t1);
    t_min = std::max(t_min, t0);
    t_max = std::min(t_max, t1);
    return t_min <= t_max;
  };
  if (!clip_axis(line.origin.row, line.drow, -0.5, image.rows - 0.5)) return std::nullopt;
  if (!clip_axis(line.origin.col, line.dcol, -0.5, image.cols - 0.5)) return std::nullopt;
  if (!(t_min < t_max)) return std::nullopt;  // touches only a corner
  return PixelSegment{{line.origin.row + t_min * line.drow, line.origin.col + t_min * line.dcol},
                      {line.origin.row + t_max * line.drow, line.origin.col + t_max * line.dcol}};
}

std::optional<PixelSegment> referenceLine(const ImagePlane& image, const ImagePlane& other,
                                          double parallel_guard_deg) {
  const auto line = intersectPlanes(image, other, parallel_guard_deg);
  if (!line) return std::nullopt;
  const auto pixel_line = projectLine(image, *line);
  if (!pixel_line) return std::nullopt;
  return clipToImage(image, *pixel_line);
}

double distanceToLinePx(const PixelCoord& p, const PixelLine& line) {
  // |cross((p - o), d)| with d of unit length.
  return std::abs((p.row - line.origin.row) * line.dcol - (p.col - line.origin.col) * line.drow);
}

double distanceToLineMm(const ImagePlane& image, const PixelCoord& p, const PixelLine& line) {
  const double dr = (p.row - line.origin.row) * image.row_spacing_mm;
  const double dc = (p.col - line.origin.col) * image.col_spacing_mm;
  const double ur = line.drow * image.row_spacing_mm;
  const double uc = line.dcol * image.col_spacing_mm;
  return std::abs(dr * uc - dc * ur) / std::hypot(ur, uc);
}

}  // namespace planelab::geometry
