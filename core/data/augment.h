// Per-sample augmentation of the loader (loader.h): one in-plane affine map (rotation, isotropic
// scale about the image centre, flips) applied to the image (bilinear), labels (nearest) and to the
// sample's plane geometry, so pretext heatmaps are evaluated exactly on the augmented grid; then
// intensity changes on the image only. Internal to core/data; exposed for tests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "data/loader.h"
#include "data/random.h"
#include "geometry/image_plane.h"

namespace planelab::data {

// The random draws of one sample, always drawn in this order (whatever is enabled), so switching
// one option does not change the others' draws.
struct AugmentDraw {
  double angle_rad = 0.0;
  double scale = 1.0;
  bool flip_cols = false;  // mirror the column index (u -> size-1-u before rotating)
  bool flip_rows = false;
  double gain = 1.0;  // x * gain + offset
  double offset = 0.0;
  double gamma = 1.0;
};
AugmentDraw drawAugmentation(const AugmentOptions& options, Rng& rng);

// The random stream of the sample at `position` of `epoch` (loader seed): its first draws are
// drawAugmentation's, then the noise.
Rng sampleRng(std::uint64_t seed, int epoch, std::int64_t position);

// The map from augmented (output) pixel coordinates (u' = col, v' = row) to the stored image's:
//   u = c + m00 (u' - c) + m01 (v' - c),  v = c + m10 (u' - c) + m11 (v' - c),  c = (size-1)/2.
// Forward (stored -> augmented): p' = c + s R F (p - c), F = diag(flip_cols ? -1 : 1,
// flip_rows ? -1 : 1), R = rotation by angle_rad; so m = F R^T / s.
struct PixelAffine {
  double m00 = 1.0, m01 = 0.0, m10 = 0.0, m11 = 1.0;
  double centre = 0.0;
  bool identity = true;
};
PixelAffine inverseMap(const AugmentDraw& draw, int size);

// The plane of the augmented image: its pixel (u', v') lies at the patient point of the stored
// plane's pixel (u, v) above. Rotation/scale/flip of a square-pixel grid is again an ImagePlane
// (a flip negates a direction; spacing / scale).
geometry::ImagePlane augmentPlane(const geometry::ImagePlane& plane, const PixelAffine& map);

// out[v'][u'] = bilinear(in at (u, v)); neighbours outside the image count as 0.
void warpBilinear(const float* in, int size, const PixelAffine& map, float* out);
// Nearest neighbour (ties round half up), 0 outside.
void warpNearest(const std::uint8_t* in, int size, const PixelAffine& map, std::int64_t* out);
// Gamma (on min-max rescaled intensities), gain/offset, then Gaussian noise (from `rng`).
void augmentIntensity(float* pixels, std::size_t count, const AugmentOptions& options,
                      const AugmentDraw& draw, Rng& rng);

}  // namespace planelab::data
