#include "nn/plane_net.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

namespace planelab::nn {

std::optional<Norm> parseNorm(const std::string& text) {
  if (text == "batch") return Norm::kBatch;
  if (text == "instance") return Norm::kInstance;
  if (text == "none") return Norm::kNone;
  return std::nullopt;
}

std::string normName(Norm norm) {
  switch (norm) {
    case Norm::kBatch:
      return "batch";
    case Norm::kInstance:
      return "instance";
    case Norm::kNone:
      return "none";
  }
  return "none";
}

// ---------------------------------------------------------------------------------------------
// Config

namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw std::invalid_argument("[invalid_network] " + message);
}

// Largest width allowed at the bottleneck (base * 2^(depth-1)); far beyond any sensible network,
// it keeps the int arithmetic of the widths from overflowing.
constexpr std::int64_t kMaxWidth = 1 << 16;
constexpr int kMaxDepth = 12;

// Problems that do not depend on the input size; "" when none.
std::string structuralError(const NetworkConfig& c) {
  std::ostringstream out;
  if (c.in_channels < 1) {
    out << "in_channels must be >= 1 (got " << c.in_channels << ")";
  } else if (c.base_width < 1) {
    out << "base_width must be >= 1 (got " << c.base_width << ")";
  } else if (c.depth < 1 || c.depth > kMaxDepth) {
    out << "depth must be in 1.." << kMaxDepth << " (got " << c.depth << ")";
  } else if ((static_cast<std::int64_t>(c.base_width) << (c.depth - 1)) > kMaxWidth) {
    out << "bottleneck width base_width * 2^(depth-1) exceeds " << kMaxWidth;
  } else if (c.heatmap_channels < 0 || c.segmentation_classes < 0 || c.classification_classes < 0 ||
             c.restoration_channels < 0) {
    out << "head sizes must be >= 0 (0 = head absent)";
  } else if (c.location && c.location_hidden < 1) {
    out << "location_hidden must be >= 1 (got " << c.location_hidden << ")";
  } else if (c.location && !(c.location_dropout >= 0.0 && c.location_dropout < 1.0)) {
    out << "location_dropout must be in [0, 1) (got " << c.location_dropout << ")";
  } else if (c.heatmap_channels == 0 && !c.location && c.segmentation_classes == 0 &&
             c.classification_classes == 0 && c.restoration_channels == 0) {
    out << "no head configured (heatmap_channels, location, segmentation_classes, "
           "classification_classes or restoration_channels)";
  }
  return out.str();
}

template <typename T>
bool hasType(const nlohmann::json& value);
template <>
bool hasType<int>(const nlohmann::json& value) {
  return value.is_number_integer();
}
template <>
bool hasType<bool>(const nlohmann::json& value) {
  return value.is_boolean();
}
template <>
bool hasType<double>(const nlohmann::json& value) {
  return value.is_number();
}
template <>
bool hasType<std::string>(const nlohmann::json& value) {
  return value.is_string();
}

template <typename T>
const char* typeName();
template <>
const char* typeName<int>() {
  return "an integer";
}
template <>
const char* typeName<bool>() {
  return "a boolean";
}
template <>
const char* typeName<double>() {
  return "a number";
}
template <>
const char* typeName<std::string>() {
  return "a string";
}

template <typename T>
void read(const nlohmann::json& json, const char* key, T& field) {
  const auto it = json.find(key);
  if (it == json.end()) return;
  if (!hasType<T>(*it)) invalid(std::string("'") + key + "' must be " + typeName<T>());
  if constexpr (std::is_same_v<T, int>) {
    const auto value = it->get<std::int64_t>();
    if (value < INT32_MIN || value > INT32_MAX) invalid(std::string("'") + key + "' out of range");
    field = static_cast<int>(value);
  } else {
    field = it->get<T>();
  }
}

