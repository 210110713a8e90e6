#include "app/cli/interop_command.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "app/cli/cli_common.h"
#include "app/cli/progress_bar.h"
#include "curation/study_curation.h"
#include "data/splits.h"
#include "dicom/segmentation_writer.h"
#include "import/importer.h"
#include "nifti/nifti_file.h"
#include "nifti/stack_volume.h"
#include "sources/dicom_sources.h"
#include "sources/series_volume.h"

namespace planelab::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

// A volume on a stack grid with `phases` phases: values(i) is image i's rows x cols map, placed at
// the slice and phase where grid.images holds i. Stored as int16 when exact, else as `type`.
nifti::Volume stackVolume(const sources::SeriesVolume& grid, int phases,
                          const std::function<std::vector<float>(std::size_t image)>& values,
                          nifti::DataType type, const std::string& description) {
  nifti::Volume v;
  const auto& layout = grid.layout;
  v.dim = {layout.cols, layout.rows, static_cast<int>(grid.images.size()), phases};
  v.affine = layout.affine;
  v.description = description;
  const std::size_t slice = static_cast<std::size_t>(layout.rows) * layout.cols;
  v.values.resize(v.voxels());
  for (int t = 0; t < phases; ++t) {
    for (std::size_t k = 0; k < grid.images.size(); ++k) {
      const auto map = values(grid.images[k][static_cast<std::size_t>(t)]);
      std::copy(
          map.begin(), map.end(),
          v.values.begin() + static_cast<std::ptrdiff_t>(
                                 (static_cast<std::size_t>(t) * grid.images.size() + k) * slice));
    }
  }
  v.type = type == nifti::DataType::kFloat32 ? nifti::exactType(v.values) : type;
  return v;
}

dicom::SegmentationSourceFrame sourceFrame(const catalog::StudyImage& image, int temporal,
                                           std::vector<std::uint8_t> labels) {
  dicom::SegmentationSourceFrame f;
  f.sop_class_uid = image.sop_class_uid.empty() ? kMrImageStorage : image.sop_class_uid;
  f.sop_instance_uid = image.sop_instance_uid;
  f.series_instance_uid = image.series_instance_uid;
  f.frame_number = image.frame_number;
  f.plane = sources::planeOf(image);
  f.temporal_position = temporal;
  f.labels = std::move(labels);
  return f;
}

dicom::SegmentationWriteResult writeSeg(const dicom::DerivedSegmentation& spec,
                                        const std::vector<dicom::SegmentationSourceFrame>& frames,
                                        const fs::path& file) {
  auto result = dicom::writeDerivedSegmentation(spec, frames, file);
  if (!result.ok())
    throw std::runtime_error("[" + result.status.error_key + "] " + result.status.message);
  return result;
}

std::vector<std::uint8_t> toLabels(const std::vector<float>& values) {
  std::vector<std::uint8_t> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const float v = values[i];
    if (v < 0.0f || v > 255.0f || v != std::floor(v)) {
      throw std::runtime_error("[invalid_label_values] label volumes hold integers 0..255, found " +
                               std::to_string(v));
    }
    out[i] = static_cast<std::uint8_t>(v);
  }
  return out;
}

// ---------------------------------------------------------------- import-labels

struct ImportLabelsArgs {
  std::string catalog, volume, study, series, names, out;
  std::optional<int> phase;
  double tolerance_mm = 0.5;
  bool json = false;
};

