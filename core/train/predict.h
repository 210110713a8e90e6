// Applying a trained segmentation network to images of any size and geometry: each image is
// preprocessed with the run's plan (data/preprocess.h), the network's class probabilities on the
// plan's grid are sampled bilinearly at every source pixel's centre (through patient
// coordinates, so any spacing and crop/pad is undone exactly), and the argmax is the label. Pixels
// outside the grid's field of view get label 0.
#pragma once

#include <cstdint>
#include <vector>

#include "geometry/image_plane.h"
#include "train/trainer.h"

namespace planelab::train {

struct SourceImage {
  geometry::ImagePlane plane;  // header geometry (rows, cols, spacing, position, orientation)
  std::vector<float> pixels;   // rows * cols, after the Modality LUT
};

// Label maps on each source grid (rows * cols, values index model.label_names). `batch_size`
// images per forward pass.
std::vector<std::vector<std::uint8_t>> predictSegmentation(LoadedModel& model,
                                                           const std::vector<SourceImage>& images,
                                                           int batch_size = 8);

}  // namespace planelab::train
