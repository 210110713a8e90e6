// Catalog images of one series as a volume: slices of a parallel stack along the normal, and at
// each slice position the cine phases in trigger-time order. What NIfTI results and nnU-Net
// datasets are built from.
#pragma once

#include <string>
#include <vector>

#include "catalog/curation_records.h"
#include "curation/study_curation.h"
#include "nifti/stack_volume.h"

namespace planelab::sources {

// Phase of each image (0-based) among the images at its position (same ImagePositionPatient
// within 0.01 mm), ordered by trigger time, then instance number, then frame.
std::vector<int> phaseIndices(const std::vector<const catalog::StudyImage*>& images);

struct SeriesVolume {
  nifti::StackLayout layout;
  int phases = 1;
  // images[k][t]: index into the input of slice k at phase t.
  std::vector<std::vector<std::size_t>> images;
};

// Throws std::runtime_error "[missing_geometry] ...", stackLayout's "[not_a_stack] ..." /
// "[irregular_slice_spacing] ...", or "[uneven_phases] ..." when the positions have different
// numbers of phases.
SeriesVolume seriesVolume(const std::vector<const catalog::StudyImage*>& images);

geometry::ImagePlane planeOf(const catalog::StudyImage& image);  // needs the geometry fields
// The reference the pixel and label sources load an image by.
curation::PlaneImage planeImageOf(const catalog::StudyImage& image);

}  // namespace planelab::sources
