#include "app/cli/experiment_command.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/cli/cli_common.h"
#include "app/cli/progress_bar.h"
#include "app/version.h"
#include "experiment/experiment.h"
#include "sources/dicom_sources.h"

namespace planelab::cli {
namespace {

struct ExperimentArgs {
  std::string config_file;
  bool check = false;
  bool dry_run = false;
  bool json = false;
};

// What one source holds (the experiment's, or its pretraining pool's).
experiment::DataCounts countData(const std::optional<experiment::CatalogSource>& catalog,
                                 const std::optional<prepare::PhantomCohort>& phantom) {
  if (phantom) return experiment::phantomCounts(*phantom);
  int exit_code = kExitOk;
  const auto cat = openOrReport(catalog->catalog, &exit_code);
  if (!cat) throw ReportedError{exit_code};
  catalog::Status status;
  auto counts = experiment::catalogCounts(*cat, *catalog, status);
  if (!status.ok()) throw std::runtime_error("[" + status.error_key + "] " + status.message);
  return counts;
}

std::string byView(const std::map<std::string, int>& counts) {
  std::string text;
  for (const auto& [name, n] : counts)
    text += (text.empty() ? "" : ", ") + name + " " + std::to_string(n);
  return text.empty() ? "none" : text;
}

nlohmann::json countsJson(const experiment::DataCounts& d) {
  return {{"subjects", d.subjects},
          {"studies", d.studies},
          {"planes_by_view", d.planes_by_view},
          {"stacked_planes_by_view", d.stacked_planes_by_view},
          {"labelled_images", d.labelled_images},
          {"labelled_images_by_view", d.labelled_images_by_view},
          {"labelled_subjects", d.labelled_subjects},
          {"label_names", d.label_names},
          {"subjects_by_class", d.subjects_by_class}};
}

void printCounts(const char* title, const experiment::DataCounts& d) {
  std::string labels;
  for (const auto& name : d.label_names) labels += (labels.empty() ? "" : ", ") + name;
  std::printf("%s: %d subjects, %d studies\n", title, d.subjects, d.studies);
  std::printf("  kept planes by view: %s\n", byView(d.planes_by_view).c_str());
  std::printf("  in stacks of >= 2 slices: %s\n", byView(d.stacked_planes_by_view).c_str());
  std::printf("  labelled images: %d (%s) of %d subjects; labels: %s\n", d.labelled_images,
              byView(d.labelled_images_by_view).c_str(), d.labelled_subjects,
              labels.empty() ? "none" : labels.c_str());
  std::printf("  subjects by class: %s\n", byView(d.subjects_by_class).c_str());
}

std::string describe(const experiment::Step& step) {
  switch (step.kind) {
    case experiment::Step::Kind::kPrepare:
      return step.pool ? "prepare the pretraining pool" : "prepare the dataset";
    case experiment::Step::Kind::kPretrain:
      return "pretrain " + step.arm + ", seed " + std::to_string(step.seed);
    case experiment::Step::Kind::kFinetune:
      break;
  }
  return "fine-tune " + step.arm + ", " +
         (step.budget == 0 ? std::string("all labelled subjects")
                           : std::to_string(step.budget) + " labelled subject(s)") +
         ", seed " + std::to_string(step.seed);
}

nlohmann::json stepsJson(const std::vector<experiment::Step>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : steps) {
    nlohmann::json step = {
        {"kind", experiment::stepKindName(s.kind)}, {"dir", s.dir}, {"state", s.state}};
    if (s.kind == experiment::Step::Kind::kPrepare) step["pool"] = s.pool;
    if (s.kind != experiment::Step::Kind::kPrepare) {
      step["arm"] = s.arm;
      step["seed"] = s.seed;
    }
    if (s.kind == experiment::Step::Kind::kFinetune) step["budget"] = s.budget;
    out.push_back(step);
  }
  return out;
}

void printSteps(const std::vector<experiment::Step>& steps) {
  catalog::Table table;
  table.columns = {"#", "step", "arm", "budget", "seed", "state", "folder"};
  std::int64_t number = 0;
  for (const auto& s : steps) {
    const bool run = s.kind != experiment::Step::Kind::kPrepare;
    const bool finetune = s.kind == experiment::Step::Kind::kFinetune;
    table.rows.push_back(
        {++number, std::string(experiment::stepKindName(s.kind)),
         run ? catalog::Value(s.arm) : catalog::Value(),
         finetune ? catalog::Value(static_cast<std::int64_t>(s.budget)) : catalog::Value(),
         run ? catalog::Value(static_cast<std::int64_t>(s.seed)) : catalog::Value(), s.state,
         s.dir});
  }
  printTable(table, 80);
}

// Training progress of one step: a bar over the run's iterations (loss, ETA of the run), its
// messages through spdlog; epoch lines at debug level only, since an experiment runs many runs of
// many epochs.
class StepObserver : public train::Observer {
 public:
  StepObserver() : bar_("train") {}
  void start(std::string label) { label_ = std::move(label); }
  void iteration(const train::IterationEvent& e) override {
    char text[160];
    std::snprintf(text, sizeof text, "%s: epoch %d/%d loss %.4g", label_.c_str(), e.epoch + 1,
                  e.epochs, e.losses.count("total") ? e.losses.at("total") : 0.0);
    bar_.setLabel(text);
    bar_.update(static_cast<int>(e.batches * e.epoch + e.batch),
                static_cast<int>(e.batches * e.epochs), e.elapsed_s);
  }
  void epoch(const train::EpochEvent& e) override {
    bar_.finish();
    spdlog::debug("{}: epoch {}/{} done{}", label_, e.epoch + 1, e.epochs,
                  e.best ? " (best so far)" : "");
  }
  void message(const std::string& level, const std::string& text) override {
    bar_.finish();
    if (level == "warning") {
      spdlog::warn("{}", text);
    } else if (level == "error") {
      spdlog::error("{}", text);
    } else {
      spdlog::info("{}", text);
    }
  }
  void finish() { bar_.finish(); }

