#include "app/cli/export_command.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "app/cli/cli_common.h"
#include "app/version.h"
#include "export/model_export.h"
#include "train/trainer.h"

namespace planelab::cli {
namespace {

struct ExportArgs {
  std::string run;
  std::string out;
  std::string format = "torchscript";
  std::string checkpoint = "best";
  bool encoder = false;
  bool overwrite = false;
  int threads = 0;
  bool json = false;
};

int exportVerb(const ExportArgs& a) {
  exporting::ExportRequest request;
  request.run_dir = a.run;
  request.out = a.out;
  request.checkpoint = a.checkpoint;
  request.format = a.format;
  request.outputs = a.encoder ? exporting::Outputs::kEncoder : exporting::Outputs::kHeads;
  request.overwrite = a.overwrite;
  request.software_version = PLANELAB_VERSION;
  try {
    train::applyThreads(a.threads);
    const exporting::ExportResult result = exporting::exportRun(request);
    if (a.json) {
      const nlohmann::json summary = {{"model", result.model_file},
                                      {"card", result.card_file},
                                      {"format", a.format},
                                      {"outputs", a.encoder ? "encoder" : "heads"},
                                      {"max_abs_diff", result.max_abs_diff},
                                      {"card_content", result.card}};
      std::printf("%s\n", summary.dump(2).c_str());
    } else {
      const bool onnx = a.format == "onnx";
      std::printf("wrote %s (%s, %s, %lld parameters) and %s\n", result.model_file.c_str(),
                  onnx ? "ONNX opset 17" : "TorchScript",
                  a.encoder ? "encoder features" : "the run's heads",
                  static_cast<long long>(result.card.value("parameters", 0LL)),
                  result.card_file.c_str());
      if (!onnx) {
        std::printf("reloaded and checked against the network: max |difference| %.3g\n",
                    result.max_abs_diff);
      }
    }
    return kExitOk;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return errorKey(e.what(), "") == "output_exists" ? kExitRefused : kExitFailed;
  }
}

}  // namespace

void addExportCommand(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "export",
      "Write a run's network as TorchScript or ONNX with its model card (JSON) next to it");
  static ExportArgs args;
  cmd->add_option("run", args.run, "Run folder")->required();
  cmd->add_option("--out", args.out,
                  "Model file to write, e.g. model.pt or model.onnx (card: model.pt.card.json)")
      ->required();
  cmd->add_option("--format", args.format,
                  "torchscript (default) | onnx (opset 17; run it with ONNX Runtime)")
      ->check(CLI::IsMember({"torchscript", "onnx"}));
  cmd->add_option("--checkpoint", args.checkpoint, "best | last")
      ->check(CLI::IsMember({"best", "last"}));
  cmd->add_flag("--encoder", args.encoder,
                "Export the encoder's features instead of the heads (a pretrained encoder to "
                "fine-tune elsewhere)");
  cmd->add_flag("--overwrite", args.overwrite, "Replace an existing model file and card");
  cmd->add_option("--threads", args.threads, "CPU threads (0 = all cores)");
  cmd->add_flag("--json", args.json, "Print the result (and the card) as JSON");
  cmd->callback([exit_code] { *exit_code = exportVerb(args); });
}

}  // namespace planelab::cli
