// The prepare step: a catalog selection or a phantom cohort generated in memory becomes a
// prepared dataset (data/prepared_dataset.h). Both sources go through the same path: the study's
// images are curated in memory (curation::curateStudy, with the user's view overrides), the
// planes of the plan's views become samples (resampled to the plan's grid, normalised), every
// kept plane's geometry is stored for on-the-fly pretext targets, and labels are attached where
// the source has them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "curation/study_curation.h"
#include "data/preprocessing_plan.h"
#include "phantom/study.h"

namespace planelab::prepare {

// Label map of one image (a cine frame of a plane), in the source image's pixel grid, values =
// indices into `label_names` (0 = background).
struct LabelMap {
  int rows = 0;
  int cols = 0;
  std::vector<std::uint8_t> values;
};

// Where labels come from: DICOM SEG frames linked in the catalog (read through DCMTK, in
// core/dicom) or the phantom's ground truth.
class LabelSource {
 public:
  virtual ~LabelSource() = default;
  // Names of the label values, index = value ({"background", ...}).
  virtual std::vector<std::string> labelNames() const = 0;
  // Empty when the image has no labels.
  virtual std::optional<LabelMap> load(const curation::PlaneImage& image) = 0;
};

struct Progress {
  std::int64_t studies_done = 0;
  std::int64_t studies_total = 0;
  std::int64_t samples = 0;
};

struct PrepareOptions {
  data::PreprocessingPlan plan;
  curation::Options curation;  // misalignment is not needed (off)
  int jobs = 0;                // worker threads; 0 = all cores
  bool overwrite = false;
  // Per-subject class labels by PatientID (e.g. from a CSV); the phantom fills them itself.
  std::map<std::string, std::string> class_labels;
  std::function<void(const Progress&)> progress;  // called from the writer thread
  const std::atomic<bool>* cancel = nullptr;
};

struct PrepareSummary {
  std::int64_t subjects = 0;
  std::int64_t samples = 0;
  std::int64_t labelled_samples = 0;
  std::int64_t skipped_images = 0;  // unreadable pixels: logged with their key, not fatal
  std::map<std::string, std::int64_t> skipped_by_key;
  std::map<std::string, std::int64_t> samples_by_view;
  bool cancelled = false;  // nothing is left behind then (no dataset.json)
};

// Catalog source. `studies`: catalog study ids (empty = all). Pixels through `pixels`
// (DicomPixels in the CLI), labels through `labels` (may be null).
PrepareSummary prepareFromCatalog(const catalog::Catalog& catalog,
                                  const std::vector<std::int64_t>& studies,
                                  curation::PixelSource& pixels, LabelSource* labels,
                                  const std::string& out_folder, const PrepareOptions& options);

// Phantom source, in memory (no files): subjects [0, subjects) of the cohort drawn from `seed`,
// rendered with RenderSettings::fast(); labels from the phantom's ground truth, class label = the
// cardiac pathology group (knee: none).
struct PhantomCohort {
  std::uint64_t seed = 1;
  int subjects = 10;
  phantom::StudyOptions study;
};
PrepareSummary prepareFromPhantom(const PhantomCohort& cohort, const std::string& out_folder,
                                  const PrepareOptions& options);

}  // namespace planelab::prepare
