#include "dicom/study_writer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "dicom/deterministic_uid.h"
#include "dicom/mr_image_writer.h"
#include "dicom/segmentation_writer.h"

namespace planelab::dicom {

namespace {

using Json = nlohmann::ordered_json;  // keeps the insertion order: readable and deterministic

Json vec(const geometry::Vec3& v) {
  return Json::array({v.x, v.y, v.z});
}

std::string labelsName(phantom::StudyOptions::Labels labels) {
  switch (labels) {
    case phantom::StudyOptions::Labels::kEdEs:
      return "ed-es";
    case phantom::StudyOptions::Labels::kAll:
      return "all";
    case phantom::StudyOptions::Labels::kNone:
      return "none";
  }
  return "none";
}

Json cardiacTruthJson(const phantom::CardiacTruth& t) {
  Json j;
  j["group"] = t.group;
  j["lv_edv_ml"] = t.lv_edv_ml;
  j["lv_esv_ml"] = t.lv_esv_ml;
  j["lv_ef"] = t.lv_ef;
  j["lv_myocardial_volume_ml"] = t.lv_myocardial_volume_ml;
  j["lv_mass_g"] = t.lv_mass_g;
  j["rv_edv_ml"] = t.rv_edv_ml;
  j["rv_esv_ml"] = t.rv_esv_ml;
  j["wall_thickness_ed_mm"] = t.wall_thickness_ed_mm;
  j["wall_thickness_es_mm"] = t.wall_thickness_es_mm;
  j["ed_phase"] = t.ed_phase;
  j["es_phase"] = t.es_phase;
  j["mitral_centre_mm"] = vec(t.mitral_centre_mm);
  j["apex_mm"] = vec(t.apex_mm);
  j["aortic_valve_mm"] = vec(t.aortic_valve_mm);
  j["true_long_axis"] = vec(t.true_long_axis);
  j["planned_long_axis"] = vec(t.planned_long_axis);
  j["septal_direction"] = vec(t.septal_direction);
  j["lv_volume_per_phase_ml"] = t.lv_volume_per_phase_ml;
  return j;
}

Json kneeTruthJson(const phantom::KneeTruth& t) {
  Json j;
  j["side"] = t.side;
  j["scale"] = t.scale;
  j["flexion_deg"] = t.flexion_deg;
  j["external_rotation_deg"] = t.external_rotation_deg;
  j["varus_valgus_deg"] = t.varus_valgus_deg;
  j["cartilage_thickness_mm"] = t.cartilage_thickness_mm;
  j["origin_mm"] = vec(t.origin_mm);
  j["medial_lateral_axis"] = vec(t.medial_lateral_axis);
  j["anterior_posterior_axis"] = vec(t.anterior_posterior_axis);
  j["distal_proximal_axis"] = vec(t.distal_proximal_axis);
  return j;
}

Json acquisitionJson(const phantom::AcquisitionParameters& a) {
  Json j;
  j["patient_position"] = a.patient_position;
  j["body_part"] = a.body_part;
  j["laterality"] = a.laterality;
  j["scanning_sequence"] = a.scanning_sequence;
  j["sequence_variant"] = a.sequence_variant;
  j["scan_options"] = a.scan_options;
  j["sequence_name"] = a.sequence_name;
  j["repetition_time_ms"] = a.repetition_time_ms;
  j["echo_time_ms"] = a.echo_time_ms;
  j["flip_angle_deg"] = a.flip_angle_deg;
  j["field_strength_t"] = a.field_strength_t;
  j["echo_train_length"] = a.echo_train_length;
  j["heart_rate_bpm"] = a.heart_rate_bpm;
  j["nominal_interval_ms"] = a.nominal_interval_ms;
  return j;
}

struct Task {
  int series = 0;
  int slice = 0;
  int phase = 0;
  int label_slot = -1;  // index into the series' LabelledImage vector, -1 = labels not exported
};

// Writes text to file via "<file>.tmp" + rename.
WriteStatus writeTextFile(const std::filesystem::path& file, const std::string& text,
                          std::uint64_t& bytes) {
  std::filesystem::path tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return WriteStatus::failure("write_failed", "cannot write " + file.string());
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec)
    return WriteStatus::failure("write_failed",
                                "cannot rename " + tmp.string() + ": " + ec.message());
  bytes = text.size();
  return {};
}

}  // namespace

std::vector<int> labelledPhases(const phantom::PhantomStudy& study,
                                const phantom::SeriesPlan& series, const phantom::SlicePlan& slice,
                                phantom::StudyOptions::Labels labels) {
  if (!series.labelled || labels == phantom::StudyOptions::Labels::kNone) return {};
  std::vector<int> phases = slice.phases;
  if (labels == phantom::StudyOptions::Labels::kEdEs && series.gated && study.cardiac_truth) {
    const int ed = study.cardiac_truth->ed_phase;
    const int es = study.cardiac_truth->es_phase;
    phases.erase(
        std::remove_if(phases.begin(), phases.end(), [&](int p) { return p != ed && p != es; }),
        phases.end());
  }
  std::sort(phases.begin(), phases.end());
  phases.erase(std::unique(phases.begin(), phases.end()), phases.end());
  return phases;
}

