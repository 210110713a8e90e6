// A whole phantom study on disk: MR images (rendered in parallel), ground-truth SEGs and
// truth.json, in the folder layout of the study's plan.
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

struct StudyWriteSummary {
  WriteStatus status;      // error_key empty on success (also when cancelled)
  bool cancelled = false;  // progress returned false; files written so far are left in place
  int images_written = 0;
  int seg_files = 0;
  std::uint64_t bytes = 0;  // all files written, truth.json included
  double seconds = 0.0;     // wall-clock time
  bool ok() const { return status.ok(); }
};

// Phases of `slice` whose labels are exported for series `series`: none unless the series is
// labelled; ED and ES (cardiac_truth) of gated series for kEdEs, all acquired phases otherwise
// (knees and ungated series have one). Sorted, unique, subset of slice.phases.
std::vector<int> labelledPhases(const phantom::PhantomStudy& study,
                                const phantom::SeriesPlan& series, const phantom::SlicePlan& slice,
                                phantom::StudyOptions::Labels labels);

// The `total` that writeStudy's progress counts to: one unit per image plus one per SEG series.
int progressUnits(const phantom::PhantomStudy& study, phantom::StudyOptions::Labels labels);

// Relative paths (from the subject folder) of the outputs.
std::filesystem::path imagePath(const phantom::SeriesPlan& series, int slice, int phase);
std::filesystem::path segmentationPath(
    const phantom::SeriesPlan& series);  // labels/<folder>/seg.dcm

// truth.json text (pretty-printed, deterministic): organ, layout, level, seed, subject, patient,
// acquisition, appearance scalars, cardiac_truth / knee_truth, markers, label names, and per
// series its plan, UIDs, SEG file and per slice geometry, phases and image files.
std::string studyTruthJson(const phantom::PhantomStudy& study,
                           phantom::StudyOptions::Labels labels);

// Renders every (series, slice, phase in slice.phases) with phantom::renderImage on `threads`
// workers (<= 0: hardware concurrency) and writes
//   <subject_dir>/<series.folder>/IM-<series number>-<instance>.dcm,
//   <subject_dir>/labels/<series.folder>/seg.dcm (labelled series, unless labels == kNone),
//   <subject_dir>/truth.json, or `truth_file` when given (last: its presence marks a complete
//   subject; a separate truth tree keeps the DICOM folder free of non-DICOM files).
// Files are byte-identical for any thread count. `progress(done, total)` (may be empty) is called
// from the calling thread; total = images + SEG series; returning false cancels promptly.
// Errors (no exceptions): "cannot_create_folder", "write_failed", "render_failed",
// "segmentation_failed", "invalid_argument", "internal_error". Does not check whether
// subject_dir is empty (the caller refuses non-empty output folders).
StudyWriteSummary writeStudy(const phantom::PhantomStudy& study,
                             const std::filesystem::path& subject_dir,
                             const phantom::RenderSettings& settings,
                             phantom::StudyOptions::Labels labels, int threads,
                             const std::function<bool(int done, int total)>& progress,
                             const std::filesystem::path& truth_file = {});

}  // namespace planelab::dicom
