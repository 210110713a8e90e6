#include "prepare/prepare.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>

#include "data/prepared_dataset.h"
#include "data/preprocess.h"
#include "data/target_grid.h"
#include "prepare/study_pipeline.h"

namespace planelab::prepare {

namespace fs = std::filesystem;

namespace detail {

namespace {

bool cancelled(const PrepareOptions& options) {
  return options.cancel != nullptr && options.cancel->load();
}

// Cine phase indices of a plane (0..n-1, phase order) that become samples.
std::vector<int> selectPhases(int n, const std::vector<bool>& labelled,
                              const data::PreprocessingPlan& plan) {
  std::vector<int> out;
  if (n <= 0) return out;
  switch (plan.phases) {
    case data::PhaseSelection::kAll:
      out.resize(static_cast<std::size_t>(n));
      std::iota(out.begin(), out.end(), 0);
      break;
    case data::PhaseSelection::kEdEs:
      for (int p = 0; p < n; ++p) {
        if (labelled[static_cast<std::size_t>(p)]) out.push_back(p);
      }
      if (out.empty()) {
        out.push_back(0);
        if (n / 2 > 0) out.push_back(n / 2);  // first + middle: ED and about ES
      }
      break;
    case data::PhaseSelection::kEven: {
      const int k = plan.phase_count;
      if (k <= 0 || k >= n) {
        out.resize(static_cast<std::size_t>(n));
        std::iota(out.begin(), out.end(), 0);
      } else {
        // Evenly spread, starting at phase 0: floor(i * n / k) is strictly increasing for k < n.
        for (int i = 0; i < k; ++i) out.push_back(static_cast<int>((i * static_cast<long>(n)) / k));
      }
      break;
    }
  }
  return out;
}

std::vector<std::uint8_t> resampledLabels(const LabelMap& map, const geometry::ImagePlane& plane,
                                          const data::TargetGrid& grid) {
  std::vector<float> values(map.values.begin(), map.values.end());
  const std::vector<float> out =
      data::resampleImage(values.data(), plane, grid, data::Interpolation::kNearest);
  std::vector<std::uint8_t> labels(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    labels[i] = static_cast<std::uint8_t>(std::lround(std::clamp(out[i], 0.0f, 255.0f)));
  }
  return labels;
}

}  // namespace

std::string fnv1aHex(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

nlohmann::json optionsJson(const PrepareOptions& options) {
  const curation::Options& c = options.curation;
  // Not the jobs: the output does not depend on them.
  return {{"plan_hash", options.plan.hash()},
          {"curation",
           {{"orientation_tolerance_deg", c.orientation_tolerance_deg},
            {"repeat_tolerance_mm", c.repeat_tolerance_mm},
            {"missing_gap_factor", c.missing_gap_factor},
            {"nonuniform_tolerance", c.nonuniform_tolerance},
            {"drift_tolerance_mm", c.drift_tolerance_mm},
            {"keep_latest_repeat", c.keep_latest_repeat}}},
          {"class_labels", options.class_labels.size()}};
}

StudyResult prepareStudy(const StudyInput& input, curation::PixelSource& pixels,
                         LabelSource* labels, const PrepareOptions& options) {
  const data::PreprocessingPlan& plan = options.plan;
  curation::Options curation_options = options.curation;
  curation_options.misalignment = false;
  static const std::unordered_map<std::string, std::string> kNoOverrides;
  const curation::StudyCuration study = curation::curateStudy(
      input.images, input.overrides != nullptr ? *input.overrides : kNoOverrides, curation_options,
      nullptr);

  StudyResult result;
  result.subject.id = input.patient_id;
  result.subject.study_uid = input.study_uid;
  result.subject.class_label = input.class_label;
  if (labels != nullptr) result.label_names = labels->labelNames();
  auto* keyed = dynamic_cast<KeyedPixelSource*>(&pixels);

  // Every kept plane on the prepared grid (heatmap targets need the other views' planes too).
  std::vector<int> subject_plane(study.planes.size(), -1);
  for (std::size_t p = 0; p < study.planes.size(); ++p) {
    const curation::Plane& plane = study.planes[p];
    if (!plane.kept) continue;
    data::SubjectPlane sp;
    sp.plane = data::resampledPlane(plane.geometry, plan.grid);
    sp.view = study.views[static_cast<std::size_t>(plane.series)].view;
    sp.stack = plane.stack;
    sp.slice_index = plane.slice_index;
    subject_plane[p] = static_cast<int>(result.subject.planes.size());
    result.subject.planes.push_back(std::move(sp));
  }

  for (std::size_t p = 0; p < study.planes.size(); ++p) {
    if (cancelled(options)) break;
    const curation::Plane& plane = study.planes[p];
    const std::string& view = study.views[static_cast<std::size_t>(plane.series)].view;
    if (!plane.kept || std::find(plan.views.begin(), plan.views.end(), view) == plan.views.end()) {
      continue;
    }
    const int n = static_cast<int>(plane.images.size());
    std::vector<bool> labelled(plane.images.size(), false);
    std::vector<int> labelled_phases;
    for (int k = 0; k < n && labels != nullptr; ++k) {
      labelled[static_cast<std::size_t>(k)] =
          labels->hasLabels(plane.images[static_cast<std::size_t>(k)]);
      if (labelled[static_cast<std::size_t>(k)]) labelled_phases.push_back(k);
    }
    const int slice_count =
        plane.stack >= 0 ? study.stacks[static_cast<std::size_t>(plane.stack)].slice_count : 0;
    const std::optional<double>& location = plan.location_mode == data::LocationMode::kPaper
                                                ? plane.relative_location_paper
                                                : plane.relative_location_anatomical;
    for (const int k : selectPhases(n, labelled, plan)) {
      const curation::PlaneImage& image = plane.images[static_cast<std::size_t>(k)];
      std::string key;
      std::optional<curation::PixelData> source =
          keyed != nullptr ? keyed->load(image, &key) : pixels.load(image);
      if (source && (source->rows != plane.geometry.rows || source->cols != plane.geometry.cols ||
                     source->values.size() != static_cast<std::size_t>(source->rows) *
                                                  static_cast<std::size_t>(source->cols))) {
        source.reset();
        key = "pixel_size_mismatch";
      }
      if (!source) {
        ++result.skipped_by_key[key.empty() ? "unreadable_image" : key];
        continue;
      }
      PreparedSample out;
      data::Sample& s = out.sample;
      s.plane = subject_plane[p];
      s.phase = k;
      s.phase_count = n;
      s.slice_count = slice_count;
      s.relative_location = location;
      s.sop_instance_uid = image.sop_instance_uid;
      s.frame_number = image.frame_number;
      if (input.ed_phase || input.es_phase) {
        const auto it = input.acquired_phase.find(image.instance_id);
        if (it != input.acquired_phase.end()) {
          s.ed = input.ed_phase && it->second == *input.ed_phase;
          s.es = input.es_phase && it->second == *input.es_phase;
        }
      } else if (labelled_phases.size() == 2) {
        s.ed = k == labelled_phases[0];
        s.es = k == labelled_phases[1];
      }
      out.image = data::preprocessImage(source->values, plane.geometry, plan);
      if (labelled[static_cast<std::size_t>(k)]) {
        const std::optional<LabelMap> map = labels->load(image);
        if (map && map->rows == plane.geometry.rows && map->cols == plane.geometry.cols &&
            map->values.size() ==
                static_cast<std::size_t>(map->rows) * static_cast<std::size_t>(map->cols)) {
          out.labels = resampledLabels(*map, plane.geometry, plan.grid);
          s.has_labels = true;
        } else {
          ++result.skipped_by_key[map ? "label_size_mismatch" : "unreadable_labels"];
        }
      }
      result.samples.push_back(std::move(out));
    }
  }
  return result;
}

PrepareSummary runStudies(std::size_t count, const std::function<StudyResult(std::size_t)>& work,
                          const std::string& out_folder, const PrepareOptions& options,
                          const nlohmann::json& source) {
  std::error_code ec;
  const bool folder_existed = fs::exists(out_folder, ec);
  auto writer = std::make_unique<data::DatasetWriter>(out_folder, options.plan, options.overwrite);

  int jobs = options.jobs > 0 ? options.jobs
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(jobs), std::max<std::size_t>(count, 1)));
  // Results may run this far ahead of the writer (bounds memory: a study's samples are held
  // until written).
  const std::size_t window = 2 * static_cast<std::size_t>(jobs);

  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::size_t, StudyResult> ready;
  std::size_t next_claim = 0;
  std::size_t next_write = 0;
  bool stop = false;
  std::exception_ptr error;

