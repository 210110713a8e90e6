// A trained PlaneNet as an ONNX graph (opset 17, IR version 8), written with the ONNX project's
// own protobuf definitions (Debian libonnx-dev): the same operators the network runs (Conv,
// BatchNormalization / InstanceNormalization, Relu, MaxPool, ConvTranspose, Concat, ReduceMax /
// ReduceMean, Gemm, Squeeze), its parameters and buffers as initializers under their own names,
// in eval form. Input "image" [batch, in_channels, size, size] with a symbolic batch; outputs
// named as headNames() (or features0.. for the encoder), shaped as the TorchScript export's.
#pragma once

#include <cstdint>
#include <string>

#include "export/torchscript_export.h"
#include "nn/plane_net.h"

namespace planelab::exporting {

constexpr std::int64_t kOnnxOpset = 17;

// Throws std::runtime_error "[cannot_write] ..." when the file cannot be written.
void saveOnnx(nn::PlaneNet& net, Outputs outputs, std::int64_t size, const std::string& file,
              const std::string& producer_version);

}  // namespace planelab::exporting