 private:
  std::string label_;
  ProgressBar bar_;
};

std::string resultText(const train::RunResult& r) {
  char text[200];
  std::snprintf(text, sizeof text, "%d epochs, best %s %.4g at epoch %d", r.epochs_done,
                r.selection_metric.c_str(), r.best_metric.value_or(0.0), r.best_epoch + 1);
  std::string out = text;
  const auto test = r.evaluation.value("test", nlohmann::json::object());
  for (const char* key : {"mean_dice_3d", "balanced_accuracy", "location_mse", "heatmap_mse"}) {
    const auto it = test.find(key);
    if (it != test.end() && it->is_number()) {
      std::snprintf(text, sizeof text, "; test %s %.4f", key, it->get<double>());
      out += text;
    }
  }
  return out;
}

}  // namespace

// Everything runSteps needs while an experiment runs in the terminal.
struct ExperimentConsole::Impl {
  InterruptGuard interrupt;
  train::Control control;
  std::atomic<bool> done{false};
  std::thread watcher;
  StepObserver observer;
  ProgressBar prepare_bar{"prepare"};
  std::chrono::steady_clock::time_point step_start = std::chrono::steady_clock::now();
  experiment::RunOptions options;
};

ExperimentConsole::ExperimentConsole() : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  // Ctrl-C reaches the trainer and the prepare workers between iterations and planes.
  m.watcher = std::thread([&m] {
    while (!m.done.load()) {
      if (InterruptGuard::cancelRequested()) m.control.cancel = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  auto& options = m.options;
  options.control = &m.control;
  options.software_version = PLANELAB_VERSION;
  options.sources = [](const catalog::Catalog& cat, const std::vector<std::int64_t>& studies) {
    experiment::CatalogSources s;
    s.pixels = std::make_unique<sources::DicomPixels>();
    s.labels = std::make_unique<sources::DicomLabels>(cat, studies);
    return s;
  };
  options.step_started = [this, &m](const experiment::Step& step, std::size_t index,
                                    std::size_t count) {
    m.step_start = std::chrono::steady_clock::now();
    const std::string label = prefix + "[" + std::to_string(index + 1) + "/" +
                              std::to_string(count) + "] " + describe(step);
    m.observer.start(label);
    spdlog::info("{}{} -> {}", label, step.state == "interrupted" ? " (resuming)" : "", step.dir);
  };
  options.prepare_progress = [&m](const prepare::Progress& p) {
    m.prepare_bar.update(
        static_cast<int>(p.studies_done), static_cast<int>(p.studies_total),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m.step_start).count());
  };
  options.observer = [&m](const experiment::Step&) -> train::Observer* { return &m.observer; };
  options.step_finished = [&m](const experiment::Step& step, const train::RunResult* result) {
    m.prepare_bar.finish();
    m.observer.finish();
    if (step.state != "done") return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m.step_start).count();
    spdlog::info("  done in {}{}{}", ProgressBar::formatDuration(seconds), result ? ": " : "",
                 result ? resultText(*result) : "");
  };
}

ExperimentConsole::~ExperimentConsole() {
  impl_->done = true;
  impl_->watcher.join();
}

const experiment::RunOptions& ExperimentConsole::options() const {
  return impl_->options;
}

std::vector<experiment::Problem> experimentProblems(const experiment::ExperimentConfig& config,
                                                    experiment::DataCounts* counts_out,
                                                    experiment::DataCounts* pool_counts_out) {
  const experiment::DataCounts counts = countData(config.catalog, config.phantom);
  if (counts_out != nullptr) *counts_out = counts;
  if (!experiment::usesPretrainingPool(config)) return experiment::checkExperiment(config, counts);
  const experiment::DataCounts pool =
      countData(config.pretrain_pool->catalog, config.pretrain_pool->phantom);
  if (pool_counts_out != nullptr) *pool_counts_out = pool;
  return experiment::checkExperiment(config, counts, &pool);
}

