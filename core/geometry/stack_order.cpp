#include "geometry/stack_order.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace planelab::geometry {

double signedDistanceAlong(const ImagePlane& plane, const Vec3& unit_normal) {
  return dot(plane.position_mm, unit_normal);
}

double angleBetweenPlanesDeg(const ImagePlane& a, const ImagePlane& b) {
  const double c = std::min(1.0, std::abs(dot(a.normal(), b.normal())));
  return radToDeg(std::acos(c));
}

std::vector<std::size_t> orderAlongNormal(const std::vector<ImagePlane>& planes,
                                          const Vec3& unit_normal) {
  std::vector<double> s(planes.size());
  for (std::size_t k = 0; k < planes.size(); ++k)
    s[k] = signedDistanceAlong(planes[k], unit_normal);
  std::vector<std::size_t> order(planes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t l, std::size_t r) { return s[l] < s[r]; });
  return order;
}

}  // namespace planelab::geometry
