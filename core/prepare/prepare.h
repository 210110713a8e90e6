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
// core/dicom) or the phantom's ground truth. The catalog source's LabelSource and PixelSource are
// called from every worker thread at once: they must be thread-safe.
class LabelSource {
 public:
  virtual ~LabelSource() = default;
  // Names of the label values, index = value ({"background", ...}). The dataset's label_names are
  // the union by name (first seen first), so values of different sources are remapped by name.
  virtual std::vector<std::string> labelNames() const = 0;
  // Empty when the image has no labels (or they cannot be read).
  virtual std::optional<LabelMap> load(const curation::PlaneImage& image) = 0;
  // Whether the image has labels, without loading them (ED/ES phase selection asks for every
  // phase of a plane). The default loads.
  virtual bool hasLabels(const curation::PlaneImage& image) { return load(image).has_value(); }
};

// A PixelSource that can say why an image could not be read: the summary then counts skipped
// images by that key (DicomPixels: pixel_reader's keys); other sources count "unreadable_image".
class KeyedPixelSource : public curation::PixelSource {
 public:
  virtual std::optional<curation::PixelData> load(const curation::PlaneImage& image,
                                                  std::string* error_key) = 0;
  std::optional<curation::PixelData> load(const curation::PlaneImage& image) override {
    return load(image, nullptr);
  }
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

// Catalog source. `studies`: catalog study ids (empty = all), prepared in the given order (all:
// StudyInstanceUID order). Pixels through `pixels` (DicomPixels in the CLI), labels through
// `labels` (may be null). The catalog is only read on the calling thread, before the workers
// start. Subject id = PatientID; class label = options.class_labels[PatientID].
//
// Both sources throw std::runtime_error with a message starting with a bracketed key:
// "[dataset_exists]", "[cannot_write]" (DatasetWriter), "[unknown_study]" (an id not in the
// catalog), "[catalog_read_failed]". Unreadable images are skipped and counted, not fatal. The
// output is byte-identical for any number of jobs.
PrepareSummary prepareFromCatalog(const catalog::Catalog& catalog,
                                  const std::vector<std::int64_t>& studies,
                                  curation::PixelSource& pixels, LabelSource* labels,
                                  const std::string& out_folder, const PrepareOptions& options);

// Phantom source, in memory (no files): subjects [first_subject, first_subject + subjects) of the
// cohort drawn from `seed`, rendered with RenderSettings::fast(); labels from the phantom's ground
// truth, class label = the cardiac pathology group (knee: none). Disjoint subject ranges of one
// cohort never share a subject (PHANTOM.md §4.4: pools split by subject range).
struct PhantomCohort {
  std::uint64_t seed = 1;
  int first_subject = 0;
  int subjects = 10;
  phantom::StudyOptions study;
};
PrepareSummary prepareFromPhantom(const PhantomCohort& cohort, const std::string& out_folder,
                                  const PrepareOptions& options);

// The catalog images an import of the phantom cohort's DICOM files would store for `study`
// (header values as core/dicom writes them: DS values rounded as in the files, TriggerTime,
// AcquisitionTime, CardiacNumberOfImages, ...). Instance ids are 1.. in catalog order (series
// number, instance number); `keys` (if given) receives (series, slice, phase) per instance id.
struct PhantomImageKey {
  int series = 0;
  int slice = 0;
  int phase = 0;
};
std::vector<catalog::StudyImage> phantomStudyImages(const phantom::PhantomStudy& study,
                                                    std::map<std::int64_t, PhantomImageKey>* keys);

// Whether the phantom has ground truth for this image, as the cohort writer exports it: images of
// labelled series; of gated series with Labels::kEdEs, only the end-diastole and end-systole
// phases.
bool phantomImageLabelled(const phantom::PhantomStudy& study, const PhantomImageKey& key,
                          phantom::StudyOptions::Labels labels);

}  // namespace planelab::prepare
