// Where two image planes cut each other: the 3-D line, its trace in an image, and that trace
// clipped to the image's pixel rectangle.
#pragma once

#include <optional>

#include "geometry/image_plane.h"

namespace planelab::geometry {

// Infinite line in the patient frame: point + t * direction (direction is a unit vector).
struct Line3 {
  Vec3 point_mm;
  Vec3 direction;
};

// Infinite line in an image's continuous pixel coordinates: origin + t * direction, with
// direction normalised to unit length in pixel-index space.
struct PixelLine {
  PixelCoord origin;
  double drow = 0.0;
  double dcol = 0.0;
};

// Segment of a PixelLine inside an image, endpoints on the border of the pixel area.
struct PixelSegment {
  PixelCoord start;
  PixelCoord end;
};

// Planes closer to parallel than this do not define a stable line (1 degree by default, as in
// the reference implementation's |n1 x n2| < sin(1 deg) guard).
constexpr double kDefaultParallelGuardDeg = 1.0;

// Intersection line of the two (infinite) planes, or nothing when the angle between their
// normals is below parallel_guard_deg. The returned point is the point of the line nearest to
// a.position_mm. Computed in double precision.
std::optional<Line3> intersectPlanes(const ImagePlane& a, const ImagePlane& b,
                                     double parallel_guard_deg = kDefaultParallelGuardDeg);

// Orthogonal projection of a 3-D line into an image's pixel coordinates (exact when the line
// lies in the plane). Empty when the line is (nearly) perpendicular to the image.
std::optional<PixelLine> projectLine(const ImagePlane& image, const Line3& line);

// The part of a pixel line inside the pixel area [-0.5, rows - 0.5] x [-0.5, cols - 0.5]
// (the edges of the outer pixels), for any direction, including lines parallel to rows or
// columns. Empty when the line misses the image.
std::optional<PixelSegment> clipToImage(const ImagePlane& image, const PixelLine& line);

// Trace of plane `other` in `image`, clipped to the image: the reference line a viewer draws.
std::optional<PixelSegment> referenceLine(const ImagePlane& image, const ImagePlane& other,
                                          double parallel_guard_deg = kDefaultParallelGuardDeg);

// Perpendicular distance from a pixel to a pixel line, in pixel-index units.
double distanceToLinePx(const PixelCoord& p, const PixelLine& line);
// The same distance measured in mm in the image plane (accounts for non-square pixels).
double distanceToLineMm(const ImagePlane& image, const PixelCoord& p, const PixelLine& line);

}  // namespace planelab::geometry
