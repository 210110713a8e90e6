// The all-pairs intersection matrix of a study.
#include "curation/curation_steps.h"
#include "geometry/stack_order.h"

namespace planelab::curation {

void buildIntersections(StudyCuration& study) {
  const std::size_t n = study.planes.size();
  for (std::size_t a = 0; a < n; ++a) {
    const Plane& image = study.planes[a];
    const int group = study.series[static_cast<std::size_t>(image.series)].group;
    for (std::size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      const Plane& other = study.planes[b];
      // Different frames of reference: no line (the study got a finding in buildPlanes).
      if (study.series[static_cast<std::size_t>(other.series)].group != group) continue;
      const double angle = geometry::angleBetweenPlanesDeg(image.geometry, other.geometry);
      if (angle < geometry::kDefaultParallelGuardDeg) continue;
      Intersection x;
      x.plane = static_cast<int>(a);
      x.other = static_cast<int>(b);
      x.angle_deg = angle;
      if (const auto segment = geometry::referenceLine(image.geometry, other.geometry)) {
        x.segment = *segment;
      }
      study.intersections.push_back(x);
    }
  }
}

}  // namespace planelab::curation
