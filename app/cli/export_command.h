// planelab-cli export: a training run's network as a TorchScript file or an ONNX graph, with its
// model card (core/export, docs/export.md).
#pragma once

#include <CLI/CLI.hpp>

namespace planelab::cli {

void addExportCommand(CLI::App& app, int* exit_code);

}  // namespace planelab::cli
