#include "export/onnx_export.h"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

namespace planelab::exporting {
namespace {

// Builds the graph node by node; every intermediate value gets a fresh name.
class GraphBuilder {
 public:
  GraphBuilder(onnx::GraphProto& graph, nn::PlaneNet& net) : graph_(graph) {
    for (const auto& item : net->named_parameters(true)) tensors_.emplace(item.key(), item.value());
    for (const auto& item : net->named_buffers(true)) tensors_.emplace(item.key(), item.value());
  }

  // A network tensor as an initializer (once), by its own name.
  std::string weight(const std::string& name) {
    if (added_.insert(name).second) {
      const auto it = tensors_.find(name);
      if (it == tensors_.end()) throw std::logic_error("[export_failed] no tensor " + name);
      const torch::Tensor t = it->second.detach().to(torch::kCPU, torch::kFloat32).contiguous();
      onnx::TensorProto* proto = graph_.add_initializer();
      proto->set_name(name);
      proto->set_data_type(onnx::TensorProto::FLOAT);
      for (const auto d : t.sizes()) proto->add_dims(d);
      proto->set_raw_data(t.data_ptr<float>(), static_cast<std::size_t>(t.numel()) * sizeof(float));
    }
    return name;
  }

  std::string int64s(const std::vector<std::int64_t>& values) {
    const std::string name = "const" + std::to_string(counter_++);
    onnx::TensorProto* proto = graph_.add_initializer();
    proto->set_name(name);
    proto->set_data_type(onnx::TensorProto::INT64);
    proto->add_dims(static_cast<std::int64_t>(values.size()));
    for (const auto v : values) proto->add_int64_data(v);
    return name;
  }

  onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::string& output = {}) {
    onnx::NodeProto* n = graph_.add_node();
    n->set_op_type(op);
    n->set_name(op + "_" + std::to_string(counter_));
    for (const auto& in : inputs) n->add_input(in);
    n->add_output(output.empty() ? op + "_out" + std::to_string(counter_) : output);
    ++counter_;
    return n;
  }
  static void ints(onnx::NodeProto* n, const char* name, const std::vector<std::int64_t>& values) {
    onnx::AttributeProto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (const auto v : values) a->add_ints(v);
  }
  static void integer(onnx::NodeProto* n, const char* name, std::int64_t value) {
    onnx::AttributeProto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  static void real(onnx::NodeProto* n, const char* name, float value) {
    onnx::AttributeProto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(value);
  }
  static const std::string& out(const onnx::NodeProto* n) { return n->output(0); }

  bool has(const std::string& name) const { return tensors_.count(name) > 0; }
  const torch::Tensor& tensor(const std::string& name) const { return tensors_.at(name); }

  // Conv k×k, stride 1, padding k/2 (plane_net.cpp's 3×3 and 1×1).
  std::string conv(const std::string& x, const std::string& prefix,
                   const std::string& output = {}) {
    const std::int64_t k = tensor(prefix + "weight").size(2);
    auto* n = node("Conv", {x, weight(prefix + "weight"), weight(prefix + "bias")}, output);
    ints(n, "kernel_shape", {k, k});
    ints(n, "pads", {k / 2, k / 2, k / 2, k / 2});
    ints(n, "strides", {1, 1});
    return out(n);
  }

  // eps 1e-5 as torch::nn's norms (plane_net.cpp uses their defaults).
  std::string norm(const std::string& x, const std::string& prefix, nn::Norm kind) {
    if (kind == nn::Norm::kBatch) {
      auto* n = node("BatchNormalization",
                     {x, weight(prefix + "weight"), weight(prefix + "bias"),
                      weight(prefix + "running_mean"), weight(prefix + "running_var")});
      real(n, "epsilon", 1e-5f);
      return out(n);
    }
    auto* n =
        node("InstanceNormalization", {x, weight(prefix + "weight"), weight(prefix + "bias")});
    real(n, "epsilon", 1e-5f);
    return out(n);
  }

  std::string block(std::string x, const std::string& prefix, nn::Norm kind) {
    for (const char* i : {"1", "2"}) {
      x = conv(x, prefix + "conv" + i + ".");
      if (kind != nn::Norm::kNone) x = norm(x, prefix + "norm" + i + ".", kind);
      x = out(node("Relu", {x}));
    }
    return x;
  }

  std::string linear(const std::string& x, const std::string& prefix,
                     const std::string& output = {}) {
    auto* n = node("Gemm", {x, weight(prefix + "weight"), weight(prefix + "bias")}, output);
    integer(n, "transB", 1);  // y = x W^T + b, W as torch stores it [out, in]
    return out(n);
  }

 private:
  onnx::GraphProto& graph_;
  std::map<std::string, torch::Tensor> tensors_;
  std::set<std::string> added_;
  int counter_ = 0;
};

void addValueInfo(onnx::ValueInfoProto* info, const std::string& name,
                  const std::vector<std::int64_t>& dims) {
  info->set_name(name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto* shape = tensor->mutable_shape();
  for (const auto d : dims) {
    auto* dim = shape->add_dim();
    if (d < 0) {
      dim->set_dim_param("batch");
    } else {
      dim->set_dim_value(d);
    }
  }
}

}  // namespace

void saveOnnx(nn::PlaneNet& net, Outputs outputs, std::int64_t size, const std::string& file,
              const std::string& producer_version) {
  const nn::NetworkConfig& c = net->config();
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("planelab");
  model.set_producer_version(producer_version);
  model.set_doc_string("PlaneNet (Zhang et al. 2024 U-Net with PlaneLab's heads), eval mode");
  onnx::OperatorSetIdProto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name("planenet");
  GraphBuilder g(graph, net);
  addValueInfo(graph.add_input(), "image", {-1, c.in_channels, size, size});

  std::vector<std::string> skips;
  std::string h = "image";
  for (int i = 0; i < c.depth; ++i) {
    if (i > 0) {
      auto* pool = g.node("MaxPool", {h});
      GraphBuilder::ints(pool, "kernel_shape", {2, 2});
      GraphBuilder::ints(pool, "strides", {2, 2});
      h = GraphBuilder::out(pool);
    }
    h = g.block(h, "encoder.block" + std::to_string(i) + ".", c.encoder_norm);
    skips.push_back(h);
  }

  if (outputs == Outputs::kEncoder) {
    for (int i = 0; i < c.depth; ++i) {
      const std::string name = "features" + std::to_string(i);
      g.node("Identity", {skips[static_cast<std::size_t>(i)]}, name);
      addValueInfo(graph.add_output(), name,
                   {-1, std::int64_t{c.base_width} << i, size >> i, size >> i});
    }
  } else {
    const std::string bottleneck = skips.back();
    if (c.location) {
      auto* pooled = g.node("ReduceMax", {bottleneck});
      GraphBuilder::ints(pooled, "axes", {2, 3});
      GraphBuilder::integer(pooled, "keepdims", 0);
      std::string x = g.linear(GraphBuilder::out(pooled), "heads.location.fc1.");
      x = GraphBuilder::out(g.node("Relu", {x}));  // dropout: identity in eval
      x = g.linear(x, "heads.location.fc2.");
      g.node("Squeeze", {x, g.int64s({1})}, "location");
      addValueInfo(graph.add_output(), "location", {-1});
    }
    if (c.classification_classes > 0) {
      auto* pooled = g.node("ReduceMean", {bottleneck});
      GraphBuilder::ints(pooled, "axes", {2, 3});
      GraphBuilder::integer(pooled, "keepdims", 0);
      g.linear(GraphBuilder::out(pooled), "heads.classification.", "classification");
      addValueInfo(graph.add_output(), "classification", {-1, c.classification_classes});
    }
    const bool dense =
        c.heatmap_channels > 0 || c.segmentation_classes > 0 || c.restoration_channels > 0;
    if (dense) {
      h = bottleneck;
      for (int i = 0; i < c.depth - 1; ++i) {
        const std::string up = "decoder.up" + std::to_string(i) + ".";
        auto* t = g.node("ConvTranspose", {h, g.weight(up + "weight"), g.weight(up + "bias")});
        GraphBuilder::ints(t, "kernel_shape", {2, 2});
        GraphBuilder::ints(t, "strides", {2, 2});
        // Upsampled first, then the skip (plane_net.cpp's order).
        auto* cat = g.node(
            "Concat", {GraphBuilder::out(t), skips[static_cast<std::size_t>(c.depth - 2 - i)]});
        GraphBuilder::integer(cat, "axis", 1);
        h = g.block(GraphBuilder::out(cat), "decoder.block" + std::to_string(i) + ".",
                    c.decoder_norm);
      }
      if (c.heatmap_channels > 0) {
        g.conv(h, "heads.heatmap.", "heatmaps");
        addValueInfo(graph.add_output(), "heatmaps", {-1, c.heatmap_channels, size, size});
      }
      if (c.segmentation_classes > 0) {
        g.conv(h, "heads.segmentation.", "segmentation");
        addValueInfo(graph.add_output(), "segmentation", {-1, c.segmentation_classes, size, size});
      }
      if (c.restoration_channels > 0) {
        g.conv(h, "heads.restoration.", "restoration");
        addValueInfo(graph.add_output(), "restoration", {-1, c.restoration_channels, size, size});
      }
    }
    // Outputs in headNames() order (the graph lists them in the order added above).
    std::vector<onnx::ValueInfoProto> ordered;
    for (const auto& name : headNames(c)) {
      for (const auto& o : graph.output())
        if (o.name() == name) ordered.push_back(o);
    }
    graph.clear_output();
    for (const auto& o : ordered) *graph.add_output() = o;
  }

  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out || !model.SerializeToOstream(&out) || !out.flush()) {
    throw std::runtime_error("[cannot_write] " + file);
  }
}

}  // namespace planelab::exporting
