// Writes one batch of scanned files into the catalog inside the caller's transaction: the rules
// of Catalog::writeBatch (replace by path, upsert patients/studies/series, duplicate SOP Instance
// UIDs, label frame links, pruning of emptied series/studies/patients).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>

#include "catalog/catalog.h"
#include "catalog/records.h"

namespace planelab::catalog {

class Database;

class BatchWriter {
 public:
  BatchWriter(Database& db, std::int64_t run, BatchCounts& counts);
  void write(const FileRecord& file);
  // Deletes the series, studies and patients this batch left without content.
  void finish();

 private:
  struct Hierarchy {
    std::int64_t patient = 0, study = 0, series = 0;
  };
  bool upsertHierarchy(const FileRecord& file, Hierarchy& ids);
  std::int64_t upsertPatient(const PatientRecord& patient);
  std::int64_t upsertStudy(const StudyRecord& study, std::int64_t patient);
  std::int64_t upsertSeries(const SeriesRecord& series, std::int64_t study);
  void writeInstances(const FileRecord& file, std::int64_t file_id, std::int64_t series,
                      bool replaced);
  void writeLabelSet(const FileRecord& file, std::int64_t file_id, std::int64_t series);
  void addIssue(const FileRecord& file, std::int64_t file_id, const ImportIssue& issue,
                bool found_while_writing);
  void rememberContentOf(std::int64_t file_id);

  Database& db_;
  std::int64_t run_;
  BatchCounts& counts_;
  // Whether some label frame has no image link yet; only then is each new instance offered to
  // the label frames (the common case, no SEG waiting for its images, costs nothing).
  bool unlinked_label_frames_ = false;
  // Rows upserted in this batch (key -> id), so a series of 1,000 files is written once.
  std::unordered_map<std::string, std::int64_t> patients_, studies_, series_;
  // Series, studies and patients that may have lost their last content in this batch.
  std::set<std::int64_t> prune_series_, prune_studies_, prune_patients_;
};

}  // namespace planelab::catalog