void readNorm(const nlohmann::json& json, const char* key, Norm& field) {
  std::string text;
  if (json.find(key) == json.end()) return;
  read(json, key, text);
  const auto norm = parseNorm(text);
  if (!norm)
    invalid(std::string("'") + key + "' must be batch, instance or none (got " + text + ")");
  field = *norm;
}

}  // namespace

nlohmann::json NetworkConfig::toJson() const {
  return nlohmann::json{{"preset", preset},
                        {"in_channels", in_channels},
                        {"base_width", base_width},
                        {"depth", depth},
                        {"encoder_norm", normName(encoder_norm)},
                        {"decoder_norm", normName(decoder_norm)},
                        {"heatmap_channels", heatmap_channels},
                        {"location", location},
                        {"location_hidden", location_hidden},
                        {"location_dropout", location_dropout},
                        {"segmentation_classes", segmentation_classes},
                        {"classification_classes", classification_classes},
                        {"restoration_channels", restoration_channels}};
}

NetworkConfig NetworkConfig::fromJson(const nlohmann::json& json) {
  if (!json.is_object()) invalid("network config must be a JSON object");
  static const char* const kKeys[] = {"preset",
                                      "in_channels",
                                      "base_width",
                                      "depth",
                                      "encoder_norm",
                                      "decoder_norm",
                                      "heatmap_channels",
                                      "location",
                                      "location_hidden",
                                      "location_dropout",
                                      "segmentation_classes",
                                      "classification_classes",
                                      "restoration_channels"};
  for (const auto& item : json.items()) {
    if (std::find_if(std::begin(kKeys), std::end(kKeys),
                     [&](const char* k) { return item.key() == k; }) == std::end(kKeys)) {
      invalid("unknown key '" + item.key() + "'");
    }
  }
  // Missing keys keep the values of the named preset (or of the defaults when no preset is
  // named), so {"preset": "paper", "heatmap_channels": 2} is a complete config.
  NetworkConfig config;
  if (json.contains("preset")) {
    std::string name;
    read(json, "preset", name);
    try {
      config = planelab::nn::preset(name);
    } catch (const std::invalid_argument&) {
      config.preset = name;  // informational only: a custom name keeps the defaults
    }
  }
  read(json, "in_channels", config.in_channels);
  read(json, "base_width", config.base_width);
  read(json, "depth", config.depth);
  readNorm(json, "encoder_norm", config.encoder_norm);
  readNorm(json, "decoder_norm", config.decoder_norm);
  read(json, "heatmap_channels", config.heatmap_channels);
  read(json, "location", config.location);
  read(json, "location_hidden", config.location_hidden);
  read(json, "location_dropout", config.location_dropout);
  read(json, "segmentation_classes", config.segmentation_classes);
  read(json, "classification_classes", config.classification_classes);
  read(json, "restoration_channels", config.restoration_channels);
  const std::string error = structuralError(config);
  if (!error.empty()) invalid(error);
  return config;
}

std::string NetworkConfig::validate(int input_size) const {
  std::string error = structuralError(*this);
  if (!error.empty()) return "[invalid_network] " + error;
  const int factor = 1 << (depth - 1);  // depth-1 poolings of 2
  std::ostringstream out;
  if (input_size < 1) {
    out << "[invalid_network] input size must be >= 1 (got " << input_size << ")";
  } else if (input_size % factor != 0) {
    out << "[invalid_network] input size " << input_size
        << " is not divisible by 2^(depth-1) = " << factor << " (depth " << depth << ")";
  } else if (encoder_norm == Norm::kInstance && input_size / factor < 2) {
    // InstanceNorm needs more than one value per channel at the bottleneck.
    out << "[invalid_network] instance norm needs a bottleneck larger than 1x1 (input size "
        << input_size << ", depth " << depth << ")";
  }
  return out.str();
}

