// Checkpoints with the full training state: model (parameters and buffers), optimiser state,
// the trainer's state (next epoch, global step, best metric, metric history) and the CPU random
// generator. Written to a temporary file and renamed, so a crash never leaves a torn checkpoint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "nn/plane_net.h"

namespace planelab::train {

struct TrainerState {
  int next_epoch = 0;  // the epoch a resumed run starts with
  std::int64_t step = 0;
  std::optional<double> best_metric;
  int best_epoch = -1;
  nlohmann::json history = nlohmann::json::array();  // one object per finished epoch
};

void saveCheckpoint(const std::string& path, nn::PlaneNet& net, torch::optim::Optimizer* optimiser,
                    const TrainerState& state);

// Loads into `net` (and `optimiser` when given and present). Throws std::runtime_error
// "[checkpoint_unreadable] ..." for a missing or corrupt file.
TrainerState loadCheckpoint(const std::string& path, nn::PlaneNet& net,
                            torch::optim::Optimizer* optimiser, const torch::Device& device);

}  // namespace planelab::train
