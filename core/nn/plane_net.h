// The paper's 2-D U-Net (ML-RECIPE §4.1) with the heads PlaneLab trains: intersecting-line
// heatmaps, relative slice location, segmentation, classification and image restoration (the
// Models-Genesis-style baseline). Configurable width, depth and normalisation; presets for the
// paper (GPU) and for a 2-core CPU.
//
// Parameter names are stable (checkpoints, transfer and export rely on them):
//   encoder.block{i}.conv{1,2}.{weight,bias}, encoder.block{i}.norm{1,2}.*    i = 0 .. depth-1
//   decoder.up{i}.{weight,bias}  (transposed conv), decoder.block{i}.conv{1,2}.*, .norm{1,2}.*
//     i = 0 .. depth-2, from the deepest level up
//   heads.heatmap.*, heads.location.fc{1,2}.*, heads.segmentation.*, heads.classification.*,
//   heads.restoration.*
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>
#include <nlohmann/json_fwd.hpp>

namespace planelab::nn {

enum class Norm { kBatch, kInstance, kNone };
std::optional<Norm> parseNorm(const std::string& text);  // "batch" | "instance" | "none"
std::string normName(Norm norm);

struct NetworkConfig {
  std::string preset = "compact";  // informational: which preset it started from
  int in_channels = 1;
  int base_width = 16;  // width of the first encoder block; doubles per level (paper 64 -> 1024)
  int depth = 5;        // encoder blocks; depth-1 poolings, so the input size must be divisible
                        // by 2^(depth-1)
  Norm encoder_norm = Norm::kBatch;  // paper: BatchNorm in the encoder
  Norm decoder_norm = Norm::kNone;   // paper: none in the decoder
  // Heads (0 / false = absent).
  int heatmap_channels = 0;
  bool location = false;
  int location_hidden = 128;
  double location_dropout = 0.5;  // paper order: FC -> Dropout -> ReLU -> FC
  int segmentation_classes = 0;
  int classification_classes = 0;
  int restoration_channels = 0;

  nlohmann::json toJson() const;
  static NetworkConfig fromJson(const nlohmann::json& json);  // throws "[invalid_network] ..."
  // "" when the config is usable for `input_size`, else a message with a key in brackets.
  std::string validate(int input_size) const;
};

// "paper": base 64, depth 5 (64 -> 1024), for 224 px inputs.
// "compact": base 16, depth 5, for 96-128 px inputs on a 2-core CPU.
// Throws std::invalid_argument "[unknown_preset] ..." for other names.
NetworkConfig preset(const std::string& name);

struct Outputs {
  torch::Tensor heatmaps;        // [B, K, H, W] (no activation, as the paper)
  torch::Tensor location;        // [B] (unbounded)
  torch::Tensor segmentation;    // [B, C, H, W] logits
  torch::Tensor classification;  // [B, C] logits
  torch::Tensor restoration;     // [B, 1, H, W]
};

class PlaneNetImpl : public torch::nn::Module {
 public:
  explicit PlaneNetImpl(const NetworkConfig& config);
  // x: [B, in_channels, H, W]. Only the configured heads are evaluated; the decoder runs only
  // when a dense head (heatmap, segmentation, restoration) is configured.
  Outputs forward(const torch::Tensor& x);
  // The encoder's features, shallow to deep: depth tensors [B, base·2^i, H/2^i, W/2^i] (the
  // skips; the last is the bottleneck).
  std::vector<torch::Tensor> encode(const torch::Tensor& x);
  const NetworkConfig& config() const { return config_; }
  // Kaiming-normal (fan_in, a = 0) conv weights, BatchNorm gamma ~ N(1, 0.02), beta = 0; biases
  // and Linear layers keep PyTorch's defaults (ML-RECIPE §4.1). Uses the global torch generator
  // (seed it first).
  void initialise();

 private:
  NetworkConfig config_;
  struct Layers;
  std::shared_ptr<Layers> layers_;
};
TORCH_MODULE(PlaneNet);

// Which tensors a fine-tuning run takes from a pretrained one.
enum class TransferScope { kEncoder, kEncoderDecoder };

struct TransferReport {
  std::vector<std::string> transferred;           // names copied
  std::vector<std::string> skipped_not_in_scope;  // e.g. decoder tensors under kEncoder, heads
  std::vector<std::string> skipped_shape;         // same name, different shape
  std::vector<std::string> missing_in_source;     // in scope in the target, absent in the source
  std::int64_t transferred_values = 0;
  std::string text() const;  // human-readable report, one line per group
  nlohmann::json toJson() const;
};

// Copies parameters and buffers (BatchNorm running statistics included) from `source` into
// `target` by name for the names in scope. Heads are never transferred.
TransferReport transferWeights(PlaneNet& source, PlaneNet& target, TransferScope scope);

std::int64_t parameterCount(PlaneNet& net);

}  // namespace planelab::nn
