// The network's input grid and the resampling of a source image onto it.
//
// Deliberate, documented departure from the official code (docs/pretext-targets.md): the
// official preprocessing resamples with scipy.ndimage.zoom (corner-aligned mapping, zoom factor
// round(shape * spacing / 1.26) / shape, so the achieved spacing is only approximately 1.26 mm)
// and then centre-crops / zero-pads to 224 with an odd-padding quirk (the top/left pad grows by
// one when half the padding is odd). PlaneLab's mapping is physically exact instead: the output
// pixel spacing is exactly grid.spacing_mm in both directions and the centre of the output pixel
// area lies on the centre of the source pixel area (centre to centre), with no rounding of the
// zoom factor and no half-pixel or one-pixel offsets. The output plane is an ordinary
// ImagePlane, so the pretext targets are computed on it in closed form.
#pragma once

#include <vector>

#include "geometry/image_plane.h"

namespace planelab::data {

// The network input grid: square, `size` pixels at `spacing_mm`, centred on the source image.
struct TargetGrid {
  double spacing_mm = 1.26;
  int size = 224;
};

// The plane of the resampled + centre-cropped/padded image: same row/col directions as source,
// both spacings = grid.spacing_mm, rows = cols = grid.size, and its centre pixel
// ((size-1)/2, (size-1)/2) at the same patient point as the source centre
// ((rows-1)/2, (cols-1)/2).
geometry::ImagePlane resampledPlane(const geometry::ImagePlane& source, const TargetGrid& grid);

// kNearest: the nearest source pixel centre (ties round half up).
// kLinear: bilinear between the four surrounding pixel centres.
// kCubic: separable Catmull-Rom (Keys cubic convolution, a = -0.5) over 4 x 4 pixel centres:
//   interpolating (passes through the samples), no prefilter, exact for linear ramps away from the
//   border. (Not scipy's cubic B-spline, which needs a prefilter and does not interpolate
//   locally.)
enum class Interpolation { kNearest, kLinear, kCubic };

// Resamples a row-major float image (source.rows x source.cols) onto resampledPlane(source, grid);
// samples outside the source pixel area [-0.5, rows-0.5] x [-0.5, cols-0.5] are 0 (zero padding).
// Inside that area, neighbours beyond the outer pixel centres repeat the edge pixel (so a sample
// between the outer pixel centre and the pixel edge takes the edge value). No anti-alias filter
// is applied when downsampling (as scipy zoom). Returns size*size floats, row-major; empty when
// grid.size <= 0 or grid.spacing_mm is not positive; all zeros when the source has no pixels or
// `pixels` is null.
std::vector<float> resampleImage(const float* pixels, const geometry::ImagePlane& source,
                                 const TargetGrid& grid, Interpolation interpolation);

}  // namespace planelab::data
