#include "app/cli/phantom_command.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/cli/cli_common.h"
#include "app/cli/curate_command.h"
#include "app/cli/demo_training.h"
#include "app/cli/import_command.h"
#include "app/cli/progress_bar.h"
#include "dicom/cohort_writer.h"

namespace planelab::cli {

namespace {

struct PhantomArgs {
  std::string organ = "heart";
  int subjects = 3;
  std::uint64_t seed = 1;
  std::string level = "L2";
  std::string layout = "dsb";
  int phases = 25;
  std::string labels = "ed-es";
  std::string out;
  std::string quality = "quality";
  int threads = 0;
  std::vector<std::string> knobs;  // NAME=VALUE, applied over the level's knobs
  bool markers = false;
  bool no_breath_hold = false;
  bool json = false;
};

phantom::StudyOptions studyOptions(const PhantomArgs& a, phantom::Organ organ) {
  phantom::StudyOptions o;
  o.organ = organ;
  o.layout = *phantom::parseLayout(a.layout);
  o.level = *phantom::parseLevel(a.level);
  o.knobs = phantom::knobsForLevel(o.level);
  applyKnobs(a.knobs, o.knobs);
  o.phases = organ == phantom::Organ::kHeart ? a.phases : 1;
  o.labels = a.labels == "all"    ? phantom::StudyOptions::Labels::kAll
             : a.labels == "none" ? phantom::StudyOptions::Labels::kNone
                                  : phantom::StudyOptions::Labels::kEdEs;
  o.markers = a.markers;
  o.breath_hold_shifts = !a.no_breath_hold;
  return o;
}

double mib(std::uint64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

// Writes the cohort; prints a human summary unless `json` is set, and fills *report.
int runCohort(const dicom::CohortRequest& request, bool json, nlohmann::json* report) {
  // Refuse before any work so a mistyped folder never costs minutes.
  const dicom::WriteStatus folder = dicom::checkOutputFolder(request.out);
  if (!folder.ok()) {
    *report = {{"status", "error"}, {"error_key", folder.error_key}, {"message", folder.message}};
    spdlog::error("[{}] {}", folder.error_key, folder.message);
    return kExitRefused;
  }
  const InterruptGuard interrupt;
  ProgressBar bar("writing");
  const dicom::CohortSummary summary =
      dicom::writeCohort(request, [&](const dicom::CohortProgress& p) {
        bar.update(p.images_done, p.images_total, p.elapsed_s);
        return !InterruptGuard::cancelRequested();
      });
  bar.finish();

  const std::string status = !summary.ok() ? "error" : summary.cancelled ? "cancelled" : "ok";
  nlohmann::json subjects = nlohmann::json::array();
  for (const auto& s : summary.subjects) {
    subjects.push_back(
        {{"patient_id", s.patient_id},
         {"organ", s.organ},
         {"description", s.description},
         {"folder", (request.out / dicom::kDicomFolder / s.patient_id).string()},
         {"truth", (request.out / dicom::kTruthFolder / (s.patient_id + ".json")).string()},
         {"series", s.series},
         {"images", s.images},
         {"seg_files", s.seg_files},
         {"bytes", s.bytes}});
  }
  *report = {
      {"status", status},          {"out", request.out.string()},    {"subjects", subjects},
      {"images", summary.images},  {"seg_files", summary.seg_files}, {"bytes", summary.bytes},
      {"seconds", summary.seconds}};
  if (!summary.ok()) {
    (*report)["error_key"] = summary.status.error_key;
    (*report)["message"] = summary.status.message;
  }
  if (!json) {
    for (const auto& s : summary.subjects) {
      std::printf("  %-14s %-5s %2d series %5d images %3d SEG  %7.1f MiB  %s\n",
                  s.patient_id.c_str(), s.organ.c_str(), s.series, s.images, s.seg_files,
                  mib(s.bytes), s.description.c_str());
    }
    std::printf(
        "%s: %zu subjects, %d images, %d SEG files, %.1f MiB in %.1f s (%.1f images/s) -> %s\n",
        status.c_str(), summary.subjects.size(), summary.images, summary.seg_files,
        mib(summary.bytes), summary.seconds,
        summary.seconds > 0 ? summary.images / summary.seconds : 0.0, request.out.string().c_str());
    if (!summary.subjects.empty()) {
      std::printf("DICOM (images + SEG labels): %s, ground truth: %s, cohort: %s\n",
                  (request.out / dicom::kDicomFolder).string().c_str(),
                  (request.out / dicom::kTruthFolder).string().c_str(),
                  (request.out / "cohort.json").string().c_str());
    }
  }
  if (!summary.ok()) {
    spdlog::error("[{}] {}", summary.status.error_key, summary.status.message);
    return kExitFailed;
  }
  if (summary.cancelled) {
    spdlog::warn(
        "[cancelled] stopped by the user; {} complete subjects kept, the unfinished one removed",
        summary.subjects.size());
    return kExitCancelled;
  }
  return kExitOk;
}

dicom::CohortRequest baseRequest(const PhantomArgs& a) {
  dicom::CohortRequest r;
  r.seed = a.seed;
  r.render =
      a.quality == "fast" ? phantom::RenderSettings::fast() : phantom::RenderSettings::quality();
  r.threads = a.threads;
  r.out = a.out;
  return r;
}

void addCommonOptions(CLI::App* cmd, PhantomArgs& a) {
  cmd->add_option("--seed", a.seed, "Cohort seed; the same seed gives byte-identical files")
      ->capture_default_str();
  cmd->add_option("--quality", a.quality,
                  "Rendering: quality (2x2 sub-pixels, 7 slice samples) or fast")
      ->check(CLI::IsMember({"quality", "fast"}))
      ->capture_default_str();
  cmd->add_option("--threads", a.threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  cmd->add_flag("--json", a.json, "Print a machine-readable summary on stdout");
}

}  // namespace

void addPhantomCommands(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<PhantomArgs>();
  CLI::App* cmd =
      app.add_subcommand("phantom", "Generate a synthetic cardiac or knee MR cohort as DICOM");
  cmd->add_option("--organ", args->organ, "heart or knee")
      ->check(CLI::IsMember({"heart", "knee"}))
      ->capture_default_str();
  cmd->add_option("--subjects", args->subjects, "Number of subjects")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--level", args->level, "Difficulty L0 (debug) .. L3 (hard)")
      ->check(CLI::IsMember({"L0", "L1", "L2", "L3"}))
      ->capture_default_str();
  cmd->add_option("--layout", args->layout,
                  "Series layout: dsb (Kaggle DSB), ukb (UK Biobank), quirks")
      ->check(CLI::IsMember({"dsb", "ukb", "quirks"}))
      ->capture_default_str();
  cmd->add_option("--phases", args->phases, "Cine phases per cycle (heart)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--labels", args->labels, "Ground truth as DICOM SEG: ed-es, all or none")
      ->check(CLI::IsMember({"ed-es", "all", "none"}))
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Output folder (must be new or empty)")->required();
  cmd->add_option("--knob", args->knobs,
                  "Override one difficulty knob of the level, NAME=VALUE (repeatable), e.g. "
                  "snr_min=5")
      ->type_name("NAME=VALUE");
  cmd->add_flag("--markers", args->markers,
                "Asymmetric marker mode: fiducial spheres at known points");
  cmd->add_flag("--no-breath-hold", args->no_breath_hold,
                "Anatomy agrees exactly with the headers");
  addCommonOptions(cmd, *args);
  cmd->callback([args, exit_code] {
    dicom::CohortRequest r = baseRequest(*args);
    const phantom::Organ organ = *phantom::parseOrgan(args->organ);
    r.parts.push_back({studyOptions(*args, organ), args->subjects});
    nlohmann::json report;
    *exit_code = runCohort(r, args->json, &report);
    if (args->json) std::cout << report.dump(2) << '\n';
  });

  auto demo = std::make_shared<PhantomArgs>();
  demo->out = "demo-output";
  demo->phases = 10;
  demo->quality = "fast";
  CLI::App* dcmd = app.add_subcommand(
      "demo",
      "The main job on the embedded default data: 16 cardiac + 2 knee phantom subjects as DICOM, "
      "imported into a catalog and curated (stacks, views, intersections, QA); then the cardiac "
      "studies are prepared, pretrained on (multitask) and fine-tuned with 2 labelled subjects, "
      "from the pretrained network and from scratch");
  dcmd->add_option("--out", demo->out, "Output folder (must be new or empty)")
      ->capture_default_str();
  auto no_training = std::make_shared<bool>(false);
  dcmd->add_flag("--no-training", *no_training,
                 "Stop after curation (the catalog the GUI opens; scripts/run-demo.sh with a "
                 "display)");
  addCommonOptions(dcmd, *demo);
  dcmd->callback([demo, no_training, exit_code] {
    dicom::CohortRequest r = baseRequest(*demo);
    r.parts.push_back({studyOptions(*demo, phantom::Organ::kHeart), 16});
    r.parts.push_back({studyOptions(*demo, phantom::Organ::kKnee), 2});
    if (!demo->json) {
      std::printf(
          "PlaneLab demo: 16 cardiac cine studies (DSB layout, level L2, %d phases) and 2 knee "
          "studies\n",
          demo->phases);
    }
    nlohmann::json cohort_report;
    *exit_code = runCohort(r, demo->json, &cohort_report);
    nlohmann::json report = {{"cohort", cohort_report}};
    if (*exit_code == kExitOk) {
      // Then import the DICOM tree into a catalog beside it and show what the catalog holds.
      const std::filesystem::path catalog_file = r.out / "catalog.planelab";
      if (!demo->json)
        std::printf("\nimporting %s into %s\n", (r.out / dicom::kDicomFolder).string().c_str(),
                    catalog_file.string().c_str());
      import::ImportOptions options;
      options.jobs = demo->threads;
      nlohmann::json import_report;
      *exit_code = runImport(catalog_file, {r.out / dicom::kDicomFolder}, options, demo->json,
                             &import_report);
      report["import"] = import_report;
      // The catalog summary: what a user would see first in the GUI's browser.
      catalog::Status status;
      if (const auto cat = catalog::Catalog::open(catalog_file, status); cat && !demo->json) {
        std::printf("\n");
        printTable(cat->list(catalog::Level::kPatients, {}));
      }
      // Then curate: stacks, views, intersections, misalignment and the QA summary.
      if (*exit_code == kExitOk) {
        if (!demo->json) std::printf("\ncurating %s\n", catalog_file.string().c_str());
        curation::CatalogCurationOptions curate;
        curate.jobs = demo->threads;
        nlohmann::json curate_report;
        *exit_code = runCurate(catalog_file, curate, demo->json, &curate_report);
        report["curate"] = curate_report;
      }
      // Then train: prepare, pretrain, fine-tune pretrained vs scratch.
      if (*exit_code == kExitOk && !*no_training) {
        DemoTrainingOptions training;
        training.out = r.out;
        training.catalog_file = catalog_file;
        training.subjects_csv = r.out / "subjects.csv";
        training.threads = demo->threads;
        training.json = demo->json;
        nlohmann::json training_report;
        *exit_code = runDemoTraining(training, &training_report);
        report["training"] = training_report;
      }
      if (!demo->json) {
        std::printf(
            "next: planelab-cli views %s   planelab-cli check %s   planelab-cli ls %s series\n",
            catalog_file.string().c_str(), catalog_file.string().c_str(),
            catalog_file.string().c_str());
      }
    }
    if (demo->json) std::cout << report.dump(2) << '\n';
  });
}

}  // namespace planelab::cli