std::filesystem::path imagePath(const phantom::SeriesPlan& series, int slice, int phase) {
  return std::filesystem::path(series.folder) / imageFileName(series, slice, phase);
}

std::filesystem::path segmentationPath(const phantom::SeriesPlan& series) {
  return std::filesystem::path("labels") / series.folder / "seg.dcm";
}

std::string studyTruthJson(const phantom::PhantomStudy& study,
                           phantom::StudyOptions::Labels labels) {
  Json j;
  j["generator"] = "PlaneLab phantom";
  j["organ"] = phantom::organName(study.organ);
  j["layout"] = phantom::layoutName(study.layout);
  j["level"] = phantom::levelName(study.level);
  Json knobs = Json::object();
  for (const auto& [name, value] : phantom::knobValues(study.knobs)) knobs[name] = value;
  j["knobs"] = knobs;
  j["seed"] = study.seed;
  j["subject_index"] = study.subject_index;
  j["labels"] = labelsName(labels);
  j["patient"] = {{"id", study.patient.id},
                  {"name", study.patient.name},
                  {"sex", study.patient.sex},
                  {"age_years", study.patient.age_years},
                  {"weight_kg", study.patient.weight_kg}};
  j["acquisition"] = acquisitionJson(study.acquisition);
  j["appearance"] = {{"noise_sigma", study.appearance.noise_sigma},
                     {"gain", study.appearance.gain},
                     {"bits_stored", study.appearance.bits_stored}};
  j["study_instance_uid"] = studyInstanceUid(study);
  j["frame_of_reference_uid"] = frameOfReferenceUid(study);
  j["cardiac_truth"] = study.cardiac_truth ? cardiacTruthJson(*study.cardiac_truth) : Json();
  j["knee_truth"] = study.knee_truth ? kneeTruthJson(*study.knee_truth) : Json();
  j["label_names"] = study.label_names;
  Json markers = Json::array();
  for (const phantom::Marker& m : study.markers) {
    markers.push_back({{"name", m.name},
                       {"centre_mm", vec(m.centre_mm)},
                       {"radius_mm", m.radius_mm},
                       {"tissue", static_cast<int>(m.tissue)}});
  }
  j["markers"] = markers;

  Json series_list = Json::array();
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    const phantom::SeriesPlan& series = study.series[s];
    const int si = static_cast<int>(s);
    Json js;
    js["index"] = si;
    js["view"] = series.view;
    js["description"] = series.description;
    js["folder"] = series.folder;
    js["series_number"] = series.series_number;
    js["series_instance_uid"] = seriesInstanceUid(study, si);
    js["gated"] = series.gated;
    js["phase_count"] = series.phase_count;
    js["trigger_times_ms"] = series.trigger_times_ms;
    js["slice_thickness_mm"] = series.slice_thickness_mm;
    js["spacing_between_slices_mm"] = series.spacing_between_slices_mm;
    js["phase_fraction"] = series.phase_fraction;
    js["readout_fraction"] = series.readout_fraction;
    js["phase_encoding_direction"] = series.phase_encoding_along_rows ? "ROW" : "COL";
    js["acquisition_offset_s"] = series.acquisition_offset_s;
    js["labelled"] = series.labelled;
    bool has_labels = false;
    Json slices = Json::array();
    for (std::size_t k = 0; k < series.slices.size(); ++k) {
      const phantom::SlicePlan& slice = series.slices[k];
      const geometry::ImagePlane& p = slice.plane;
      const std::vector<int> lp = labelledPhases(study, series, slice, labels);
      has_labels = has_labels || !lp.empty();
      Json jk;
      jk["index"] = static_cast<int>(k);
      jk["image_position_patient"] = vec(p.position_mm);
      jk["image_orientation_patient"] = Json::array(
          {p.row_dir.x, p.row_dir.y, p.row_dir.z, p.col_dir.x, p.col_dir.y, p.col_dir.z});
      jk["pixel_spacing"] = Json::array({p.row_spacing_mm, p.col_spacing_mm});
      jk["rows"] = p.rows;
      jk["cols"] = p.cols;
      jk["slice_location"] = geometry::dot(p.normal(), p.position_mm);
      jk["breath_hold_shift_mm"] = vec(slice.breath_hold_shift_mm);
      jk["phases"] = slice.phases;
      jk["labelled_phases"] = lp;
      Json images = Json::array();
      for (const int phase : slice.phases) {
        images.push_back(
            {{"phase", phase},
             {"instance_number", instanceNumber(series, static_cast<int>(k), phase)},
             {"file", imagePath(series, static_cast<int>(k), phase).generic_string()},
             {"sop_instance_uid", imageSopInstanceUid(study, si, static_cast<int>(k), phase)}});
      }
      jk["images"] = images;
      slices.push_back(jk);
    }
    js["slices"] = slices;
    if (has_labels) {
      // One SEG instance per matrix size, in order of the first slice (as writeSegmentation).
      std::vector<std::pair<int, int>> sizes;
      for (const phantom::SlicePlan& slice : series.slices) {
        if (labelledPhases(study, series, slice, labels).empty()) continue;
        const std::pair<int, int> size{slice.plane.rows, slice.plane.cols};
        if (std::find(sizes.begin(), sizes.end(), size) == sizes.end()) sizes.push_back(size);
      }
      Json instances = Json::array();
      for (std::size_t g = 0; g < sizes.size(); ++g) {
        std::filesystem::path file = segmentationPath(series);
        if (g > 0) file.replace_filename("seg-" + std::to_string(g + 1) + ".dcm");
        instances.push_back(
            {{"file", file.generic_string()},
             {"sop_instance_uid", segmentationSopInstanceUid(study, si, static_cast<int>(g + 1))},
             {"rows", sizes[g].first},
             {"cols", sizes[g].second}});
      }
      js["segmentation"] = {{"series_instance_uid", segmentationSeriesUid(study, si)},
                            {"series_number", segmentationSeriesNumber(series.series_number)},
                            {"instances", instances}};
    } else {
      js["segmentation"] = Json();
    }
    series_list.push_back(js);
  }
  j["series"] = series_list;
  return j.dump(2) + "\n";
}

