#include "train/predict.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "data/preprocess.h"
#include "data/target_grid.h"

namespace planelab::train {

std::vector<std::vector<std::uint8_t>> predictSegmentation(LoadedModel& model,
                                                           const std::vector<SourceImage>& images,
                                                           int batch_size) {
  if (model.net->config().segmentation_classes < 2)
    throw std::invalid_argument("[not_a_segmentation_model] the run has no segmentation head");
  model.net->eval();
  return predictSegmentation(
      model.plan,
      [&model](const torch::Tensor& input) {
        return model.net->forward(input.to(model.device)).segmentation.to(torch::kCPU);
      },
      images, batch_size);
}

std::vector<std::vector<std::uint8_t>> predictSegmentation(const data::PreprocessingPlan& plan,
                                                           const SegmentationForward& forward,
                                                           const std::vector<SourceImage>& images,
                                                           int batch_size) {
  const int size = plan.grid.size;
  const auto pixels = static_cast<std::size_t>(size) * size;
  std::vector<std::vector<std::uint8_t>> out;
  out.reserve(images.size());
  torch::NoGradGuard no_grad;
  const auto step = static_cast<std::size_t>(std::max(batch_size, 1));
  for (std::size_t first = 0; first < images.size(); first += step) {
    const std::size_t count = std::min(step, images.size() - first);
    auto input = torch::empty({static_cast<std::int64_t>(count), 1, size, size});
    for (std::size_t i = 0; i < count; ++i) {
      const auto& image = images[first + i];
      const auto prepared = data::preprocessImage(image.pixels, image.plane, plan);
      std::copy(prepared.begin(), prepared.end(), input.data_ptr<float>() + i * pixels);
    }
    const torch::Tensor logits = forward(input);
    if (logits.dim() != 4 || logits.size(0) != static_cast<std::int64_t>(count) ||
        logits.size(1) < 2 || logits.size(2) != size || logits.size(3) != size) {
      throw std::invalid_argument("[not_a_segmentation_model] the network's output is not [B, C, " +
                                  std::to_string(size) + ", " + std::to_string(size) + "] logits");
    }
    const auto probabilities = torch::softmax(logits.to(torch::kFloat32), 1).contiguous();
    const auto classes = probabilities.size(1);
    const float* p = probabilities.data_ptr<float>();
    for (std::size_t i = 0; i < count; ++i) {
      const auto& source = images[first + i].plane;
      const auto grid = data::resampledPlane(source, plan.grid);
      std::vector<std::uint8_t> labels(static_cast<std::size_t>(source.rows) * source.cols, 0);
      std::vector<double> mixed(static_cast<std::size_t>(classes));
      for (int r = 0; r < source.rows; ++r)
        for (int c = 0; c < source.cols; ++c) {
          const auto at = grid.toPixel(source.toPatient(r, c)).pixel;
          // Outside the grid's pixel area: no prediction (background).
          if (at.row < -0.5 || at.col < -0.5 || at.row > size - 0.5 || at.col > size - 0.5)
            continue;
          const double y = std::clamp(at.row, 0.0, size - 1.0),
                       x = std::clamp(at.col, 0.0, size - 1.0);
          const int y0 = std::min(static_cast<int>(y), size - 2 < 0 ? 0 : size - 2);
          const int x0 = std::min(static_cast<int>(x), size - 2 < 0 ? 0 : size - 2);
          const int y1 = std::min(y0 + 1, size - 1), x1 = std::min(x0 + 1, size - 1);
          const double fy = y - y0, fx = x - x0;
          for (std::int64_t k = 0; k < classes; ++k) {
            const float* m =
                p + (i * static_cast<std::size_t>(classes) + static_cast<std::size_t>(k)) * pixels;
            const auto v = [&](int yy, int xx) {
              return static_cast<double>(m[static_cast<std::size_t>(yy) * size + xx]);
            };
            mixed[static_cast<std::size_t>(k)] =
                (1 - fy) * ((1 - fx) * v(y0, x0) + fx * v(y0, x1)) +
                fy * ((1 - fx) * v(y1, x0) + fx * v(y1, x1));
          }
          labels[static_cast<std::size_t>(r) * source.cols + c] = static_cast<std::uint8_t>(
              std::max_element(mixed.begin(), mixed.end()) - mixed.begin());
        }
      out.push_back(std::move(labels));
    }
  }
  return out;
}

}  // namespace planelab::train