namespace {

int runExperimentCli(const ExperimentArgs& a) {
  nlohmann::json report = {{"config", a.config_file}};
  int exit_code = kExitOk;
  try {
    const experiment::ExperimentConfig config = experiment::loadExperimentConfig(a.config_file);
    report["out"] = config.out;
    if (a.check || !a.dry_run) {
      experiment::DataCounts counts, pool_counts;
      const auto problems = experimentProblems(config, &counts, &pool_counts);
      nlohmann::json problems_json = nlohmann::json::array();
      for (const auto& p : problems)
        problems_json.push_back({{"key", p.key}, {"page", p.page}, {"message", p.message}});
      if (a.check) {
        report["counts"] = countsJson(counts);
        if (experiment::usesPretrainingPool(config))
          report["pool_counts"] = countsJson(pool_counts);
        report["problems"] = problems_json;
        if (!a.json) {
          printCounts("data", counts);
          if (experiment::usesPretrainingPool(config)) printCounts("pretraining pool", pool_counts);
          if (problems.empty()) {
            std::printf("problems: none\n");
          } else {
            std::printf("problems: %zu\n", problems.size());
          }
          for (const auto& p : problems)
            std::printf("  [%s] (%s) %s\n", p.key.c_str(), p.page.c_str(), p.message.c_str());
        }
        if (!problems.empty()) exit_code = kExitFailed;
      } else if (!problems.empty()) {
        for (const auto& p : problems) spdlog::error("[{}] {}", p.key, p.message);
        report["problems"] = problems_json;
        throw std::invalid_argument("[experiment_has_problems] " + std::to_string(problems.size()) +
                                    " problem(s) with this data; nothing was run (see --check)");
      }
    }
    if (a.dry_run) {
      const auto steps = experiment::planSteps(config);
      report["steps"] = stepsJson(steps);
      if (!a.json) printSteps(steps);
    }
    if (!a.check && !a.dry_run) {
      const ExperimentConsole console;
      const auto result = experiment::runExperiment(config, console.options());
      report["status"] = result.status;
      report["steps"] = stepsJson(result.steps);
      report["results_csv"] = result.results_csv;
      if (!result.message.empty()) report["message"] = result.message;
      if (result.status == "cancelled") {
        spdlog::warn(
            "[cancelled] stopped by the user; finished runs are kept, run the same command again "
            "to continue");
        exit_code = kExitCancelled;
      } else if (result.status == "failed") {
        spdlog::error("{}", result.message);
        report["error_key"] = errorKey(result.message, "experiment_failed");
        exit_code = kExitFailed;
      } else if (!a.json) {
        std::printf("experiment %s: %zu steps done -> %s\n",
                    config.name.empty() ? config.out.c_str() : config.name.c_str(),
                    result.steps.size(), config.out.c_str());
        if (!result.results_csv.empty()) {
          std::printf("results: %s\n", result.results_csv.c_str());
          std::ifstream csv(result.results_csv);
          for (std::string line; std::getline(csv, line);) std::printf("  %s\n", line.c_str());
        }
      }
    }
  } catch (const ReportedError& r) {
    report["status"] = "error";
    report["error_key"] = "cannot_open_catalog";
    exit_code = r.exit_code;
  } catch (const std::exception& e) {
    const std::string key = errorKey(e.what(), "experiment_failed");
    spdlog::error("{}", key == "experiment_failed" ? "[experiment_failed] " + std::string(e.what())
                                                   : std::string(e.what()));
    report["status"] = "error";
    report["error_key"] = key;
    exit_code = key == "experiment_exists" ? kExitRefused : kExitFailed;
  }
  if (a.json) std::cout << report.dump(2) << '\n';
  return exit_code;
}

}  // namespace

void addExperimentCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ExperimentArgs>();
  CLI::App* cmd = app.add_subcommand(
      "experiment",
      "Run a whole experiment from one JSON file: prepare once, pretrain every arm per seed, "
      "fine-tune every arm x label budget x seed, results.csv; run again to resume");
  cmd->add_option("--config", a->config_file, "Experiment JSON (docs/experiment.md)")->required();
  cmd->add_flag("--check", a->check,
                "Count the data (subjects, planes per view, stacks, labels, classes) and list the "
                "problems for this experiment; exit 1 when there are any");
  cmd->add_flag("--dry-run", a->dry_run, "List the steps in run order with their states");
  cmd->add_flag("--json", a->json, "Print a machine-readable summary on stdout");
  cmd->callback([a, exit_code] { *exit_code = runExperimentCli(*a); });
}

}  // namespace planelab::cli