  auto worker = [&] {
    for (;;) {
      std::size_t index = 0;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop || next_claim < next_write + window; });
        if (stop || next_claim >= count) return;
        index = next_claim++;
      }
      if (cancelled(options)) return;
      try {
        StudyResult result = work(index);
        const std::lock_guard<std::mutex> lock(mutex);
        ready.emplace(index, std::move(result));
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs && count > 0; ++j) threads.emplace_back(worker);

  PrepareSummary summary;
  std::vector<std::string> label_names;
  std::unordered_map<std::string, std::uint8_t> label_index;
  Progress progress;
  progress.studies_total = static_cast<std::int64_t>(count);
  try {
    while (next_write < count) {
      StudyResult result;
      {
        std::unique_lock<std::mutex> lock(mutex);
        while (!stop && ready.count(next_write) == 0 && !cancelled(options)) {
          changed.wait_for(lock, std::chrono::milliseconds(50));
        }
        if (stop || cancelled(options)) break;
        result = std::move(ready.at(next_write));
        ready.erase(next_write);
      }
      // Label values of this study -> the dataset's, by name (first seen first).
      std::vector<std::uint8_t> remap(result.label_names.size(), 0);
      for (std::size_t v = 0; v < result.label_names.size(); ++v) {
        const std::string& name = result.label_names[v];
        auto it = label_index.find(name);
        if (it == label_index.end()) {
          if (label_names.size() >= 256) {
            throw std::runtime_error("[too_many_labels] more than 256 label names");
          }
          it = label_index.emplace(name, static_cast<std::uint8_t>(label_names.size())).first;
          label_names.push_back(name);
        }
        remap[v] = it->second;
      }
      std::vector<std::string> plane_views;
      for (const data::SubjectPlane& plane : result.subject.planes)
        plane_views.push_back(plane.view);
      const int subject = writer->addSubject(std::move(result.subject));
      ++summary.subjects;
      for (PreparedSample& s : result.samples) {
        for (std::uint8_t& v : s.labels) v = v < remap.size() ? remap[v] : 0;
        s.sample.subject = subject;
        if (s.sample.has_labels) ++summary.labelled_samples;
        ++summary.samples_by_view[plane_views[static_cast<std::size_t>(s.sample.plane)]];
        writer->addSample(s.sample, s.image, s.labels);
        ++summary.samples;
      }
      for (const auto& [key, n] : result.skipped_by_key) {
        summary.skipped_by_key[key] += n;
        summary.skipped_images += n;
      }
      {
        const std::lock_guard<std::mutex> lock(mutex);
        ++next_write;
      }
      changed.notify_all();
      progress.studies_done = static_cast<std::int64_t>(next_write);
      progress.samples = summary.samples;
      if (options.progress) options.progress(progress);
    }
  } catch (...) {
    {
      const std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (std::thread& t : threads) t.join();
    writer.reset();
    if (!folder_existed) fs::remove(out_folder, ec);  // only when empty
    throw;
  }
  {
    const std::lock_guard<std::mutex> lock(mutex);
    stop = true;
  }
  changed.notify_all();
  for (std::thread& t : threads) t.join();
  if (error || next_write < count) {
    writer.reset();  // removes its temporary files
    if (!folder_existed) fs::remove(out_folder, ec);
    if (error) std::rethrow_exception(error);
    summary.cancelled = true;
    return summary;
  }
  if (label_names.size() == 1 && label_names[0] == "background") label_names.clear();
  writer->setLabelNames(label_names);
  writer->setSource(source);
  writer->finish();
  return summary;
}

}  // namespace detail

