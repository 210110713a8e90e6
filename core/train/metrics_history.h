// Reading a run's metrics.jsonl back (the trainer appends one JSON object per iteration and per
// epoch, 0-based epochs): what the dashboard shows for a finished or interrupted run, the same
// events a live run reports through the Observer.
#pragma once

#include <string>
#include <vector>

#include "train/events.h"

namespace planelab::train {

struct MetricsHistory {
  // In file order. The log does not record the run's epoch count (config.json does): `epochs` is
  // 0. `batches` (per epoch) is inferred: the largest batch index of an epoch that finished (of
  // any epoch when none did). elapsed_s and eta_s are 0 (not logged per iteration).
  std::vector<IterationEvent> iterations;
  // elapsed_s as logged (seconds since the start of the run, or of its last resume).
  std::vector<EpochEvent> epochs;
  int skipped_lines = 0;  // lines that are not a complete event (a torn last line of a killed run)
};

// Throws std::runtime_error "[metrics_unreadable] ..." when the file cannot be opened.
MetricsHistory readMetricsLog(const std::string& path);

// Where an iteration lies on an epoch axis: epoch + batch / batches (1.0 = the end of the first
// epoch, where that epoch's EpochEvent is drawn). A 0 batch count counts as a whole epoch.
double epochPosition(const IterationEvent& event);

}  // namespace planelab::train
