#include "curation/curate_catalog.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

namespace planelab::curation {

std::string summaryJson(const CatalogCurationSummary& s) {
  nlohmann::json j = {{"run", s.run},
                      {"studies", s.studies},
                      {"planes", s.planes},
                      {"stacks", s.stacks},
                      {"intersections", s.intersections},
                      {"excluded_images", s.excluded_images},
                      {"flagged_planes", s.flagged_planes},
                      {"views", s.views},
                      {"findings_by_key", s.findings_by_key},
                      {"findings_by_severity", s.findings_by_severity},
                      {"cancelled", s.cancelled},
                      {"seconds", s.seconds}};
  return j.dump();
}

namespace {

nlohmann::json optionsJson(const CatalogCurationOptions& o) {
  const Options& s = o.study;
  return {{"study_instance_uid", o.study_instance_uid},
          {"orientation_tolerance_deg", s.orientation_tolerance_deg},
          {"repeat_tolerance_mm", s.repeat_tolerance_mm},
          {"missing_gap_factor", s.missing_gap_factor},
          {"nonuniform_tolerance", s.nonuniform_tolerance},
          {"drift_tolerance_mm", s.drift_tolerance_mm},
          {"keep_latest_repeat", s.keep_latest_repeat},
          {"misalignment", s.misalignment},
          {"misalignment_phases", s.misalignment_phases},
          {"misalignment_search_mm", s.misalignment_search_mm},
          {"misalignment_flag_mm", s.misalignment_flag_mm}};
}

void count(const StudyCuration& study, CatalogCurationSummary& s) {
  ++s.studies;
  s.planes += static_cast<int>(study.planes.size());
  s.stacks += static_cast<int>(study.stacks.size());
  s.intersections += static_cast<int>(study.intersections.size());
  s.excluded_images += study.excluded_images;
  for (const ViewLabel& v : study.views) ++s.views[v.view];
  for (const Finding& f : study.findings) {
    ++s.findings_by_key[f.key];
    ++s.findings_by_severity[f.severity];
  }
  for (const Plane& p : study.planes)
    s.flagged_planes += p.misalignment_flag.value_or(false) ? 1 : 0;
}

}  // namespace

catalog::Status curateCatalog(catalog::Catalog& catalog, const CatalogCurationOptions& options,
                              const PixelSourceFactory& pixels,
                              const std::function<void(const CurationProgress&)>& progress,
                              CatalogCurationSummary* summary_out) {
  const auto started = std::chrono::steady_clock::now();
  CatalogCurationSummary summary;
  const std::vector<catalog::StudyRef> studies = catalog.studies(options.study_instance_uid);
  if (!catalog.lastStatus().ok()) return catalog.lastStatus();
  if (!options.study_instance_uid.empty() && studies.empty()) {
    return {"unknown_study", "no study " + options.study_instance_uid + " in the catalog"};
  }
  const std::unordered_map<std::string, std::string> overrides = catalog.viewOverrides();
  if (!catalog.lastStatus().ok()) return catalog.lastStatus();

  catalog::Status status;
  summary.run = catalog.beginCuration(optionsJson(options).dump(), status);
  if (!status.ok()) return status;

  const int total = static_cast<int>(studies.size());
  const std::size_t batch = static_cast<std::size_t>(std::max(1, options.batch_studies));
  const unsigned jobs = options.jobs > 0 ? static_cast<unsigned>(options.jobs)
                                         : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<PixelSource>> sources(jobs);
  if (pixels && options.study.misalignment) {
    for (auto& source : sources) source = pixels();
  }
  const auto cancelled = [&] { return options.cancel != nullptr && options.cancel->load(); };
  if (progress) progress({0, total});

  for (std::size_t begin = 0; begin < studies.size() && status.ok(); begin += batch) {
    if (cancelled()) break;
    const std::size_t end = std::min(studies.size(), begin + batch);
    std::vector<std::vector<catalog::StudyImage>> images(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      images[i - begin] = catalog.studyImages(studies[i].id);
      if (!catalog.lastStatus().ok()) {
        status = catalog.lastStatus();
        break;
      }
    }
    if (!status.ok()) break;
    std::vector<StudyCuration> results(end - begin);
    std::atomic<std::size_t> next{0};
    const auto work = [&](unsigned worker) {
      for (std::size_t i = next++; i < results.size(); i = next++) {
        if (cancelled()) return;
        results[i] = curateStudy(images[i], overrides, options.study, sources[worker].get());
      }
    };
    std::vector<std::thread> threads;
    for (unsigned w = 1; w < jobs; ++w) threads.emplace_back(work, w);
    work(0);
    for (std::thread& t : threads) t.join();
    if (cancelled()) break;  // the batch is incomplete: store nothing of it

    std::vector<catalog::StudyCurationRecord> records;
    for (std::size_t i = 0; i < results.size(); ++i) {
      records.push_back(toRecord(results[i], studies[begin + i].id));
      count(results[i], summary);
    }
    status = catalog.writeCuration(summary.run, records);
    if (status.ok() && progress) progress({static_cast<int>(end), total});
  }
  // Cancelled only when studies were left undone (a stop after the last batch changes nothing).
  summary.cancelled = status.ok() && cancelled() && summary.studies < total;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string state = !status.ok() ? "failed" : summary.cancelled ? "cancelled" : "complete";
  const catalog::Status finished = catalog.finishCuration(summary.run, state, summaryJson(summary));
  if (status.ok()) status = finished;
  if (summary_out != nullptr) *summary_out = summary;
  return status;
}

}  // namespace planelab::curation