namespace {

// Pixels and labels of the catalog source, per study, from the shared (thread-safe) sources.
struct CatalogStudy {
  catalog::StudyRef ref;
  std::vector<catalog::StudyImage> images;
};

}  // namespace

PrepareSummary prepareFromCatalog(const catalog::Catalog& catalog,
                                  const std::vector<std::int64_t>& studies,
                                  curation::PixelSource& pixels, LabelSource* labels,
                                  const std::string& out_folder, const PrepareOptions& options) {
  const std::vector<catalog::StudyRef> all = catalog.studies();
  if (!catalog.lastStatus().ok()) {
    throw std::runtime_error("[catalog_read_failed] " + catalog.lastStatus().message);
  }
  std::vector<CatalogStudy> selected;
  if (studies.empty()) {
    for (const catalog::StudyRef& ref : all) selected.push_back({ref, {}});
  } else {
    std::unordered_map<std::int64_t, const catalog::StudyRef*> by_id;
    for (const catalog::StudyRef& ref : all) by_id[ref.id] = &ref;
    for (const std::int64_t id : studies) {
      const auto it = by_id.find(id);
      if (it == by_id.end()) {
        throw std::runtime_error("[unknown_study] no study with id " + std::to_string(id) + " in " +
                                 catalog.path().string());
      }
      selected.push_back({*it->second, {}});
    }
  }
  const std::unordered_map<std::string, std::string> overrides = catalog.viewOverrides();
  // Snapshot: what the dataset was made of (every image and file of the selection, the view
  // corrections and the curation inputs): equal snapshots give equal datasets.
  std::string snapshot;
  for (CatalogStudy& s : selected) {
    s.images = catalog.studyImages(s.ref.id);
    if (!catalog.lastStatus().ok()) {
      throw std::runtime_error("[catalog_read_failed] " + catalog.lastStatus().message);
    }
    snapshot += s.ref.study_instance_uid + '\n';
    for (const catalog::StudyImage& m : s.images) {
      snapshot += m.sop_instance_uid + '/' + std::to_string(m.frame_number) + ' ' + m.file_path +
                  (m.file_missing ? " missing\n" : "\n");
    }
  }
  std::map<std::string, std::string> sorted_overrides(overrides.begin(), overrides.end());
  for (const auto& [series, view] : sorted_overrides) snapshot += series + '=' + view + '\n';
  const nlohmann::json options_json = detail::optionsJson(options);
  snapshot += options_json.dump();

  nlohmann::json source = {{"kind", "catalog"},
                           {"path", fs::absolute(catalog.path()).lexically_normal().string()},
                           {"snapshot", detail::fnv1aHex(snapshot)},
                           {"studies", selected.size()},
                           {"options", options_json}};
  auto work = [&](std::size_t index) {
    const CatalogStudy& s = selected[index];
    detail::StudyInput input;
    input.patient_id = s.ref.patient_id;
    input.study_uid = s.ref.study_instance_uid;
    const auto it = options.class_labels.find(s.ref.patient_id);
    if (it != options.class_labels.end()) input.class_label = it->second;
    input.images = s.images;
    input.overrides = &overrides;
    return detail::prepareStudy(input, pixels, labels, options);
  };
  return detail::runStudies(selected.size(), work, out_folder, options, source);
}

}  // namespace planelab::prepare
