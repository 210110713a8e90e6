// The interface every analytic phantom implements: tissue and label at a point in patient space.
#pragma once

#include <memory>

#include "geometry/vec3.h"
#include "phantom/tissue.h"

namespace planelab::phantom {

// The anatomy frozen at one time point of the cardiac cycle (static anatomies ignore time).
class AnatomySnapshot {
 public:
  virtual ~AnatomySnapshot() = default;
  // x: patient point (LPS, mm). breath_hold_shift: rigid offset (mm) of the organs that move
  // with respiration; they are evaluated at x - shift. Must be thread-safe (const, no caches).
  virtual TissueSample eval(const geometry::Vec3& x,
                            const geometry::Vec3& breath_hold_shift) const = 0;
};

class Anatomy {
 public:
  virtual ~Anatomy() = default;
  // Snapshot at t_ms after the R wave (precomputes the per-phase shape parameters).
  virtual std::unique_ptr<AnatomySnapshot> at(double t_ms) const = 0;
};

}  // namespace planelab::phantom