NetworkConfig preset(const std::string& name) {
  NetworkConfig config;
  config.preset = name;
  if (name == "paper") {
    config.base_width = 64;  // 64 -> 1024, ML-RECIPE §4.1
    config.depth = 5;
  } else if (name == "compact") {
    config.base_width = 16;  // 16 -> 256, about 1/16 of the paper's parameters
    config.depth = 5;
  } else {
    throw std::invalid_argument("[unknown_preset] unknown network preset '" + name +
                                "' (paper, compact)");
  }
  return config;
}

// ---------------------------------------------------------------------------------------------
// Network

namespace {

namespace tnn = torch::nn;

// 2 x (Conv3x3 pad 1 with bias -> [norm] -> ReLU). Submodules conv1, norm1, conv2, norm2.
class ConvBlockImpl : public tnn::Module {
 public:
  ConvBlockImpl(std::int64_t in, std::int64_t out, Norm norm) {
    conv1_ = register_module("conv1", tnn::Conv2d(tnn::Conv2dOptions(in, out, 3).padding(1)));
    registerNorm("norm1", out, norm, bn1_, in1_);
    conv2_ = register_module("conv2", tnn::Conv2d(tnn::Conv2dOptions(out, out, 3).padding(1)));
    registerNorm("norm2", out, norm, bn2_, in2_);
  }

  torch::Tensor forward(torch::Tensor x) {
    x = conv1_->forward(x);
    x = normalise(x, bn1_, in1_);
    x = torch::relu_(x);  // in place: neither conv nor norm backward needs its output
    x = conv2_->forward(x);
    x = normalise(x, bn2_, in2_);
    return torch::relu_(x);
  }

 private:
  void registerNorm(const std::string& name, std::int64_t channels, Norm norm, tnn::BatchNorm2d& bn,
                    tnn::InstanceNorm2d& in) {
    if (norm == Norm::kBatch) {
      bn = register_module(name, tnn::BatchNorm2d(channels));
    } else if (norm == Norm::kInstance) {
      in = register_module(name,
                           tnn::InstanceNorm2d(tnn::InstanceNorm2dOptions(channels).affine(true)));
    }
  }
  static torch::Tensor normalise(const torch::Tensor& x, tnn::BatchNorm2d& bn,
                                 tnn::InstanceNorm2d& in) {
    if (bn) return bn->forward(x);
    if (in) return in->forward(x);
    return x;
  }

  tnn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  tnn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  tnn::InstanceNorm2d in1_{nullptr}, in2_{nullptr};
};
TORCH_MODULE(ConvBlock);

// FC -> Dropout -> ReLU -> FC (the paper's order), output [B].
class LocationHeadImpl : public tnn::Module {
 public:
  LocationHeadImpl(std::int64_t in, std::int64_t hidden, double dropout) {
    fc1_ = register_module("fc1", tnn::Linear(in, hidden));
    dropout_ = register_module("dropout", tnn::Dropout(dropout));
    fc2_ = register_module("fc2", tnn::Linear(hidden, 1));
  }
  torch::Tensor forward(const torch::Tensor& pooled) {
    auto x = dropout_->forward(fc1_->forward(pooled));
    return fc2_->forward(torch::relu(x)).squeeze(1);
  }

 private:
  tnn::Linear fc1_{nullptr}, fc2_{nullptr};
  tnn::Dropout dropout_{nullptr};
};
TORCH_MODULE(LocationHead);

}  // namespace

struct PlaneNetImpl::Layers {
  std::vector<ConvBlock> encoder;        // depth blocks
  std::vector<tnn::ConvTranspose2d> up;  // depth-1, deepest first
  std::vector<ConvBlock> decoder;        // depth-1, deepest first
  tnn::Conv2d heatmap{nullptr};
  LocationHead location{nullptr};
  tnn::Conv2d segmentation{nullptr};
  tnn::Linear classification{nullptr};
  tnn::Conv2d restoration{nullptr};
  bool dense = false;  // a head needs the decoder
};

