// The PlaneLab catalog: one SQLite file (WAL, foreign keys on) holding patients, studies,
// series, instances with geometry as typed columns, label sets (DICOM SEG), files, import runs and
// import issues. The schema lives in versioned .sql resources; opening an older catalog migrates
// it in place. Not thread-safe: one Catalog per thread (the importer has a single writer).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "catalog/curation_records.h"
#include "catalog/records.h"

namespace planelab::catalog {

// Empty error_key = success. Keys: "cannot_open_catalog", "not_a_catalog", "catalog_too_new",
// "migration_failed", "catalog_busy", "disk_full", "write_failed", "read_failed".
struct Status {
  std::string error_key;
  std::string message;
  bool ok() const { return error_key.empty(); }
};

// What the catalog knows about a file it indexed (for incremental re-scans).
struct KnownFile {
  std::uint64_t size_bytes = 0;
  std::int64_t mtime_ns = 0;
  bool missing = false;
};

// What one writeBatch changed, summed by the importer into the run summary.
struct BatchCounts {
  int patients_added = 0;
  int studies_added = 0;
  int series_added = 0;
  int instances_added = 0;
  int instances_updated = 0;  // rows replaced because their file changed
  int label_sets_added = 0;
  int files_added = 0;
  int files_changed = 0;
  std::vector<std::pair<std::string, ImportIssue>> issues;  // (path, issue) found while writing
};

// A generic result table for listings (CLI `ls`, JSON, later the GUI).
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

enum class Level { kPatients, kStudies, kSeries, kInstances };

// Filters for listings; empty fields do not filter. Text filters are exact matches except
// `description`, a case-insensitive substring of StudyDescription / SeriesDescription.
struct Filters {
  std::string patient_id;
  std::string study_instance_uid;
  std::string series_instance_uid;
  std::string modality;
  std::string description;
  int limit = 0;  // 0 = no limit
};

struct Counts {
  std::int64_t patients = 0, studies = 0, series = 0, instances = 0, label_sets = 0;
  std::int64_t files = 0, missing_files = 0, issues = 0, runs = 0;
};

class Catalog {
 public:
  // Opens (creating with the latest schema, or migrating an older one step by step inside a
  // transaction) the catalog file. Returns null and sets status on failure.
  static std::unique_ptr<Catalog> open(const std::filesystem::path& file, Status& status);
  static int latestSchemaVersion();
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // How long a call waits for another connection's write lock before it reports
  // "catalog_busy" (default 5 s).
  void setBusyTimeout(std::chrono::milliseconds timeout);

  int schemaVersion() const;
  const std::filesystem::path& path() const;

  // Every indexed file by absolute path (including files marked missing).
  std::unordered_map<std::string, KnownFile> knownFiles() const;

  // Import runs: inputs and options as JSON text; state "running" until finishRun sets
  // "complete", "cancelled" or "failed" with the summary JSON.
  std::int64_t beginRun(const std::string& inputs_json, const std::string& options_json,
                        Status& status);
  Status finishRun(std::int64_t run, const std::string& state, const std::string& summary_json);

  // One transaction for all files: each file replaces whatever the catalog held for its path
  // (instances, label set, issues) and is recorded with its size and mtime; patients, studies and
  // series are upserted by their keys (PatientID + name for patients, UIDs otherwise). An
  // instance whose SOP Instance UID (+ frame) already belongs to another file is not stored and
  // the file gets a "duplicate_sop_instance" issue. Label frames link to instances by SOP
  // Instance UID, also when the images arrive in a later batch. Issues are stored with the run.
  // Every file gets a files row, also one with only issues, so an unchanged bad file is not read
  // again. Images without patient, study or series get an "incomplete_record" issue instead of
  // rows. Series, studies and patients that replaced files leave empty are deleted. Rows of a
  // file that replaces an indexed one count as instances_updated, others as instances_added. On
  // failure nothing of the batch is stored and *counts is zeroed.
  Status writeBatch(std::int64_t run, const std::vector<FileRecord>& files, BatchCounts* counts);

  // Marks indexed files as missing (their rows are kept, flagged), and un-marks files that are
  // back unchanged.
  Status markMissing(std::int64_t run, const std::vector<std::string>& paths, bool missing = true);

  // The status of the last call. The calls that return values (knownFiles, counts, list, issues,
  // runs, schemaVersion) return an empty value on failure and leave the reason here.
  const Status& lastStatus() const;

  Counts counts() const;
  Table list(Level level, const Filters& filters) const;
  // Import issues found by one run, or every file's current issues when run is empty: path,
  // key, message, detail, run.
  Table issues(std::optional<std::int64_t> run) const;
  Table runs() const;

  // --- Curation results (core/curation computes them; records in curation_records.h) ---
  // Studies in StudyInstanceUID order, or only the one with study_instance_uid.
  std::vector<StudyRef> studies(const std::string& study_instance_uid = {}) const;
  // The study holding an image (SOP Instance UID + frame), or nullopt.
  std::optional<std::int64_t> studyOfImage(const std::string& sop_instance_uid,
                                           int frame_number) const;
  // Every image of a study with its series fields and file, ordered by series and instance.
  std::vector<StudyImage> studyImages(std::int64_t study) const;
  // The user's view labels by SeriesInstanceUID.
  std::unordered_map<std::string, std::string> viewOverrides() const;
  // Stores the user's view label of a series (an empty view removes it); "unknown_series" when
  // the catalog has no series with that UID.
  Status setViewOverride(const std::string& series_instance_uid, const std::string& view);
  // Curation runs, like import runs: "running" until finishCuration.
  std::int64_t beginCuration(const std::string& options_json, Status& status);
  Status finishCuration(std::int64_t run, const std::string& state,
                        const std::string& summary_json);
  // Replaces what curation stored for each of these studies, all in one transaction.
  Status writeCuration(std::int64_t run, const std::vector<StudyCurationRecord>& studies);
  // Listings of the stored curation (empty study_instance_uid = all studies).
  Table viewLabels(const Filters& filters) const;
  Table stacks(const std::string& study_instance_uid) const;
  Table planes(const std::string& study_instance_uid) const;
  Table findings(const std::string& study_instance_uid) const;
  // Where the other planes of its study cut this image: other series, view, angle, segment.
  Table imageIntersections(const std::string& sop_instance_uid, int frame_number) const;
  Table studyIntersections(const std::string& study_instance_uid) const;
  Table curationRuns() const;

  // --- Labels (label_store.cpp) ---
  // Every label frame of a study whose image is in the catalog (the resolved label_frames
  // instance link), ordered by instance, segment number, SEG file and SEG frame.
  std::vector<LabelFrameRef> labelFramesOfStudy(std::int64_t study) const;

 private:
  struct Impl;
  explicit Catalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace planelab::catalog