int progressUnits(const phantom::PhantomStudy& study, phantom::StudyOptions::Labels labels) {
  int units = 0;
  for (const phantom::SeriesPlan& series : study.series) {
    bool labelled = false;
    for (const phantom::SlicePlan& slice : series.slices) {
      units += static_cast<int>(slice.phases.size());
      labelled = labelled || !labelledPhases(study, series, slice, labels).empty();
    }
    units += labelled ? 1 : 0;
  }
  return units;
}

StudyWriteSummary writeStudy(const phantom::PhantomStudy& study,
                             const std::filesystem::path& subject_dir,
                             const phantom::RenderSettings& settings,
                             phantom::StudyOptions::Labels labels, int threads,
                             const std::function<bool(int done, int total)>& progress,
                             const std::filesystem::path& truth_file) {
  const auto start = std::chrono::steady_clock::now();
  StudyWriteSummary summary;
  auto finish = [&]() -> StudyWriteSummary {
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
  };
  try {
    // Task list in plan order; label slots per series.
    std::vector<Task> tasks;
    std::vector<std::vector<LabelledImage>> label_store(study.series.size());
    for (std::size_t s = 0; s < study.series.size(); ++s) {
      const phantom::SeriesPlan& series = study.series[s];
      for (std::size_t k = 0; k < series.slices.size(); ++k) {
        const std::vector<int> lp = labelledPhases(study, series, series.slices[k], labels);
        for (const int phase : series.slices[k].phases) {
          Task t{static_cast<int>(s), static_cast<int>(k), phase, -1};
          if (std::binary_search(lp.begin(), lp.end(), phase)) {
            t.label_slot = static_cast<int>(label_store[s].size());
            label_store[s].push_back(LabelledImage{t.slice, phase, {}});
          }
          tasks.push_back(t);
        }
      }
    }
    const int total = progressUnits(study, labels);

    // Folders.
    for (std::size_t s = 0; s < study.series.size(); ++s) {
      std::error_code ec;
      std::filesystem::create_directories(subject_dir / study.series[s].folder, ec);
      if (!ec && !label_store[s].empty()) {
        std::filesystem::create_directories(
            subject_dir / segmentationPath(study.series[s]).parent_path(), ec);
      }
      if (ec) {
        summary.status = WriteStatus::failure(
            "cannot_create_folder",
            "cannot create folder under " + subject_dir.string() + ": " + ec.message());
        return finish();
      }
    }

    // Parallel render + write. Each task owns its file and its label slot, so no ordering
    // between workers is needed and the bytes do not depend on the thread count.
    std::atomic<std::size_t> next{0};
    std::atomic<int> done{0};
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> bytes{0};
    std::mutex mutex;
    std::condition_variable cv;
    WriteStatus first_error;

    auto worker = [&]() {
      for (;;) {
        if (stop.load()) return;
        const std::size_t i = next.fetch_add(1);
        if (i >= tasks.size()) return;
        const Task& t = tasks[i];
        WriteStatus status;
        try {
          phantom::RenderSettings task_settings = settings;
          task_settings.labels = t.label_slot >= 0;
          phantom::RenderedImage image;
          try {
            image = phantom::renderImage(study, t.series, t.slice, t.phase, task_settings);
          } catch (const std::exception& e) {
            status = WriteStatus::failure("render_failed", e.what());
          }
          if (status.ok()) {
            const phantom::SeriesPlan& series = study.series[static_cast<std::size_t>(t.series)];
            const ImageWriteResult r =
                writeMrImage(study, t.series, t.slice, t.phase, image,
                             subject_dir / imagePath(series, t.slice, t.phase));
            status = r.status;
            if (status.ok()) {
              bytes.fetch_add(r.bytes);
              if (t.label_slot >= 0) {
                if (image.labels.size() != image.pixels.size()) {
                  status = WriteStatus::failure("render_failed", "renderer returned no labels");
                } else {
                  label_store[static_cast<std::size_t>(t.series)]
                             [static_cast<std::size_t>(t.label_slot)]
                                 .labels = std::move(image.labels);
                }
              }
            }
          }
        } catch (const std::exception& e) {
          status = WriteStatus::failure("internal_error", e.what());
        }
        {
          std::lock_guard<std::mutex> lock(mutex);
          if (!status.ok()) {
            if (first_error.ok()) first_error = status;
            stop.store(true);
          } else {
            done.fetch_add(1);
          }
        }
        cv.notify_all();
      }
    };

    // Initial report (0 done) before any work, so a caller can cancel before the first image.
    if (progress && !progress(0, total)) {
      summary.cancelled = true;
      return finish();
    }

    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const int n_threads = std::clamp(threads <= 0 ? static_cast<int>(hw) : threads, 1,
                                     std::max(1, static_cast<int>(tasks.size())));
    std::vector<std::thread> pool;
    // If anything below throws (thread creation, the progress callback), stop and join the
    // workers before the exception leaves this scope (a joinable std::thread would terminate).
    struct JoinOnExit {
      std::vector<std::thread>& threads;
      std::atomic<bool>& stop_flag;
      ~JoinOnExit() {
        stop_flag.store(true);
        for (std::thread& t : threads) {
          if (t.joinable()) t.join();
        }
      }
    } join_on_exit{pool, stop};
    pool.reserve(static_cast<std::size_t>(n_threads));
    for (int i = 0; i < n_threads; ++i) pool.emplace_back(worker);

    // The calling thread reports progress until the workers are done or stopped.
    int reported = 0;
    {
      std::unique_lock<std::mutex> lock(mutex);
      while (!stop.load() && done.load() < static_cast<int>(tasks.size())) {
        cv.wait_for(lock, std::chrono::milliseconds(100));
        const int d = done.load();
        if (progress && d != reported) {
          reported = d;
          lock.unlock();
          const bool go_on = progress(d, total);
          lock.lock();
          if (!go_on) {
            summary.cancelled = true;
            stop.store(true);
          }
        }
      }
    }
    for (std::thread& t : pool) t.join();
    pool.clear();
    summary.images_written = done.load();
    summary.bytes = bytes.load();
    if (!first_error.ok()) {
      summary.status = first_error;
      return finish();
    }
    if (summary.cancelled) return finish();
    if (progress && reported != summary.images_written) {
      if (!progress(summary.images_written, total)) {
        summary.cancelled = true;
        return finish();
      }
    }

    // Ground-truth SEGs, one per labelled series (cheap: bit packing), on this thread.
    int completed = summary.images_written;
    for (std::size_t s = 0; s < study.series.size(); ++s) {
      if (label_store[s].empty()) continue;
      const SegmentationWriteResult r =
          writeSegmentation(study, static_cast<int>(s), label_store[s],
                            subject_dir / segmentationPath(study.series[s]));
      if (!r.ok()) {
        summary.status = r.status;
        return finish();
      }
      summary.seg_files += static_cast<int>(r.files.size());
      summary.bytes += r.bytes;
      label_store[s].clear();
      label_store[s].shrink_to_fit();
      ++completed;
      if (progress && !progress(completed, total)) {
        summary.cancelled = true;
        return finish();
      }
    }

    // truth.json last: a subject with its truth file is complete.
    const std::filesystem::path truth =
        truth_file.empty() ? subject_dir / "truth.json" : truth_file;
    std::error_code ec;
    std::filesystem::create_directories(truth.parent_path(), ec);
    std::uint64_t truth_bytes = 0;
    summary.status = writeTextFile(truth, studyTruthJson(study, labels), truth_bytes);
    summary.bytes += truth_bytes;
  } catch (const std::exception& e) {
    summary.status = WriteStatus::failure("internal_error", e.what());
  }
  return finish();
}

}  // namespace planelab::dicom