int importLabelsVerb(const ImportLabelsArgs& a) {
  int exit_code = kExitOk;
  auto cat = openOrReport(a.catalog, &exit_code);
  if (!cat) return exit_code;
  try {
    const auto studies = cat->studies(a.study);
    if (studies.empty())
      throw std::runtime_error("[unknown_study] no study " + a.study + " in " + a.catalog);
    const nifti::Volume volume = nifti::readVolume(a.volume);
    if (volume.dim[3] != 1) {
      throw std::runtime_error("[unsupported_nifti] a label volume is 3-D (one phase); " +
                               a.volume + " has " + std::to_string(volume.dim[3]) + " time points");
    }
    const std::vector<std::uint8_t> all_labels = toLabels(volume.values);
    const int max_label = *std::max_element(all_labels.begin(), all_labels.end());
    std::vector<std::string> names{"background"};
    if (!a.names.empty()) {
      names.clear();
      std::string item;
      for (const char c : a.names + ",") {
        if (c == ',') {
          names.push_back(item);
          item.clear();
        } else {
          item += c;
        }
      }
      if (static_cast<int>(names.size()) <= max_label) {
        throw std::runtime_error(
            "[invalid_label_names] --names gives " + std::to_string(names.size()) +
            " names (background first) but the volume holds label " + std::to_string(max_label));
      }
    } else {
      for (int v = 1; v <= max_label; ++v) names.push_back("label " + std::to_string(v));
    }

    // Candidate images: the study's image planes (optionally one series), geometry required.
    std::vector<catalog::StudyImage> images;
    for (auto& image : cat->studyImages(studies.front().id)) {
      if (image.modality == "SEG" || image.file_missing || !image.image_position_patient ||
          !image.image_orientation_patient || !image.pixel_spacing)
        continue;
      if (!a.series.empty() && image.series_instance_uid != a.series) continue;
      images.push_back(std::move(image));
    }
    std::vector<const catalog::StudyImage*> pointers;
    for (const auto& image : images) pointers.push_back(&image);
    const std::vector<int> phase = sources::phaseIndices(pointers);

    // Place every image in the volume; keep the slice axis most images lie across.
    struct Match {
      std::size_t image;
      nifti::PlaneInVolume place;
    };
    std::vector<Match> matches;
    double closest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < images.size(); ++i) {
      double residual = 0.0;
      const auto place =
          nifti::placePlane(volume, sources::planeOf(images[i]), a.tolerance_mm, &residual);
      closest = std::min(closest, residual);
      if (place) matches.push_back({i, *place});
    }
    if (matches.empty()) {
      throw std::runtime_error(
          "[label_geometry_mismatch] no image of study " + a.study +
          " lies on the label volume's voxel grid (closest " +
          (std::isfinite(closest) ? std::to_string(closest) + " mm off" : "image not aligned") +
          ", tolerance " + std::to_string(a.tolerance_mm) + " mm)");
    }
    int axis_count[3] = {0, 0, 0};
    for (const Match& m : matches) ++axis_count[m.place.slice_axis];
    const int axis = static_cast<int>(std::max_element(axis_count, axis_count + 3) - axis_count);
    std::map<int, std::vector<const Match*>> by_slice;  // volume slice -> images lying on it
    for (const Match& m : matches) {
      if (m.place.slice_axis == axis)
        by_slice[m.place.origin[static_cast<std::size_t>(axis)]].push_back(&m);
    }
    const int slices = volume.dim[static_cast<std::size_t>(axis)];
    std::vector<int> unmatched;
    for (int s = 0; s < slices; ++s)
      if (!by_slice.count(s)) unmatched.push_back(s);
    if (!unmatched.empty()) {
      throw std::runtime_error("[label_geometry_mismatch] " + std::to_string(unmatched.size()) +
                               " of " + std::to_string(slices) +
                               " volume slices (first: " + std::to_string(unmatched.front()) +
                               ") have no image of the study on them");
    }
    std::vector<dicom::SegmentationSourceFrame> frames;
    int phases_seen = 1;
    for (const auto& [s, members] : by_slice) {
      phases_seen = std::max(phases_seen, static_cast<int>(members.size()));
      const Match* chosen = nullptr;
      if (a.phase) {
        for (const Match* m : members)
          if (phase[m->image] == *a.phase - 1) chosen = m;
        if (chosen == nullptr) {
          throw std::runtime_error("[label_geometry_mismatch] volume slice " + std::to_string(s) +
                                   " has no image at phase " + std::to_string(*a.phase));
        }
      } else if (members.size() == 1) {
        chosen = members.front();
      } else {
        throw std::runtime_error("[phase_required] " + std::to_string(members.size()) +
                                 " images (cine phases) lie on volume slice " + std::to_string(s) +
                                 "; choose one with --phase N (1-based, in trigger-time order)");
      }
      const catalog::StudyImage& image = images[chosen->image];
      const bool gated = members.size() > 1;
      frames.push_back(sourceFrame(
          image, gated ? phase[chosen->image] + 1 : 0,
          toLabels(nifti::valuesOnPlane(volume, chosen->place, image.rows, image.cols))));
    }
    const catalog::StudyImage& first = images[by_slice.begin()->second.front()->image];
    dicom::DerivedSegmentation spec;
    spec.reference_image = first.file_path;
    spec.source_series_uid = first.series_instance_uid;
    spec.source_series_number = first.series_number;
    spec.series_description = "Labels " + fs::path(a.volume).filename().string();
    spec.label_names = names;
    spec.content_label = "LABELS";
    spec.content_description = "Imported from " + fs::path(a.volume).filename().string();
    spec.slice_thickness_mm = first.slice_thickness_mm;
    fs::path out = a.out;
    if (out.empty()) {
      std::string stem = fs::path(a.volume).filename().string();
      for (const char* ext : {".gz", ".nii"})
        if (stem.size() > std::strlen(ext) && stem.substr(stem.size() - std::strlen(ext)) == ext)
          stem.resize(stem.size() - std::strlen(ext));
      out = fs::path(a.catalog + ".labels") / (stem + ".dcm");
    }
    if (!out.parent_path().empty()) fs::create_directories(out.parent_path());
    const auto written = writeSeg(spec, frames, out);
    cat.reset();  // the importer opens the catalog for writing
    import::ImportOptions options;
    options.jobs = 1;
    std::vector<fs::path> inputs(written.files.begin(), written.files.end());
    const auto summary = import::importIntoCatalog(a.catalog, inputs, options, nullptr);
    if (!summary.ok()) {
      throw std::runtime_error("[" + summary.status.error_key + "] " + summary.status.message);
    }
    nlohmann::json report{{"volume", a.volume},
                          {"study_instance_uid", a.study},
                          {"series_instance_uid", first.series_instance_uid},
                          {"slice_axis", axis},
                          {"slices", slices},
                          {"phases_at_each_slice", phases_seen},
                          {"label_names", names},
                          {"segmentation", out.string()},
                          {"frames", written.frames},
                          {"imported_files", summary.files_read}};
    if (a.json) {
      std::printf("%s\n", report.dump(2).c_str());
    } else {
      std::printf(
          "matched %d volume slices to images of series %s; wrote %s (%d frames) and added "
          "it to the catalog\n",
          slices, first.series_instance_uid.c_str(), out.string().c_str(), written.frames);
    }
    return kExitOk;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitFailed;
  }
}