PlaneNetImpl::PlaneNetImpl(const NetworkConfig& config)
    : config_(config), layers_(std::make_shared<Layers>()) {
  const std::string error = structuralError(config_);
  if (!error.empty()) invalid(error);
  auto& L = *layers_;
  const auto width = [&](int level) {
    return static_cast<std::int64_t>(config_.base_width) << level;
  };
  const int depth = config_.depth;

  auto encoder = register_module("encoder", std::make_shared<tnn::Module>());
  for (int i = 0; i < depth; ++i) {
    const std::int64_t in = i == 0 ? config_.in_channels : width(i - 1);
    L.encoder.push_back(encoder->register_module("block" + std::to_string(i),
                                                 ConvBlock(in, width(i), config_.encoder_norm)));
  }

  L.dense = config_.heatmap_channels > 0 || config_.segmentation_classes > 0 ||
            config_.restoration_channels > 0;
  if (L.dense && depth > 1) {
    auto decoder = register_module("decoder", std::make_shared<tnn::Module>());
    for (int i = 0; i < depth - 1; ++i) {
      const int level = depth - 1 - i;  // the input level of this step, deepest first
      const std::int64_t hi = width(level), lo = width(level - 1);
      L.up.push_back(decoder->register_module(
          "up" + std::to_string(i),
          tnn::ConvTranspose2d(tnn::ConvTranspose2dOptions(hi, lo, 2).stride(2))));
      L.decoder.push_back(decoder->register_module("block" + std::to_string(i),
                                                   ConvBlock(2 * lo, lo, config_.decoder_norm)));
    }
  }

  auto heads = register_module("heads", std::make_shared<tnn::Module>());
  const std::int64_t top = width(0), bottom = width(depth - 1);
  if (config_.heatmap_channels > 0) {
    L.heatmap = heads->register_module(
        "heatmap", tnn::Conv2d(tnn::Conv2dOptions(top, config_.heatmap_channels, 1)));
  }
  if (config_.location) {
    L.location = heads->register_module(
        "location", LocationHead(bottom, config_.location_hidden, config_.location_dropout));
  }
  if (config_.segmentation_classes > 0) {
    L.segmentation = heads->register_module(
        "segmentation", tnn::Conv2d(tnn::Conv2dOptions(top, config_.segmentation_classes, 1)));
  }
  if (config_.classification_classes > 0) {
    L.classification = heads->register_module("classification",
                                              tnn::Linear(bottom, config_.classification_classes));
  }
  if (config_.restoration_channels > 0) {
    L.restoration = heads->register_module(
        "restoration", tnn::Conv2d(tnn::Conv2dOptions(top, config_.restoration_channels, 1)));
  }
  initialise();
}

std::vector<torch::Tensor> PlaneNetImpl::encode(const torch::Tensor& x) {
  auto& L = *layers_;
  TORCH_CHECK(x.dim() == 4 && x.size(1) == config_.in_channels,
              "[invalid_input] PlaneNet expects [B, ", config_.in_channels, ", H, W], got ",
              x.sizes());
  const std::int64_t factor = std::int64_t{1} << (config_.depth - 1);
  TORCH_CHECK(x.size(2) % factor == 0 && x.size(3) % factor == 0, "[invalid_input] input ",
              x.size(2), "x", x.size(3), " is not divisible by ", factor);

  std::vector<torch::Tensor> skips;
  skips.reserve(L.encoder.size());
  torch::Tensor h = x;
  for (std::size_t i = 0; i < L.encoder.size(); ++i) {
    if (i > 0) h = torch::max_pool2d(h, 2);
    h = L.encoder[i]->forward(h);
    skips.push_back(h);
  }
  return skips;
}

