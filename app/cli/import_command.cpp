#include "app/cli/import_command.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "app/cli/cli_common.h"
#include "app/cli/progress_bar.h"
#include "dicom/tag_dump.h"

namespace planelab::cli {

namespace fs = std::filesystem;

namespace {

nlohmann::json importJson(const fs::path& catalog_file, const import::ImportSummary& s) {
  nlohmann::json issues = nlohmann::json::object();
  for (const auto& [key, count] : s.issues_by_key) issues[key] = count;
  const auto& c = s.catalog_after;
  nlohmann::json j = {
      {"status", !s.ok()       ? "error"
                 : s.cancelled ? "cancelled"
                               : "ok"},
      {"catalog", catalog_file.string()},
      {"run", s.run},
      {"files",
       {{"found", s.files_found},
        {"read", s.files_read},
        {"unchanged", s.files_unchanged},
        {"missing", s.files_missing},
        {"with_issues", s.files_with_issues}}},
      {"added",
       {{"patients", s.added.patients_added},
        {"studies", s.added.studies_added},
        {"series", s.added.series_added},
        {"instances", s.added.instances_added},
        {"label_sets", s.added.label_sets_added}}},
      {"updated", {{"instances", s.added.instances_updated}, {"files", s.added.files_changed}}},
      {"issues_by_key", issues},
      {"catalog_after",
       {{"patients", c.patients},
        {"studies", c.studies},
        {"series", c.series},
        {"instances", c.instances},
        {"label_sets", c.label_sets},
        {"files", c.files},
        {"missing_files", c.missing_files},
        {"issues", c.issues},
        {"runs", c.runs}}},
      {"seconds", s.seconds},
      {"files_per_second", s.files_per_second}};
  if (!s.ok()) {
    j["error_key"] = s.status.error_key;
    j["message"] = s.status.message;
  }
  return j;
}

void printImportSummary(const fs::path& catalog_file, const import::ImportSummary& s) {
  std::printf(
      "import run %lld: %zu files found, %zu read, %zu unchanged, %zu missing (%.1f s, %.0f "
      "files/s)\n",
      static_cast<long long>(s.run), s.files_found, s.files_read, s.files_unchanged,
      s.files_missing, s.seconds, s.files_per_second);
  std::printf(
      "  added: %d patients, %d studies, %d series, %d instances, %d label sets; updated: %d "
      "instances\n",
      s.added.patients_added, s.added.studies_added, s.added.series_added, s.added.instances_added,
      s.added.label_sets_added, s.added.instances_updated);
  if (!s.issues_by_key.empty()) {
    std::printf("  not usable: %zu files (details: planelab-cli issues %s --run %lld)\n",
                s.files_with_issues, catalog_file.string().c_str(), static_cast<long long>(s.run));
    for (const auto& [key, count] : s.issues_by_key)
      std::printf("    %-28s %d\n", key.c_str(), count);
  }
  const auto& c = s.catalog_after;
  std::printf(
      "catalog %s: %lld patients, %lld studies, %lld series, %lld instances, %lld label sets, "
      "%lld files (%lld missing), %lld issues\n",
      catalog_file.string().c_str(), static_cast<long long>(c.patients),
      static_cast<long long>(c.studies), static_cast<long long>(c.series),
      static_cast<long long>(c.instances), static_cast<long long>(c.label_sets),
      static_cast<long long>(c.files), static_cast<long long>(c.missing_files),
      static_cast<long long>(c.issues));
}

// The de-identification key: $PLANELAB_DEIDENTIFY_KEY or the first line of --key-file.
std::string deidentifyKey(const std::string& key_file) {
  if (!key_file.empty()) {
    std::ifstream in(key_file);
    std::string key;
    std::getline(in, key);
    if (!in && key.empty()) {
      throw CLI::ValidationError("--key-file", "[deidentify_key_missing] cannot read " + key_file);
    }
    return key;
  }
  if (const char* env = std::getenv("PLANELAB_DEIDENTIFY_KEY"); env != nullptr && *env != '\0') {
    return env;
  }
  throw CLI::ValidationError(
      "--deidentify",
      "[deidentify_key_missing] set PLANELAB_DEIDENTIFY_KEY or pass --key-file FILE (the key is "
      "yours and is never stored in the catalog)");
}

struct ImportArgs {
  std::string catalog;
  std::vector<std::string> inputs;
  int jobs = 0;
  bool deidentify = false;
  std::string key_file;
  bool include_hidden = false;
  bool json = false;
};

struct ListArgs {
  std::string catalog;
  std::string level = "series";
  catalog::Filters filters;
  bool json = false;
};

}  // namespace

int runImport(const fs::path& catalog_file, const std::vector<fs::path>& inputs,
              const import::ImportOptions& options, bool json, nlohmann::json* report) {
  const InterruptGuard interrupt;
  ProgressBar bar("discover");
  import::Phase shown = import::Phase::kDiscover;
  const import::ImportSummary s = import::importIntoCatalog(
      catalog_file, inputs, options, [&](const import::ImportProgress& p) {
        // The final report completes the current bar (100 %) instead of starting a new one.
        if (p.phase != shown && p.phase != import::Phase::kDone) {
          bar.finish();
          bar.setLabel(import::phaseName(p.phase));
          shown = p.phase;
        }
        if (p.phase != import::Phase::kDone || shown == import::Phase::kRead) {
          bar.update(static_cast<int>(p.done), static_cast<int>(p.total), p.elapsed_s);
        }
        return !InterruptGuard::cancelRequested();
      });
  bar.finish();
  *report = importJson(catalog_file, s);
  if (!json && (s.ok() || s.run != 0)) printImportSummary(catalog_file, s);
  if (!s.ok()) {
    spdlog::error("[{}] {}", s.status.error_key, s.status.message);
    return s.status.error_key == "no_inputs" ? kExitFailed : kExitCatalog;
  }
  if (s.cancelled) {
    spdlog::warn(
        "[cancelled] stopped by the user; every batch written so far is in the catalog, "
        "run the same import again to finish");
    return kExitCancelled;
  }
  return s.issues_by_key.empty() ? kExitOk : kExitPartial;
}

void addImportCommands(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ImportArgs>();
  CLI::App* imp = app.add_subcommand(
      "import", "Index DICOM folders, files and DICOMDIRs into a catalog (created if missing)");
  imp->add_option("catalog", a->catalog, "Catalog file, e.g. study.planelab")->required();
  imp->add_option("paths", a->inputs, "Folders (recursive), files or DICOMDIRs")->required();
  imp->add_option("--jobs", a->jobs, "Header-reading threads (0 = all cores)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  imp->add_flag("--deidentify", a->deidentify,
                "Store keyed pseudonyms instead of patient name, ID and birth date (key from "
                "$PLANELAB_DEIDENTIFY_KEY or --key-file)");
  imp->add_option("--key-file", a->key_file, "File whose first line is the de-identification key");
  imp->add_flag("--include-hidden", a->include_hidden, "Also read dotfiles and macOS ._* files");
  imp->add_flag("--json", a->json, "Print a machine-readable summary on stdout");
  imp->callback([a, exit_code] {
    import::ImportOptions options;
    options.jobs = a->jobs;
    options.skip_hidden = !a->include_hidden;
    options.deidentify = a->deidentify;
    if (a->deidentify) options.deidentify_key = deidentifyKey(a->key_file);
    std::vector<fs::path> inputs(a->inputs.begin(), a->inputs.end());
    nlohmann::json report;
    *exit_code = runImport(a->catalog, inputs, options, a->json, &report);
    if (a->json) std::cout << report.dump(2) << '\n';
  });

  auto l = std::make_shared<ListArgs>();
  CLI::App* ls =
      app.add_subcommand("ls", "List patients, studies, series or instances of a catalog");
  ls->add_option("catalog", l->catalog, "Catalog file")->required();
  ls->add_option("level", l->level, "patients, studies, series or instances")
      ->check(CLI::IsMember({"patients", "studies", "series", "instances"}))
      ->capture_default_str();
  ls->add_option("--patient", l->filters.patient_id, "PatientID");
  ls->add_option("--study", l->filters.study_instance_uid, "StudyInstanceUID");
  ls->add_option("--series", l->filters.series_instance_uid, "SeriesInstanceUID");
  ls->add_option("--modality", l->filters.modality, "Modality, e.g. MR");
  ls->add_option("--description", l->filters.description,
                 "Substring of the study/series description");
  ls->add_option("--limit", l->filters.limit, "At most this many rows (0 = all)")
      ->check(CLI::Range(0, 100000000));
  ls->add_flag("--json", l->json, "Print JSON rows");
  ls->callback([l, exit_code] {
    auto cat = openOrReport(l->catalog, exit_code);
    if (!cat) return;
    const catalog::Level level = l->level == "patients"  ? catalog::Level::kPatients
                                 : l->level == "studies" ? catalog::Level::kStudies
                                 : l->level == "series"  ? catalog::Level::kSeries
                                                         : catalog::Level::kInstances;
    const catalog::Table table = cat->list(level, l->filters);
    if (l->json) {
      std::cout << tableToJson(table).dump(2) << '\n';
    } else {
      printTable(table);
    }
    *exit_code = kExitOk;
  });

  auto catalog_for_issues = std::make_shared<std::string>();
  auto run = std::make_shared<std::int64_t>(0);
  auto issues_json = std::make_shared<bool>(false);
  CLI::App* iss =
      app.add_subcommand("issues", "Files an import could not use, with the reason key");
  iss->add_option("catalog", *catalog_for_issues, "Catalog file")->required();
  iss->add_option(
      "--run", *run,
      "Only the issues found by this import run (default: every file's current issues)");
  iss->add_flag("--json", *issues_json, "Print JSON rows");
  iss->callback([catalog_for_issues, run, issues_json, exit_code] {
    auto cat = openOrReport(*catalog_for_issues, exit_code);
    if (!cat) return;
    const catalog::Table table =
        cat->issues(*run > 0 ? std::optional<std::int64_t>(*run) : std::nullopt);
    if (*issues_json) {
      std::cout << tableToJson(table).dump(2) << '\n';
    } else {
      printTable(table, 60);
    }
    *exit_code = kExitOk;
  });

  auto tag_file = std::make_shared<std::string>();
  auto tags_json = std::make_shared<bool>(false);
  CLI::App* tags = app.add_subcommand("tags", "Print the DICOM tags of a file");
  tags->add_option("file", *tag_file, "DICOM file")->required();
  tags->add_flag("--json", *tags_json, "Print JSON");
  tags->callback([tag_file, tags_json, exit_code] {
    std::string error_key;
    const auto lines = dicom::dumpTags(*tag_file, &error_key);
    if (!error_key.empty()) {
      spdlog::error("[{}] cannot read the tags of {}", error_key, *tag_file);
      *exit_code = kExitFailed;
      return;
    }
    if (*tags_json) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& t : lines) {
        j.push_back({{"tag", t.tag},
                     {"vr", t.vr},
                     {"name", t.name},
                     {"value", t.value},
                     {"depth", t.depth}});
      }
      std::cout << j.dump(2) << '\n';
    } else {
      for (const auto& t : lines) {
        std::printf("%s%s %s %-32s %s\n",
                    std::string(static_cast<std::size_t>(2 * t.depth), ' ').c_str(), t.tag.c_str(),
                    t.vr.c_str(), t.name.c_str(), t.value.c_str());
      }
    }
    *exit_code = kExitOk;
  });
}

}  // namespace planelab::cli
