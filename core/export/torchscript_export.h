// A trained PlaneNet as TorchScript: a torch::jit::Module built here — the same parameters and
// buffers under the same names (encoder.block0.conv1.weight, ...), and a forward written in
// TorchScript source for this network's depth, norms and heads — saved as a TorchScript archive
// that loads with torch.jit.load in Python and torch::jit::load in C++ (a C++ torch::save archive
// does not load in Python). The module is in eval mode: BatchNorm uses its running statistics and
// dropout is off, as evaluation and prediction do.
#pragma once

#include <string>
#include <vector>

#include <torch/script.h>

#include "nn/plane_net.h"

namespace planelab::exporting {

// What the exported forward returns for an input [B, in_channels, H, W] (H, W divisible by
// 2^(depth-1)):
//   kHeads:   the network's heads in the order of headNames(); one head: that tensor alone,
//   several:
//             a tuple (heatmaps [B,K,H,W], location [B], segmentation logits [B,C,H,W],
//             classification logits [B,C], restoration [B,1,H,W] — those configured).
//   kEncoder: the encoder's features, a list of depth tensors, shallow to deep ([B, base·2^i,
//             H/2^i, W/2^i]) — a pretrained encoder for fine-tuning elsewhere.
enum class Outputs { kHeads, kEncoder };

// The configured heads in output order: heatmaps, location, segmentation, classification,
// restoration.
std::vector<std::string> headNames(const nn::NetworkConfig& config);

// Builds the module from the network's current parameters and buffers (copied to the CPU).
torch::jit::Module toTorchScript(nn::PlaneNet& net, Outputs outputs);

// The network's own outputs for x, in the export's order: the reference every export must match.
std::vector<torch::Tensor> networkOutputs(nn::PlaneNet& net, const torch::Tensor& x,
                                          Outputs outputs);
// A TorchScript forward's result (one tensor, a tuple or a list) as tensors.
std::vector<torch::Tensor> tensorsOf(const torch::jit::IValue& value);

// Saves it (TorchScript archive, a zip). Throws std::runtime_error "[cannot_write] ..." when the
// file cannot be written.
void saveTorchScript(torch::jit::Module& module, const std::string& file);

}  // namespace planelab::exporting
