// Curation of a whole catalog (or one study): reads each study's images, curates studies on
// worker threads, stores the results study by study (one transaction per batch), as a run.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "curation/study_curation.h"

namespace planelab::curation {

struct CatalogCurationOptions {
  Options study;
  std::string study_instance_uid;  // empty: every study
  int jobs = 1;                    // worker threads; 0 = all cores
  int batch_studies = 64;          // studies per transaction
  const std::atomic<bool>* cancel = nullptr;
};

struct CatalogCurationSummary {
  std::int64_t run = 0;
  int studies = 0;
  int planes = 0;
  int stacks = 0;
  int intersections = 0;
  int excluded_images = 0;
  int flagged_planes = 0;
  std::map<std::string, int> views;            // series per view
  std::map<std::string, int> findings_by_key;  // findings per key
  std::map<std::string, int> findings_by_severity;
  bool cancelled = false;
  double seconds = 0.0;
};

struct CurationProgress {
  int studies_done = 0;
  int studies_total = 0;
};

// One PixelSource per worker thread (sources need not be thread-safe); null factory or null
// source: no misalignment score.
using PixelSourceFactory = std::function<std::unique_ptr<PixelSource>()>;

// Keys: the catalog's ("read_failed", "write_failed", "disk_full", "catalog_busy") and
// "unknown_study" when study_instance_uid names no study. A cancelled run keeps the studies
// already stored and reports cancelled = true.
catalog::Status curateCatalog(catalog::Catalog& catalog, const CatalogCurationOptions& options,
                              const PixelSourceFactory& pixels,
                              const std::function<void(const CurationProgress&)>& progress,
                              CatalogCurationSummary* summary);

// The summary as JSON text (stored with the run, printed by the CLI).
std::string summaryJson(const CatalogCurationSummary& summary);

}  // namespace planelab::curation
