// Import: discover DICOM files under the inputs, read their headers on N threads, and write them
// into the catalog from a single writer in batches (one transaction each), incrementally (files
// unchanged since the last run are not read again) and safely (a killed import leaves a
// consistent catalog, and running it again converges to the same content).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.h"

namespace planelab::import {

struct ImportOptions {
  int jobs = 0;             // header-reading threads; <= 0: all cores
  int batch_files = 256;    // files per catalog transaction
  bool skip_hidden = true;  // dotfiles, macOS ._* files
  // Pseudonymise PatientName, PatientID and PatientBirthDate with a keyed hash (HMAC-SHA256 of
  // the value under `deidentify_key`). The key is the user's: it is never stored.
  bool deidentify = false;
  std::string deidentify_key;
  // Cancellation from another thread (a GUI job, a signal handler): checked before every file.
  const std::atomic<bool>* cancel = nullptr;
  // Called on the importer's thread after each committed batch with the number of files
  // written so far (a viewer can refresh as data arrives).
  std::function<void(std::size_t files_written)> on_commit;
};

enum class Phase { kDiscover, kRead, kWrite, kDone };
std::string phaseName(Phase phase);

struct ImportProgress {
  Phase phase = Phase::kDiscover;
  std::size_t done = 0;   // files discovered / read / written so far
  std::size_t total = 0;  // 0 while unknown (discovery)
  double elapsed_s = 0.0;
};

struct ImportSummary {
  catalog::Status status;  // error keys of catalog::Status, plus "no_inputs"
  bool cancelled = false;
  std::int64_t run = 0;
  std::size_t files_found = 0;
  std::size_t files_unchanged = 0;  // skipped: same path, size and mtime as indexed before
  std::size_t files_read = 0;
  std::size_t files_missing = 0;  // indexed before, gone now: marked missing, rows kept
  std::size_t files_with_issues = 0;
  catalog::BatchCounts added;  // summed over batches (issues moved to issues_by_key)
  std::map<std::string, int> issues_by_key;
  catalog::Counts catalog_after;
  double seconds = 0.0;
  double files_per_second = 0.0;  // files read (parsed) per second
  bool ok() const { return status.ok(); }
};

// Imports `inputs` (folders, files, DICOMDIRs) into the catalog file (created if missing).
// `progress` is called from the calling thread at most ~5 times per second per phase; returning
// false cancels: batches already committed stay, the run is recorded as cancelled.
ImportSummary importIntoCatalog(const std::filesystem::path& catalog_file,
                                const std::vector<std::filesystem::path>& inputs,
                                const ImportOptions& options,
                                const std::function<bool(const ImportProgress&)>& progress);

// Keyed pseudonym of an identifier: "PX" + 16 hex digits of HMAC-SHA256(key, value); empty
// values stay empty.
std::string pseudonym(const std::string& key, const std::string& value);

}  // namespace planelab::import
