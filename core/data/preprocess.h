// One source image -> one network input under a preprocessing plan: resampling onto the plan's
// grid (resampledPlane) and intensity normalisation. The single definition used by prepare (for
// datasets) and by predict (for new series), so a model always sees inputs made the same way.
#pragma once

#include <vector>

#include "data/preprocessing_plan.h"
#include "geometry/image_plane.h"

namespace planelab::data {

// `pixels`: source.rows * source.cols values after the Modality LUT, row-major. Returns
// grid.size^2 values: kZScore -> resampled, then (x - mean) / sd over the resampled image
// (padding included; a flat image is only centred); kPercentile -> clipped to the source's
// [0.5, 99.5] percentiles, resampled, scaled to [0, 1] and clamped.
std::vector<float> preprocessImage(const std::vector<float>& pixels,
                                   const geometry::ImagePlane& source,
                                   const PreprocessingPlan& plan);

}  // namespace planelab::data
