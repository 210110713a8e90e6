#include "app/cli/prepare_command.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/cli/cli_common.h"
#include "app/cli/progress_bar.h"
#include "data/preprocessing_plan.h"
#include "prepare/class_labels.h"
#include "prepare/prepare.h"
#include "sources/dicom_sources.h"

namespace planelab::cli {

namespace {

struct PrepareArgs {
  std::string catalog;
  std::string out;
  std::vector<std::string> studies;
  std::vector<std::string> views;
  std::vector<std::string> heatmap_views;
  double spacing_mm = 1.26;
  int size = 224;
  std::string normalisation = "zscore";
  std::string interpolation = "cubic";
  std::string phases = "all";
  int phase_count = 0;
  std::string location_mode = "anatomical";
  std::string plan_file;
  std::string class_labels;
  int jobs = 0;
  bool overwrite = false;
  bool json = false;
  // Phantom source.
  std::string phantom;
  int subjects = 10;
  int first_subject = 0;
  std::uint64_t seed = 1;
  std::string level = "L2";
  std::string layout = "dsb";
  int cine_phases = 25;
  std::string labels = "ed-es";
  std::vector<std::string> knobs;  // NAME=VALUE over the level's knobs
};

// A usage error with its key: "[key] message", exit 1.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <typename T>
T parsed(const std::optional<T>& value, const std::string& option, const std::string& text,
         const std::string& allowed) {
  if (!value)
    throw UsageError("[invalid_argument] " + option + " '" + text + "': one of " + allowed);
  return *value;
}

data::PreprocessingPlan composePlan(const PrepareArgs& a, const CLI::App& cmd) {
  data::PreprocessingPlan plan;
  if (!a.plan_file.empty()) {
    std::ifstream in(a.plan_file);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (!in.good() && !in.eof()) throw UsageError("[invalid_plan] cannot read " + a.plan_file);
    if (j.is_discarded()) throw UsageError("[invalid_plan] " + a.plan_file + " is not JSON");
    try {
      // A dataset.json holds its plan under "plan".
      plan = data::PreprocessingPlan::fromJson(j.contains("plan") ? j.at("plan") : j);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  } else if (a.phantom == "knee") {
    plan.organ = "knee";
    plan.views = {"sag", "cor", "ax"};
    plan.heatmap_views = {"sag", "cor", "ax"};  // a sample's own view is never its channel
  }
  auto given = [&](const char* name) { return cmd.get_option(name)->count() > 0; };
  if (given("--views")) plan.views = a.views;
  if (given("--heatmap-views")) plan.heatmap_views = a.heatmap_views;
  if (given("--spacing")) plan.grid.spacing_mm = a.spacing_mm;
  if (given("--size")) plan.grid.size = a.size;
  if (given("--normalisation")) {
    plan.normalisation = parsed(data::parseNormalisation(a.normalisation), "--normalisation",
                                a.normalisation, "zscore, percentile");
  }
  if (given("--interpolation")) {
    static const std::map<std::string, data::Interpolation> kInterpolations = {
        {"nearest", data::Interpolation::kNearest},
        {"linear", data::Interpolation::kLinear},
        {"cubic", data::Interpolation::kCubic}};
    plan.interpolation = kInterpolations.at(a.interpolation);
  }
  if (given("--phases")) {
    plan.phases = parsed(data::parsePhaseSelection(a.phases), "--phases", a.phases,
                         "all, ed_es, even (the phantom's cine phase count is --cine-phases)");
  }
  if (given("--phase-count")) plan.phase_count = a.phase_count;
  if (given("--location-mode")) {
    plan.location_mode = parsed(data::parseLocationMode(a.location_mode), "--location-mode",
                                a.location_mode, "anatomical, paper");
  }
  if (plan.phases == data::PhaseSelection::kEven && plan.phase_count <= 0) {
    throw UsageError("[invalid_argument] --phases even needs --phase-count N (N >= 1)");
  }
  try {
    return data::PreprocessingPlan::fromJson(plan.toJson());  // the plan's own range checks
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

void printSummary(const nlohmann::json& r) {
  std::printf("%s: %lld subjects, %lld samples (%lld labelled) in %.1f s -> %s\n",
              r["status"].get<std::string>().c_str(), r["subjects"].get<long long>(),
              r["samples"].get<long long>(), r["labelled_samples"].get<long long>(),
              r["seconds"].get<double>(), r["out"].get<std::string>().c_str());
  std::string views;
  for (const auto& [view, n] : r["samples_by_view"].items()) {
    views += (views.empty() ? "" : ", ") + view + " " + std::to_string(n.get<long long>());
  }
  std::printf("  samples by view: %s\n", views.empty() ? "none" : views.c_str());
  if (r["skipped_images"].get<long long>() > 0) {
    std::printf("  skipped images: %lld\n", r["skipped_images"].get<long long>());
  }
}

// `knobs`: the phantom level's knobs with --knob applied (unused for a catalog).
int runPrepare(const PrepareArgs& a, const CLI::App& cmd, const phantom::DifficultyKnobs& knobs) {
  const auto started = std::chrono::steady_clock::now();
  nlohmann::json report = {{"out", a.out}};
  int exit_code = kExitOk;
  try {
    if (a.phantom.empty() == a.catalog.empty()) {
      throw UsageError("[invalid_argument] give a CATALOG or --phantom heart|knee (not both)");
    }
    prepare::PrepareOptions options;
    options.plan = composePlan(a, cmd);
    options.jobs = a.jobs;
    options.overwrite = a.overwrite;
    options.curation.misalignment = false;
    if (!a.class_labels.empty()) options.class_labels = prepare::readClassLabels(a.class_labels);

    const InterruptGuard interrupt;
    std::atomic<bool> cancel{false};
    options.cancel = &cancel;
    ProgressBar bar("prepare");
    options.progress = [&](const prepare::Progress& p) {
      bar.update(static_cast<int>(p.studies_done), static_cast<int>(p.studies_total),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
    // Ctrl-C reaches the workers at once (they check between planes), not only between studies.
    std::atomic<bool> done{false};
    std::thread watcher([&] {
      while (!done.load()) {
        if (InterruptGuard::cancelRequested()) cancel = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    struct Join {
      std::atomic<bool>& done;
      std::thread& watcher;
      ~Join() {
        done = true;
        watcher.join();
      }
    } join{done, watcher};

    prepare::PrepareSummary summary;
    std::unique_ptr<sources::DicomLabels> labels;
    if (!a.phantom.empty()) {
      prepare::PhantomCohort cohort;
      cohort.seed = a.seed;
      cohort.subjects = a.subjects;
      cohort.first_subject = a.first_subject;
      cohort.study.organ = *phantom::parseOrgan(a.phantom);
      cohort.study.layout = *phantom::parseLayout(a.layout);
      cohort.study.level = *phantom::parseLevel(a.level);
      cohort.study.knobs = knobs;
      cohort.study.phases = a.cine_phases;
      cohort.study.labels = a.labels == "all"    ? phantom::StudyOptions::Labels::kAll
                            : a.labels == "none" ? phantom::StudyOptions::Labels::kNone
                                                 : phantom::StudyOptions::Labels::kEdEs;
      summary = prepare::prepareFromPhantom(cohort, a.out, options);
      report["source"] = "phantom";
    } else {
      auto cat = openOrReport(a.catalog, &exit_code);
      if (!cat) return exit_code;
      std::vector<std::int64_t> ids;
      for (const std::string& uid : a.studies) {
        const std::vector<catalog::StudyRef> refs = cat->studies(uid);
        if (refs.empty()) throw UsageError("[unknown_study] no study " + uid + " in " + a.catalog);
        ids.push_back(refs[0].id);
      }
      if (ids.empty()) {
        for (const catalog::StudyRef& ref : cat->studies()) ids.push_back(ref.id);
      }
      if (ids.empty()) throw UsageError("[no_studies] " + a.catalog + " holds no studies");
      labels = std::make_unique<sources::DicomLabels>(*cat, ids);
      if (!cat->lastStatus().ok()) {
        throw std::runtime_error("[" + cat->lastStatus().error_key + "] " +
                                 cat->lastStatus().message);
      }
      sources::DicomPixels pixels;
      summary = prepare::prepareFromCatalog(*cat, ids, pixels, labels.get(), a.out, options);
      report["source"] = "catalog";
      report["catalog"] = a.catalog;
      nlohmann::json label_errors = nlohmann::json::object();
      for (const auto& [key, n] : labels->errors()) label_errors[key] = n;
      report["label_errors"] = label_errors;
    }
    bar.finish();
    report["status"] = summary.cancelled ? "cancelled" : "ok";
    report["subjects"] = summary.subjects;
    report["samples"] = summary.samples;
    report["labelled_samples"] = summary.labelled_samples;
    report["skipped_images"] = summary.skipped_images;
    report["skipped_by_key"] = summary.skipped_by_key;
    report["samples_by_view"] = summary.samples_by_view;
    report["plan"] = options.plan.toJson();
    report["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (const auto& [key, n] : summary.skipped_by_key) {
      spdlog::warn("[{}] {} images skipped (unreadable)", key, n);
    }
    if (summary.cancelled) {
      spdlog::warn("[cancelled] stopped by the user; nothing was written to {}", a.out);
      exit_code = kExitCancelled;
    } else if (!a.json) {
      printSummary(report);
    }
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    report["status"] = "error";
    report["error_key"] = errorKey(e.what(), "prepare_failed");
    exit_code = kExitFailed;
  } catch (const std::exception& e) {
    const std::string key = errorKey(e.what(), "prepare_failed");
    spdlog::error("{}", key == "prepare_failed" ? "[prepare_failed] " + std::string(e.what())
                                                : std::string(e.what()));
    report["status"] = "error";
    report["error_key"] = key;
    exit_code = key == "dataset_exists"        ? kExitRefused
                : key == "catalog_read_failed" ? kExitCatalog
                                               : kExitFailed;
  }
  if (a.json) std::cout << report.dump(2) << '\n';
  return exit_code;
}

}  // namespace

void addPrepareCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<PrepareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "prepare",
      "Resample, normalise and label the planes of a catalog (or an in-memory phantom cohort) "
      "into a prepared dataset for training");
  cmd->add_option("catalog", a->catalog, "Catalog file (or --phantom)");
  cmd->add_option("--out", a->out, "Dataset folder (refused if it holds a dataset)")->required();
  cmd->add_option("--study", a->studies, "Only these StudyInstanceUIDs (repeatable)");
  cmd->add_option("--views", a->views, "Views whose planes become samples (default sax)")
      ->delimiter(',');
  cmd->add_option("--heatmap-views", a->heatmap_views,
                  "Views giving the heatmap channels, in order (default 2ch,4ch)")
      ->delimiter(',');
  cmd->add_option("--spacing", a->spacing_mm, "Pixel spacing of the prepared grid (mm)")
      ->check(CLI::Range(0.1, 20.0))
      ->capture_default_str();
  cmd->add_option("--size", a->size, "Prepared image size (pixels, square)")
      ->check(CLI::Range(8, 2048))
      ->capture_default_str();
  cmd->add_option("--normalisation", a->normalisation, "zscore or percentile")
      ->capture_default_str();
  cmd->add_option("--interpolation", a->interpolation, "Images: nearest, linear or cubic")
      ->check(CLI::IsMember({"nearest", "linear", "cubic"}))
      ->capture_default_str();
  cmd->add_option("--phases", a->phases,
                  "Cine phases that become samples: all, ed_es (labelled, else first + middle) "
                  "or even (--phase-count spread evenly)")
      ->capture_default_str();
  cmd->add_option("--phase-count", a->phase_count, "Phases per plane for --phases even")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--location-mode", a->location_mode,
                  "Relative slice location: anatomical or paper")
      ->capture_default_str();
  cmd->add_option("--plan,--config", a->plan_file,
                  "Preprocessing plan JSON (or a dataset.json); the flags above override it");
  cmd->add_option("--class-labels", a->class_labels,
                  "CSV with a header line and PatientID,label rows (a phantom cohort's "
                  "subjects.csv)");
  cmd->add_option("--jobs", a->jobs, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  cmd->add_flag("--overwrite", a->overwrite, "Replace a dataset already in --out");
  cmd->add_flag("--json", a->json, "Print a machine-readable summary on stdout");
  cmd->add_option("--phantom", a->phantom, "Generate the cohort in memory instead: heart or knee")
      ->check(CLI::IsMember({"heart", "knee"}));
  cmd->add_option("--subjects", a->subjects, "Phantom subjects")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--first-subject", a->first_subject,
                  "First phantom subject: subjects first .. first + N - 1 of the cohort (disjoint "
                  "ranges share no subject, e.g. a pretraining pool beside a labelled cohort)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "Phantom cohort seed")->capture_default_str();
  cmd->add_option("--level", a->level, "Phantom difficulty L0..L3")
      ->check(CLI::IsMember({"L0", "L1", "L2", "L3"}))
      ->capture_default_str();
  cmd->add_option("--layout", a->layout, "Phantom series layout: dsb, ukb, quirks")
      ->check(CLI::IsMember({"dsb", "ukb", "quirks"}))
      ->capture_default_str();
  cmd->add_option("--cine-phases", a->cine_phases, "Phantom cine phases per cycle (heart)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--labels", a->labels, "Phantom ground truth: ed-es, all or none")
      ->check(CLI::IsMember({"ed-es", "all", "none"}))
      ->capture_default_str();
  cmd->add_option("--knob", a->knobs,
                  "Override one phantom difficulty knob of the level, NAME=VALUE (repeatable), "
                  "e.g. inplane_rotation_sd_sax_deg=20")
      ->type_name("NAME=VALUE");
  cmd->callback([a, cmd, exit_code] {
    // Knob errors are usage errors (CLI11 prints them, exit 1) before any work starts.
    phantom::DifficultyKnobs knobs = phantom::knobsForLevel(*phantom::parseLevel(a->level));
    applyKnobs(a->knobs, knobs);
    *exit_code = runPrepare(*a, *cmd, knobs);
  });
}

}  // namespace planelab::cli