Outputs PlaneNetImpl::forward(const torch::Tensor& x) {
  auto& L = *layers_;
  const std::vector<torch::Tensor> skips = encode(x);
  const torch::Tensor bottleneck = skips.back();
  torch::Tensor h = bottleneck;

  Outputs out;
  if (L.location) out.location = L.location->forward(bottleneck.amax({2, 3}));
  if (L.classification) out.classification = L.classification->forward(bottleneck.mean({2, 3}));
  if (L.dense) {
    for (std::size_t i = 0; i < L.up.size(); ++i) {
      const auto& skip = skips[skips.size() - 2 - i];
      h = L.up[i]->forward(h);
      // Upsampled first, then the skip (UNet-family's unetUp), so official weights map 1:1.
      h = L.decoder[i]->forward(torch::cat({h, skip}, 1));
    }
    if (L.heatmap) out.heatmaps = L.heatmap->forward(h);
    if (L.segmentation) out.segmentation = L.segmentation->forward(h);
    if (L.restoration) out.restoration = L.restoration->forward(h);
  }
  return out;
}

void PlaneNetImpl::initialise() {
  torch::NoGradGuard no_grad;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* conv = module->as<tnn::Conv2dImpl>()) {
      // a = 0, fan_in: std = sqrt(2 / fan_in). Biases keep PyTorch's default.
      tnn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanIn, torch::kReLU);
    } else if (auto* bn = module->as<tnn::BatchNorm2dImpl>()) {
      tnn::init::normal_(bn->weight, 1.0, 0.02);
      tnn::init::zeros_(bn->bias);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Transfer

namespace {

std::map<std::string, torch::Tensor> namedTensors(PlaneNet& net) {
  std::map<std::string, torch::Tensor> tensors;
  for (const auto& item : net->named_parameters(/*recurse=*/true)) {
    tensors.emplace(item.key(), item.value());
  }
  for (const auto& item : net->named_buffers(/*recurse=*/true)) {
    tensors.emplace(item.key(), item.value());
  }
  return tensors;
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    out += out.empty() ? "" : ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::string TransferReport::text() const {
  std::ostringstream out;
  out << "transferred: " << transferred.size() << " tensors, " << transferred_values << " values\n";
  out << "skipped (not in scope): " << skipped_not_in_scope.size() << " tensors\n";
  out << "skipped (shape mismatch): " << skipped_shape.size();
  if (!skipped_shape.empty()) out << " (" << joinNames(skipped_shape) << ")";
  out << "\nmissing in source: " << missing_in_source.size();
  if (!missing_in_source.empty()) out << " (" << joinNames(missing_in_source) << ")";
  out << "\n";
  return out.str();
}

nlohmann::json TransferReport::toJson() const {
  return nlohmann::json{{"transferred", transferred},
                        {"skipped_not_in_scope", skipped_not_in_scope},
                        {"skipped_shape", skipped_shape},
                        {"missing_in_source", missing_in_source},
                        {"transferred_values", transferred_values}};
}

TransferReport transferWeights(PlaneNet& source, PlaneNet& target, TransferScope scope) {
  const auto from = namedTensors(source);
  const auto to = namedTensors(target);
  TransferReport report;
  torch::NoGradGuard no_grad;
  for (const auto& [name, tensor] : to) {  // sorted by name
    const bool in_scope = startsWith(name, "encoder.") ||
                          (scope == TransferScope::kEncoderDecoder && startsWith(name, "decoder."));
    if (!in_scope) {
      report.skipped_not_in_scope.push_back(name);
      continue;
    }
    const auto it = from.find(name);
    if (it == from.end()) {
      report.missing_in_source.push_back(name);
    } else if (it->second.sizes() != tensor.sizes()) {
      report.skipped_shape.push_back(name);
    } else {
      auto destination = tensor;  // shares storage with the target's parameter or buffer
      destination.copy_(it->second);
      report.transferred.push_back(name);
      report.transferred_values += tensor.numel();
    }
  }
  return report;
}

std::int64_t parameterCount(PlaneNet& net) {
  std::int64_t count = 0;
  for (const auto& p : net->parameters()) count += p.numel();
  return count;
}

}  // namespace planelab::nn
