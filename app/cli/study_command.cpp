#include "app/cli/study_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/cli/cli_common.h"
#include "app/cli/experiment_command.h"
#include "study/report.h"
#include "study/study.h"
#include "train/config_json.h"
#ifdef PLANELAB_HAVE_PLOT
#include "ui/plot/study_plot.h"
#endif

namespace planelab::cli {
namespace {

struct StudyArgs {
  std::string config_file;
  std::string out;
  bool check = false;
  bool dry_run = false;
  bool report_only = false;
  bool json = false;
};

study::StudyConfig loadWithOut(const StudyArgs& a) {
  auto json = train::readJsonConfigFile(a.config_file);
  if (!a.out.empty() && json.is_object()) json["out"] = a.out;
  return study::studyFromJson(json);
}

std::function<std::string(const nlohmann::json&, const std::string&)> plotWriter() {
#ifdef PLANELAB_HAVE_PLOT
  return [](const nlohmann::json& plot, const std::string& file) {
    return ui::writeStudyPlotPng(plot, file);
  };
#else
  return nullptr;
#endif
}

void printCalibration(const nlohmann::json& report) {
  for (const auto& c : report["calibration"]) {
    std::printf("  %-20s %.3f  %s  (%s; %s)\n", c["check"].get<std::string>().c_str(),
                c["measured"].get<double>(),
                c["pass"].is_boolean() ? (c["pass"].get<bool>() ? "pass" : "FAIL") : "-",
                c["target"].get<std::string>().c_str(), c["note"].get<std::string>().c_str());
  }
}

int runStudyCli(const StudyArgs& a) {
  nlohmann::json summary = {{"config", a.config_file}};
  int exit_code = kExitOk;
  try {
    const study::StudyConfig config = loadWithOut(a);
    summary["out"] = config.out;
    if (a.check || (!a.dry_run && !a.report_only)) {
      nlohmann::json problems_json = nlohmann::json::array();
      for (const auto& entry : config.experiments) {
        for (const auto& p : experimentProblems(entry.config)) {
          problems_json.push_back(
              {{"experiment", entry.id}, {"key", p.key}, {"page", p.page}, {"message", p.message}});
          if (!a.json) spdlog::error("{}: [{}] {}", entry.id, p.key, p.message);
        }
      }
      summary["problems"] = problems_json;
      if (a.check && !a.json)
        std::printf("%zu experiment(s), problems: %zu\n", config.experiments.size(),
                    problems_json.size());
      if (!problems_json.empty()) {
        if (a.check) {
          exit_code = kExitFailed;
        } else {
          throw std::invalid_argument("[study_has_problems] " +
                                      std::to_string(problems_json.size()) +
                                      " problem(s) with the data; nothing was run (see --check)");
        }
      }
    }
    if (a.dry_run) {
      nlohmann::json steps = nlohmann::json::array();
      catalog::Table table;
      table.columns = {"#", "experiment", "step", "arm", "budget", "seed", "state"};
      std::int64_t number = 0;
      for (const auto& [id, s] : study::planStudy(config)) {
        const bool run = s.kind != experiment::Step::Kind::kPrepare;
        const bool finetune = s.kind == experiment::Step::Kind::kFinetune;
        steps.push_back({{"experiment", id},
                         {"kind", experiment::stepKindName(s.kind)},
                         {"arm", s.arm},
                         {"budget", s.budget},
                         {"seed", s.seed},
                         {"dir", s.dir},
                         {"state", s.state}});
        table.rows.push_back(
            {++number, id, std::string(experiment::stepKindName(s.kind)),
             run ? catalog::Value(s.arm) : catalog::Value(),
             finetune ? catalog::Value(static_cast<std::int64_t>(s.budget)) : catalog::Value(),
             run ? catalog::Value(static_cast<std::int64_t>(s.seed)) : catalog::Value(), s.state});
      }
      summary["steps"] = steps;
      if (!a.json) printTable(table, 80);
    }
    if (a.report_only) {
      const auto report = study::buildReport(config);
      summary["report"] = study::writeReport(config, report, plotWriter());
      summary["calibration"] = report["calibration"];
      if (!a.json) {
        std::printf("report: %s\n", summary["report"].get<std::string>().c_str());
        printCalibration(report);
      }
    } else if (!a.check && !a.dry_run) {
      ExperimentConsole console;
      study::StudyRunOptions options;
      options.run = console.options();
      options.write_plot = plotWriter();
      options.experiment_started = [&](const study::StudyExperiment& e, std::size_t index,
                                       std::size_t count) {
        console.prefix = e.id + " ";
        spdlog::info("experiment {}/{}: {}{} -> {}", index + 1, count, e.id,
                     e.config.name.empty() ? "" : " (" + e.config.name + ")", e.config.out);
      };
      const auto result = study::runStudy(config, options);
      summary["status"] = result.status;
      summary["report"] = result.report;
      if (!result.message.empty()) summary["message"] = result.message;
      if (result.status == "cancelled") {
        spdlog::warn(
            "[cancelled] stopped by the user; finished runs are kept and reported, run the same "
            "command again to continue");
        exit_code = kExitCancelled;
      } else if (result.status == "failed") {
        spdlog::error("{}", result.message);
        summary["error_key"] = errorKey(result.message, "study_failed");
        exit_code = kExitFailed;
      }
      if (!a.json && !result.report.empty()) {
        std::printf("report: %s\n", result.report.c_str());
        printCalibration(result.report_data);
      }
    }
  } catch (const ReportedError& r) {
    summary["status"] = "error";
    summary["error_key"] = "cannot_open_catalog";
    exit_code = r.exit_code;
  } catch (const std::exception& e) {
    const std::string key = errorKey(e.what(), "study_failed");
    spdlog::error("{}", key == "study_failed" ? "[study_failed] " + std::string(e.what())
                                              : std::string(e.what()));
    summary["status"] = "error";
    summary["error_key"] = key;
    exit_code = key == "study_exists" || key == "experiment_exists" ? kExitRefused : kExitFailed;
  }
  if (a.json) std::cout << summary.dump(2) << '\n';
  return exit_code;
}

}  // namespace

void addStudyCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<StudyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "study",
      "Run a study from one JSON file: its experiments in order (arms x label budgets x seeds), "
      "then a report (Markdown, JSON, CSV, plots) with paired bootstrap CIs vs scratch and the "
      "phantom calibration checks; run again to resume");
  cmd->add_option("--config", a->config_file, "Study JSON (docs/study.md; studies/quick.json)")
      ->required();
  cmd->add_option("--out", a->out, "Study folder (replaces the file's \"out\")");
  cmd->add_flag("--check", a->check,
                "Count each experiment's data and list the problems; exit 1 when there are any");
  cmd->add_flag("--dry-run", a->dry_run, "List every step in run order with its state");
  cmd->add_flag("--report-only", a->report_only,
                "Rebuild the report from the runs finished so far; run nothing");
  cmd->add_flag("--json", a->json, "Print a machine-readable summary on stdout");
  cmd->callback([a, exit_code] { *exit_code = runStudyCli(*a); });
}

}  // namespace planelab::cli
