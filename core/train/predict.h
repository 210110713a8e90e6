// Applying a trained segmentation network to images of any size and geometry: each image is
// preprocessed with the run's plan (data/preprocess.h), the network's class probabilities on the
// plan's grid are sampled bilinearly at every source pixel's centre (through patient
// coordinates, so any spacing and crop/pad is undone exactly), and the argmax is the label. Pixels
// outside the grid's field of view get label 0.
#pragma once

#include <cstdint>
#include <functional>
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

// The same for any network that maps preprocessed images [B, 1, size, size] (CPU, float32) to
// segmentation logits [B, C, size, size] — an exported TorchScript model with its card's plan.
using SegmentationForward = std::function<torch::Tensor(const torch::Tensor& input)>;
std::vector<std::vector<std::uint8_t>> predictSegmentation(const data::PreprocessingPlan& plan,
                                                           const SegmentationForward& forward,
                                                           const std::vector<SourceImage>& images,
                                                           int batch_size = 8);

}  // namespace planelab::train