// ---------------------------------------------------------------- nnunet

struct NnunetArgs {
  std::string catalog, out, name = "PlaneLab", split, view = "sax";
  int dataset_id = 501;
  int jobs = 0;  // worker threads; 0 = all cores
  double test_fraction = 0.2;
  std::uint64_t seed = 1;
  bool overwrite = false;
  bool json = false;
};

std::string caseToken(const std::string& text) {
  std::string out;
  for (const char c : text)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '-';
  return out.empty() ? "x" : out;
}

int nnunetVerb(const NnunetArgs& a) {
  int exit_code = kExitOk;
  auto cat = openOrReport(a.catalog, &exit_code);
  if (!cat) return exit_code;
  InterruptGuard interrupt;
  char folder_name[64];
  std::snprintf(folder_name, sizeof folder_name, "Dataset%03d_", a.dataset_id);
  const fs::path folder = fs::path(a.out) / (folder_name + caseToken(a.name));
  const fs::path partial = folder.string() + ".partial";
  try {
    if (a.dataset_id < 1 || a.dataset_id > 999) {
      throw std::invalid_argument(
          "[invalid_argument] --dataset-id is 1..999 (nnU-Net's three digits)");
    }
    if (fs::exists(folder) && !a.overwrite) {
      spdlog::error("[output_exists] {} exists (--overwrite replaces it)", folder.string());
      return kExitRefused;
    }
    std::vector<std::int64_t> study_ids;
    std::map<std::int64_t, std::string> patient_of;
    for (const auto& s : cat->studies()) {
      study_ids.push_back(s.id);
      patient_of[s.id] = s.patient_id;
    }
    sources::DicomLabels labels(*cat, study_ids);
    sources::DicomPixels pixels;
    const std::vector<std::string> names = labels.labelNames();
    if (names.size() < 2)
      throw std::runtime_error(
          "[no_labels] the catalog has no labelled images (import DICOM SEG or use import-labels)");

    // Cases: each labelled cine phase of each stack (curation's parallel stacks, which may span
    // series), when every kept slice of that phase is labelled.
    struct Case {
      std::string id, patient, study_uid, series_uid;
      int phase = 0;
      std::vector<const catalog::StudyImage*> slices;
    };
    std::vector<std::vector<catalog::StudyImage>> kept_images;  // owns what cases point to
    std::vector<Case> cases;
    std::map<std::string, std::int64_t> skipped;
    curation::Options curation_options;
    curation_options.misalignment = false;
    for (const auto& study : cat->studies()) {
      std::vector<catalog::StudyImage> images;
      for (auto& image : cat->studyImages(study.id))
        if (image.modality != "SEG" && !image.file_missing) images.push_back(std::move(image));
      kept_images.push_back(std::move(images));
      const auto& study_images = kept_images.back();
      std::unordered_map<std::int64_t, const catalog::StudyImage*> by_id;
      for (const auto& image : study_images) by_id[image.instance_id] = &image;
      const curation::StudyCuration curated =
          curation::curateStudy(study_images, {}, curation_options, nullptr);
      for (std::size_t st = 0; st < curated.stacks.size(); ++st) {
        const curation::Stack& stack = curated.stacks[st];
        if (stack.view != a.view) continue;
        std::vector<const curation::Plane*> planes;
        std::size_t phases = std::numeric_limits<std::size_t>::max();
        for (const int p : stack.planes) {
          const curation::Plane& plane = curated.planes[static_cast<std::size_t>(p)];
          if (!plane.kept) continue;
          planes.push_back(&plane);
          phases = std::min(phases, plane.images.size());
        }
        if (planes.empty()) continue;
        for (std::size_t t = 0; t < phases; ++t) {
          Case c;
          c.patient = study.patient_id;
          c.study_uid = study.study_instance_uid;
          c.phase = static_cast<int>(t);
          int labelled = 0;
          for (const curation::Plane* plane : planes) {
            const catalog::StudyImage* image = by_id.at(plane->images[t].instance_id);
            c.slices.push_back(image);
            labelled += labels.hasLabels(sources::planeImageOf(*image)) ? 1 : 0;
          }
          if (labelled == 0) continue;
          if (labelled < static_cast<int>(c.slices.size())) {
            ++skipped["partially_labelled"];
            continue;
          }
          c.series_uid = c.slices.front()->series_instance_uid;
          char suffix[64];
          std::snprintf(suffix, sizeof suffix, "_%s%zu_f%02zu",
                        stack.view.empty() ? "stack" : stack.view.c_str(), st + 1, t + 1);
          c.id = caseToken(study.patient_id) + suffix;
          cases.push_back(std::move(c));
        }
      }
    }
    if (cases.empty()) {
      throw std::runtime_error("[no_labels] no '" + a.view +
                               "' stack has a fully labelled phase (--view chooses the view: sax, "
                               "2ch, 3ch, 4ch; sag, cor, ax for knees)");
    }
    // Unique case ids (a patient with two studies).
    std::map<std::string, int> seen_ids;
    for (auto& c : cases) {
      const int n = seen_ids[c.id]++;
      if (n > 0) c.id += "-" + std::to_string(n + 1);
    }

    // Test subjects: a PlaneLab split (so nnU-Net is tested on the same subjects) or a new draw.
    std::vector<std::string> patients;
    for (const auto& c : cases) patients.push_back(c.patient);
    std::sort(patients.begin(), patients.end());
    patients.erase(std::unique(patients.begin(), patients.end()), patients.end());
    std::set<std::string> test;
    if (!a.split.empty()) {
      std::ifstream in(a.split);
      if (!in) throw std::runtime_error("[cannot_read_split] " + a.split);
      const auto split = data::SplitFile::fromJson(nlohmann::json::parse(in));
      test.insert(split.test.begin(), split.test.end());
    } else if (a.test_fraction > 0.0) {
      data::SplitOptions options;
      options.val_fraction = 0.0;
      options.test_fraction = a.test_fraction;
      options.seed = a.seed;
      const auto split = data::makeSplit(patients, {}, options);
      test.insert(split.test.begin(), split.test.end());
    }

    fs::remove_all(partial);
    for (const char* sub : {"imagesTr", "labelsTr", "imagesTs", "labelsTs"})
      fs::create_directories(partial / sub);
    nlohmann::json provenance = nlohmann::json::array();
    int training = 0, testing = 0;
    // One case per task on `jobs` workers (pixel and label sources are thread-safe); each gives
    // its provenance, or the key it was skipped for (a stack that is not regular).
    struct CaseResult {
      nlohmann::json provenance;
      std::string skipped_key;
    };
    auto writeCase = [&](const Case& c, bool is_test) {
      const std::string part = is_test ? "Ts" : "Tr";
      std::vector<geometry::ImagePlane> planes;
      for (const auto* image : c.slices) planes.push_back(sources::planeOf(*image));
      sources::SeriesVolume one_phase;
      try {
        one_phase.layout =
            nifti::stackLayout(planes, c.slices.front()->slice_thickness_mm.value_or(1.0));
      } catch (const std::runtime_error& e) {
        spdlog::warn("case {} skipped: {}", c.id, e.what());
        return CaseResult{nullptr, errorKey(e.what(), "not_a_stack")};
      }
      for (const std::size_t k : one_phase.layout.order) one_phase.images.push_back({k});
      const std::vector<const catalog::StudyImage*>& order = c.slices;
      auto pixelsOf = [&](std::size_t k) {
        std::string key;
        auto data = pixels.load(sources::planeImageOf(*order[k]), &key);
        if (!data) throw std::runtime_error("[" + key + "] " + order[k]->file_path);
        return data->values;
      };
      auto labelsOf = [&](std::size_t k) {
        const auto map = labels.load(sources::planeImageOf(*order[k]));
        if (!map) throw std::runtime_error("[unreadable_labels] " + order[k]->sop_instance_uid);
        return std::vector<float>(map->values.begin(), map->values.end());
      };
      nifti::writeVolume(
          partial / ("images" + part) / (c.id + "_0000.nii.gz"),
          stackVolume(one_phase, 1, pixelsOf, nifti::DataType::kFloat32, "PlaneLab image"));
      nifti::writeVolume(
          partial / ("labels" + part) / (c.id + ".nii.gz"),
          stackVolume(one_phase, 1, labelsOf, nifti::DataType::kUint8, "PlaneLab labels"));
      nlohmann::json uids = nlohmann::json::array();  // slice k = uids[k]
      for (const std::size_t k : one_phase.layout.order) uids.push_back(order[k]->sop_instance_uid);
      return CaseResult{{{"case", c.id},
                         {"part", is_test ? "test" : "train"},
                         {"patient_id", c.patient},
                         {"study_instance_uid", c.study_uid},
                         {"series_instance_uid", c.series_uid},
                         {"phase", c.phase + 1},
                         {"sop_instance_uids", uids}},
                        ""};
    };
    std::vector<CaseResult> results(cases.size());
    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    const unsigned jobs = a.jobs > 0 ? static_cast<unsigned>(a.jobs)
                                     : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> workers;
    for (unsigned w = 0; w < std::min<std::size_t>(jobs, cases.size()); ++w) {
      workers.emplace_back([&] {
        for (std::size_t n = next++; n < cases.size() && !stop; n = next++) {
          try {
            results[n] = writeCase(cases[n], test.count(cases[n].patient) > 0);
          } catch (...) {
            const std::lock_guard<std::mutex> lock(failure_mutex);
            if (!failure) failure = std::current_exception();
            stop = true;
          }
          ++done;
        }
      });
    }
    ProgressBar bar("nnU-Net cases");
    const auto start = std::chrono::steady_clock::now();
    bool cancelled = false;
    while (done < cases.size() && !stop) {
      bar.update(static_cast<int>(done), static_cast<int>(cases.size()),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      if (InterruptGuard::cancelRequested()) cancelled = stop = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (auto& worker : workers) worker.join();
    bar.finish();
    if (failure) std::rethrow_exception(failure);
    if (cancelled || InterruptGuard::cancelRequested()) {
      fs::remove_all(partial);
      spdlog::error("[cancelled] nothing written");
      return kExitCancelled;
    }
    for (const CaseResult& r : results) {
      if (!r.skipped_key.empty()) {
        ++skipped[r.skipped_key];
        continue;
      }
      (r.provenance["part"] == "test" ? testing : training)++;
      provenance.push_back(r.provenance);
    }
    nlohmann::json label_map = nlohmann::json::object();
    for (std::size_t v = 0; v < names.size(); ++v) label_map[names[v]] = v;
    const nlohmann::json dataset{
        {"name", a.name},
        {"description", "Exported by PlaneLab from " + fs::path(a.catalog).filename().string() +
                            ": " + a.view + " stacks, one case per labelled cine phase"},
        {"channel_names", {{"0", "MRI"}}},
        {"labels", label_map},
        {"numTraining", training},
        {"file_ending", ".nii.gz"}};
    data::writeJsonAtomically((partial / "dataset.json").string(), dataset);
    data::writeJsonAtomically((partial / "planelab_cases.json").string(),
                              {{"catalog", fs::path(a.catalog).filename().string()},
                               {"skipped", skipped},
                               {"cases", provenance}});
    if (fs::exists(folder)) fs::remove_all(folder);
    fs::rename(partial, folder);
    const nlohmann::json report{{"folder", folder.string()},
                                {"training_cases", training},
                                {"test_cases", testing},
                                {"labels", label_map},
                                {"skipped", skipped}};
    if (a.json) {
      std::printf("%s\n", report.dump(2).c_str());
    } else {
      std::printf("wrote %s: %d training and %d test cases\n", folder.string().c_str(), training,
                  testing);
    }
    return kExitOk;
  } catch (const std::exception& e) {
    std::error_code ec;
    fs::remove_all(partial, ec);
    spdlog::error("{}", e.what());
    return kExitFailed;
  }
}

}  // namespace

nlohmann::json writeStandardResults(const std::vector<const catalog::StudyImage*>& images,
                                    const std::vector<train::SourceImage>& inputs,
                                    const std::vector<std::vector<std::uint8_t>>& labels,
                                    const std::vector<std::string>& label_names,
                                    const std::string& algorithm, const fs::path& out) {
  nlohmann::json written;
  const std::vector<int> phase = sources::phaseIndices(images);
  const bool gated = std::any_of(phase.begin(), phase.end(), [](int p) { return p > 0; });
  std::vector<dicom::SegmentationSourceFrame> frames;
  for (std::size_t i = 0; i < images.size(); ++i) {
    frames.push_back(sourceFrame(*images[i], gated ? phase[i] + 1 : 0, labels[i]));
  }
  const catalog::StudyImage& first = *images.front();
  dicom::DerivedSegmentation spec;
  spec.reference_image = first.file_path;
  spec.source_series_uid = first.series_instance_uid;
  spec.source_series_number = first.series_number;
  spec.series_description = "PlaneLab prediction " + first.series_description;
  spec.label_names = label_names;
  spec.content_label = "PREDICTION";
  spec.content_description = "Predicted by " + algorithm;
  spec.algorithm_name = algorithm;
  spec.slice_thickness_mm = first.slice_thickness_mm;
  const auto seg = writeSeg(spec, frames, out / "segmentation.dcm");
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : seg.files) files.push_back(f.filename().string());
  written["segmentation"] = {{"files", files}, {"frames", seg.frames}};
  try {
    const sources::SeriesVolume grid = sources::seriesVolume(images);
    nifti::writeVolume(out / "image.nii.gz",
                       stackVolume(
                           grid, grid.phases, [&](std::size_t i) { return inputs[i].pixels; },
                           nifti::DataType::kFloat32, "PlaneLab source image"));
    nifti::writeVolume(
        out / "labels.nii.gz",
        stackVolume(
            grid, grid.phases,
            [&](std::size_t i) { return std::vector<float>(labels[i].begin(), labels[i].end()); },
            nifti::DataType::kUint8, "PlaneLab prediction"));
    written["nifti"] = {{"image", "image.nii.gz"},
                        {"labels", "labels.nii.gz"},
                        {"slices", grid.images.size()},
                        {"phases", grid.phases}};
  } catch (const std::runtime_error& e) {
    // Not a regular stack (a single long-axis view is fine; scattered slices are not a volume).
    spdlog::warn("no NIfTI results: {}", e.what());
    written["nifti_skipped"] = errorKey(e.what(), "not_a_stack");
  }
  return written;
}

