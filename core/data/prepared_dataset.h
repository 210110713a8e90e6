// The prepared dataset: images already resampled to the plan's grid and normalised, their
// geometry on that grid, view, stack, location, phase, subject and labels, in a versioned folder
// that is memory-mapped for reading. Reading needs LibTorch and the standard library only (no
// SQLite, DCMTK or Qt), so the GPU build trains from it.
//
// Folder layout (format "planelab-prepared", version 1; docs/prepared-dataset.md):
//   dataset.json   plan, label names, class names, subjects (with their planes), samples, source
//   images.f32     N x size x size float32, little endian, row-major, sample order
//   labels.u8      N x size x size uint8 (0 = background / unlabelled; see Sample::has_labels)
// The files are written under temporary names and renamed, dataset.json last: a folder with a
// dataset.json is complete.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>  // DatasetInfo::source is a json by value

#include "data/preprocessing_plan.h"
#include "geometry/image_plane.h"

namespace planelab::data {

// A plane of a subject's study on the prepared grid (resampledPlane of its header plane), kept so
// pretext targets are computed on the fly from geometry.
struct SubjectPlane {
  geometry::ImagePlane plane;  // on the plan's grid (size x size at grid.spacing_mm)
  std::string view;            // sax 2ch 3ch 4ch ... | sag cor ax
  int stack = -1;              // index of its parallel stack in the study, -1 when none
  int slice_index = -1;        // position along the stack direction
};

struct Subject {
  std::string id;           // PatientID (pseudonymised if the catalog is)
  std::string study_uid;    // StudyInstanceUID
  std::string class_label;  // e.g. the phantom's pathology group; "" when none
  std::vector<SubjectPlane> planes;
};

struct Sample {
  int subject = -1;  // index into subjects
  int plane = -1;    // index into that subject's planes
  int phase = 0;     // cine phase index (0-based, TriggerTime order)
  int phase_count = 1;
  bool ed = false;  // labelled end-diastole / end-systole frame (when known)
  bool es = false;
  int slice_count = 0;  // kept slices in the plane's stack (0 = not in a stack)
  // Relative location in the plane's stack per plan.location_mode; empty when the stack has a
  // single slice (no target: the loss masks it).
  std::optional<double> relative_location;
  bool has_labels = false;  // labels.u8 holds a ground-truth map for this sample
  std::string sop_instance_uid;
  int frame_number = 0;
};

struct DatasetInfo {
  static constexpr int kFormatVersion = 1;
  int format_version = kFormatVersion;
  PreprocessingPlan plan;
  std::vector<std::string> label_names;  // index = label value; {"background", ...}; may be empty
  std::vector<std::string> class_names;  // sorted distinct Subject::class_label values
  std::vector<Subject> subjects;
  std::vector<Sample> samples;
  nlohmann::json source;  // {"kind":"catalog","path":...,"snapshot":hash} | {"kind":"phantom",...}
};

// Writes a dataset sample by sample (images and labels are appended to the binary files as they
// come, so memory stays flat). Not thread-safe: one writer thread.
class DatasetWriter {
 public:
  // Creates `folder` (must not hold a dataset.json unless overwrite). Throws std::runtime_error
  // "[dataset_exists] ..." / "[cannot_write] ...".
  DatasetWriter(const std::string& folder, const PreprocessingPlan& plan, bool overwrite);
  ~DatasetWriter();  // an unfinished writer removes its temporary files
  DatasetWriter(const DatasetWriter&) = delete;
  DatasetWriter& operator=(const DatasetWriter&) = delete;

  // Returns the subject index.
  int addSubject(Subject subject);
  // image: size*size floats (already normalised); labels: size*size or empty (has_labels false).
  void addSample(Sample sample, const std::vector<float>& image,
                 const std::vector<std::uint8_t>& labels);
  void setLabelNames(std::vector<std::string> names);
  void setSource(const nlohmann::json& source);
  // Flushes, writes dataset.json and renames everything into place. Throws "[cannot_write] ..."
  // (e.g. disk full) and leaves no dataset.json behind.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A prepared dataset opened for reading: metadata in memory, pixels memory-mapped (read-only).
class PreparedDataset {
 public:
  // Throws std::runtime_error "[not_a_dataset] ...", "[unsupported_dataset_version] ...",
  // "[dataset_truncated] ..." (binary files shorter than the samples need).
  static std::shared_ptr<const PreparedDataset> open(const std::string& folder);
  ~PreparedDataset();

  const DatasetInfo& info() const { return info_; }
  const std::string& folder() const { return folder_; }
  int size() const { return info_.plan.grid.size; }
  std::int64_t sampleCount() const { return static_cast<std::int64_t>(info_.samples.size()); }
  // Pointers into the mapped files (size*size values), valid while the dataset lives.
  const float* image(std::int64_t sample) const;
  const std::uint8_t* labels(std::int64_t sample) const;
  // Content hash of dataset.json (hex), recorded by runs trained on it.
  const std::string& hash() const { return hash_; }

 private:
  PreparedDataset() = default;
  DatasetInfo info_;
  std::string folder_;
  std::string hash_;
  struct Mapping;
  std::unique_ptr<Mapping> images_, labels_;
};

nlohmann::json toJson(const DatasetInfo& info);
DatasetInfo datasetInfoFromJson(const nlohmann::json& json);

}  // namespace planelab::data
