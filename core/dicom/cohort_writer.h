// A cohort of phantom subjects written as DICOM below an output folder that must be new or empty:
//   <out>/dicom/<PatientID>/...      MR images and labels/ (DICOM SEG): only DICOM, ready to import
//   <out>/truth/<PatientID>.json     exact ground truth (written last: marks a complete subject)
//   <out>/cohort.json                the request and the finished subjects
//   <out>/subjects.csv               patient_id,group of the finished subjects (class labels)
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "dicom/dicom_format.h"
#include "phantom/render.h"
#include "phantom/study.h"

namespace planelab::dicom {

constexpr const char* kDicomFolder = "dicom";
constexpr const char* kTruthFolder = "truth";

struct CohortRequest {
  // Each entry is one organ's part of the cohort (the demo writes hearts and knees).
  struct Part {
    phantom::StudyOptions options;
    int subjects = 1;
  };
  std::vector<Part> parts;
  std::uint64_t seed = 1;
  phantom::RenderSettings render = phantom::RenderSettings::quality();
  int threads = 0;  // <= 0: all cores
  std::filesystem::path out;
};

struct CohortProgress {
  int images_done = 0;  // work units: images plus one per SEG series
  int images_total = 0;
  int subjects_done = 0;
  int subjects_total = 0;
  double elapsed_s = 0.0;
};

struct CohortSubjectSummary {
  std::string patient_id;
  std::string organ;
  std::string description;  // e.g. "NOR, EDV 148 mL, EF 61 %" or "left knee"
  int series = 0;
  int images = 0;
  int seg_files = 0;
  std::uint64_t bytes = 0;
};

struct CohortSummary {
  WriteStatus status;
  bool cancelled = false;
  std::vector<CohortSubjectSummary> subjects;  // complete subjects only
  int images = 0;
  int seg_files = 0;
  std::uint64_t bytes = 0;
  double seconds = 0.0;
  bool ok() const { return status.ok(); }
};

// Empty when `out` may receive a cohort (missing, or an empty folder); otherwise a stable key:
// "output_not_empty" (never overwritten silently) or "output_not_a_folder".
WriteStatus checkOutputFolder(const std::filesystem::path& out);

// Generates and writes every subject. On cancel (progress returned false) or error the
// incomplete subject's files are removed, so every subject left behind is complete (has its
// truth file); cohort.json lists what was finished.
CohortSummary writeCohort(const CohortRequest& request,
                          const std::function<bool(const CohortProgress&)>& progress);

}  // namespace planelab::dicom