void addInteropCommands(CLI::App& app, int* exit_code) {
  auto* labels = app.add_subcommand("import-labels",
                                    "Match a NIfTI label volume (e.g. ACDC) to a study's images by "
                                    "geometry and add it as DICOM SEG");
  static ImportLabelsArgs il;
  labels->add_option("catalog", il.catalog, "Catalog file")->required();
  labels->add_option("volume", il.volume, "Label volume (.nii or .nii.gz, integer labels)")
      ->required();
  labels->add_option("--study", il.study, "StudyInstanceUID of the images")->required();
  labels->add_option("--series", il.series, "Only match images of this SeriesInstanceUID");
  labels->add_option("--phase", il.phase,
                     "Cine phase the labels belong to (1-based, trigger-time order)");
  labels->add_option("--names", il.names,
                     "Label names by value, comma-separated, background first");
  labels->add_option("--out", il.out, "SEG file to write (default: <catalog>.labels/<volume>.dcm)");
  labels->add_option("--tolerance-mm", il.tolerance_mm,
                     "Largest pixel-to-voxel centre distance (mm)");
  labels->add_flag("--json", il.json, "Print the report as JSON");
  labels->callback([exit_code] { *exit_code = importLabelsVerb(il); });

  auto* nnunet =
      app.add_subcommand("nnunet", "Export labelled stacks as an nnU-Net v2 raw dataset");
  static NnunetArgs nn;
  nnunet->add_option("catalog", nn.catalog, "Catalog file")->required();
  nnunet->add_option("--out", nn.out, "nnUNet_raw folder (DatasetXXX_Name is created in it)")
      ->required();
  nnunet->add_option("--dataset-id", nn.dataset_id, "nnU-Net dataset id (1..999)");
  nnunet->add_option("--name", nn.name, "Dataset name");
  nnunet->add_option("--view", nn.view,
                     "Stacks of this view become cases (sax; sag, cor, ax, ...)");
  nnunet->add_option("--split", nn.split,
                     "A PlaneLab split.json: its test subjects go to imagesTs");
  nnunet->add_option("--test-fraction", nn.test_fraction,
                     "Share of subjects for imagesTs (without --split)");
  nnunet->add_option("--seed", nn.seed, "Seed of the test-subject draw");
  nnunet->add_option("--jobs", nn.jobs, "Worker threads (0 = all cores)");
  nnunet->add_flag("--overwrite", nn.overwrite, "Replace an existing dataset folder");
  nnunet->add_flag("--json", nn.json, "Print the report as JSON");
  nnunet->callback([exit_code] { *exit_code = nnunetVerb(nn); });
}

}  // namespace planelab::cli
