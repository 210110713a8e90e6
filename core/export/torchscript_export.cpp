#include "export/torchscript_export.h"

#include <atomic>
#include <map>
#include <sstream>
#include <stdexcept>

namespace planelab::exporting {
namespace {

// Every TorchScript class needs its own name: a per-process counter keeps modules built twice
// apart.
std::string className(const std::string& what) {
  static std::atomic<int> counter{0};
  return "__torch__.planelab." + what + "_" + std::to_string(counter++);
}

// The network's tensors by their names in the C++ module, on the CPU.
class Tensors {
 public:
  explicit Tensors(nn::PlaneNet& net) {
    for (const auto& item : net->named_parameters(true))
      tensors_.emplace(item.key(), item.value().detach().to(torch::kCPU).clone());
    for (const auto& item : net->named_buffers(true))
      tensors_.emplace(item.key(), item.value().detach().to(torch::kCPU).clone());
  }
  bool has(const std::string& name) const { return tensors_.count(name) > 0; }
  const torch::Tensor& at(const std::string& name) const {
    const auto it = tensors_.find(name);
    if (it == tensors_.end()) throw std::logic_error("[export_failed] no tensor " + name);
    return it->second;
  }

 private:
  std::map<std::string, torch::Tensor> tensors_;
};

torch::jit::Module leaf(const Tensors& t, const std::string& prefix, const std::string& kind,
                        const std::vector<std::string>& parameters,
                        const std::vector<std::string>& buffers, const std::string& forward) {
  torch::jit::Module m(className(kind));
  for (const auto& name : parameters) m.register_parameter(name, t.at(prefix + name), false);
  for (const auto& name : buffers) m.register_buffer(name, t.at(prefix + name));
  m.define(forward);
  return m;
}

// Conv2d k×k, stride 1, padding k/2 (the network's 3×3 and 1×1 convolutions).
torch::jit::Module conv(const Tensors& t, const std::string& prefix) {
  const auto k = t.at(prefix + "weight").size(2);
  const std::string pad = std::to_string(k / 2);
  return leaf(t, prefix, "Conv2d", {"weight", "bias"}, {},
              "def forward(self, x):\n"
              "    return torch.conv2d(x, self.weight, self.bias, [1, 1], [" +
                  pad + ", " + pad + "], [1, 1], 1)\n");
}

torch::jit::Module transposedConv(const Tensors& t, const std::string& prefix) {
  return leaf(t, prefix, "ConvTranspose2d", {"weight", "bias"}, {},
              "def forward(self, x):\n"
              "    return torch.conv_transpose2d(x, self.weight, self.bias, [2, 2], [0, 0], "
              "[0, 0], 1, [1, 1])\n");
}

torch::jit::Module linear(const Tensors& t, const std::string& prefix) {
  return leaf(t, prefix, "Linear", {"weight", "bias"}, {},
              "def forward(self, x):\n"
              "    return torch.linear(x, self.weight, self.bias)\n");
}

// eps 1e-5 as torch::nn's BatchNorm2d and InstanceNorm2d defaults (plane_net.cpp uses them).
torch::jit::Module norm(const Tensors& t, const std::string& prefix, nn::Norm kind) {
  if (kind == nn::Norm::kBatch) {
    return leaf(t, prefix, "BatchNorm2d", {"weight", "bias"},
                {"running_mean", "running_var", "num_batches_tracked"},
                "def forward(self, x):\n"
                "    return torch.batch_norm(x, self.weight, self.bias, self.running_mean, "
                "self.running_var, False, 0.1, 1e-05, False)\n");
  }
  return leaf(t, prefix, "InstanceNorm2d", {"weight", "bias"}, {},
              "def forward(self, x):\n"
              "    return torch.instance_norm(x, self.weight, self.bias, None, None, True, 0.1, "
              "1e-05, False)\n");
}

// Conv → [norm] → ReLU, twice (plane_net.cpp's ConvBlock).
torch::jit::Module block(const Tensors& t, const std::string& prefix, nn::Norm kind) {
  torch::jit::Module m(className("ConvBlock"));
  const bool normed = kind != nn::Norm::kNone;
  std::ostringstream forward;
  forward << "def forward(self, x):\n";
  for (const char* i : {"1", "2"}) {
    m.register_module(std::string("conv") + i, conv(t, prefix + "conv" + i + "."));
    if (normed) {
      m.register_module(std::string("norm") + i, norm(t, prefix + "norm" + i + ".", kind));
      forward << "    x = torch.relu(self.norm" << i << ".forward(self.conv" << i
              << ".forward(x)))\n";
    } else {
      forward << "    x = torch.relu(self.conv" << i << ".forward(x))\n";
    }
  }
  forward << "    return x\n";
  m.define(forward.str());
  return m;
}

// FC → dropout (identity in eval) → ReLU → FC, squeezed to [B].
torch::jit::Module locationHead(const Tensors& t, const std::string& prefix) {
  torch::jit::Module m(className("LocationHead"));
  m.register_module("fc1", linear(t, prefix + "fc1."));
  m.register_module("fc2", linear(t, prefix + "fc2."));
  m.define(
      "def forward(self, x):\n"
      "    return self.fc2.forward(torch.relu(self.fc1.forward(x))).squeeze(1)\n");
  return m;
}

torch::jit::Module container(const std::string& name) {
  return torch::jit::Module(className(name));
}

}  // namespace

std::vector<std::string> headNames(const nn::NetworkConfig& c) {
  std::vector<std::string> names;
  if (c.heatmap_channels > 0) names.emplace_back("heatmaps");
  if (c.location) names.emplace_back("location");
  if (c.segmentation_classes > 0) names.emplace_back("segmentation");
  if (c.classification_classes > 0) names.emplace_back("classification");
  if (c.restoration_channels > 0) names.emplace_back("restoration");
  return names;
}

torch::jit::Module toTorchScript(nn::PlaneNet& net, Outputs outputs) {
  const nn::NetworkConfig& c = net->config();
  const Tensors t(net);
  torch::jit::Module top(className("PlaneNet"));
  const int depth = c.depth;

  torch::jit::Module encoder = container("Encoder");
  for (int i = 0; i < depth; ++i) {
    const std::string name = "block" + std::to_string(i);
    encoder.register_module(name, block(t, "encoder." + name + ".", c.encoder_norm));
  }
  top.register_module("encoder", encoder);

  std::ostringstream f;
  const bool encoder_only = outputs == Outputs::kEncoder;
  f << "def forward(self, x):\n";
  for (int i = 0; i < depth; ++i) {
    f << "    e" << i << " = self.encoder.block" << i << ".forward(";
    if (i == 0) {
      f << "x)\n";
    } else {
      f << "torch.max_pool2d(e" << i - 1 << ", [2, 2], [2, 2], [0, 0], [1, 1], False))\n";
    }
  }
  if (encoder_only) {
    f << "    return [";
    for (int i = 0; i < depth; ++i) f << (i > 0 ? ", " : "") << "e" << i;
    f << "]\n";
    top.define(f.str());
    top.eval();
    return top;
  }

  const std::string bottleneck = "e" + std::to_string(depth - 1);
  torch::jit::Module heads = container("Heads");
  std::vector<std::string> results;
  const bool dense =
      c.heatmap_channels > 0 || c.segmentation_classes > 0 || c.restoration_channels > 0;
  if (c.location) {
    heads.register_module("location", locationHead(t, "heads.location."));
    f << "    location = self.heads.location.forward(torch.amax(" << bottleneck << ", [2, 3]))\n";
  }
  if (c.classification_classes > 0) {
    heads.register_module("classification", linear(t, "heads.classification."));
    f << "    classification = self.heads.classification.forward(torch.mean(" << bottleneck
      << ", [2, 3]))\n";
  }
  if (dense) {
    f << "    h = " << bottleneck << "\n";
    if (depth > 1) {
      torch::jit::Module decoder = container("Decoder");
      for (int i = 0; i < depth - 1; ++i) {
        const std::string up = "up" + std::to_string(i), name = "block" + std::to_string(i);
        decoder.register_module(up, transposedConv(t, "decoder." + up + "."));
        decoder.register_module(name, block(t, "decoder." + name + ".", c.decoder_norm));
        // Upsampled first, then the skip (plane_net.cpp's order).
        f << "    h = self.decoder." << name << ".forward(torch.cat([self.decoder." << up
          << ".forward(h), e" << depth - 2 - i << "], 1))\n";
      }
      top.register_module("decoder", decoder);
    }
    for (const auto& [head, size] : {std::pair<std::string, int>{"heatmap", c.heatmap_channels},
                                     {"segmentation", c.segmentation_classes},
                                     {"restoration", c.restoration_channels}}) {
      if (size <= 0) continue;
      heads.register_module(head, conv(t, "heads." + head + "."));
      f << "    " << (head == "heatmap" ? "heatmaps" : head) << " = self.heads." << head
        << ".forward(h)\n";
    }
  }
  top.register_module("heads", heads);
  const std::vector<std::string> names = headNames(c);
  if (names.size() == 1) {
    f << "    return " << names.front() << "\n";
  } else {
    f << "    return (";
    for (std::size_t i = 0; i < names.size(); ++i) f << (i > 0 ? ", " : "") << names[i];
    f << ")\n";
  }
  top.define(f.str());
  top.eval();
  return top;
}

std::vector<torch::Tensor> networkOutputs(nn::PlaneNet& net, const torch::Tensor& x,
                                          Outputs outputs) {
  torch::NoGradGuard no_grad;
  if (outputs == Outputs::kEncoder) return net->encode(x);
  const nn::Outputs o = net->forward(x);
  std::vector<torch::Tensor> out;
  for (const auto& head : headNames(net->config())) {
    if (head == "heatmaps") out.push_back(o.heatmaps);
    if (head == "location") out.push_back(o.location);
    if (head == "segmentation") out.push_back(o.segmentation);
    if (head == "classification") out.push_back(o.classification);
    if (head == "restoration") out.push_back(o.restoration);
  }
  return out;
}

std::vector<torch::Tensor> tensorsOf(const torch::jit::IValue& value) {
  if (value.isTensor()) return {value.toTensor()};
  std::vector<torch::Tensor> out;
  if (value.isTuple()) {
    for (const auto& v : value.toTuple()->elements()) out.push_back(v.toTensor());
    return out;
  }
  return value.toTensorVector();
}

void saveTorchScript(torch::jit::Module& module, const std::string& file) {
  try {
    module.save(file);
  } catch (const c10::Error& e) {
    throw std::runtime_error("[cannot_write] " + file + ": " + e.what_without_backtrace());
  }
}

}  // namespace planelab::exporting
