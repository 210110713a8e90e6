// Parallel planes along a common normal: where each one sits and in which order.
#pragma once

#include <cstddef>
#include <vector>

#include "geometry/image_plane.h"

namespace planelab::geometry {

// Signed distance (mm) of the plane from the patient origin along unit_normal: n . IPP.
// Recomputed from the header geometry; SliceLocation is never trusted.
double signedDistanceAlong(const ImagePlane& plane, const Vec3& unit_normal);

// Angle between two plane normals in degrees, ignoring their sign (0..90).
double angleBetweenPlanesDeg(const ImagePlane& a, const ImagePlane& b);

// Indices of planes sorted by increasing signed distance along unit_normal; ties keep their
// input order (stable), so repeated slice locations stay in acquisition order.
std::vector<std::size_t> orderAlongNormal(const std::vector<ImagePlane>& planes,
                                          const Vec3& unit_normal);

}  // namespace planelab::geometry
