// Statistics of a study report: mean and sample standard deviation over runs, and the paired,
// hierarchical bootstrap of an arm's difference to scratch (PHANTOM.md 4.4): the units are
// (seed, test subject) cells; each replicate draws the seeds with replacement and, independently,
// the test subjects with replacement (the same draw for every seed, as every run sees the same test
// subjects), and averages the differences present in the drawn cells.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace planelab::study {

struct MeanSd {
  int count = 0;
  double mean = 0.0;
  double sd = 0.0;  // sample standard deviation (n - 1); 0 for a single value
};
MeanSd meanSd(const std::vector<double>& values);

struct BootstrapOptions {
  int samples = 2000;        // replicates
  std::uint64_t seed = 1;    // the replicate draws (std::mt19937_64)
  double confidence = 0.95;  // two-sided percentile interval
};

struct Interval {
  double estimate = 0.0;  // mean of every present cell
  double low = 0.0;
  double high = 0.0;
  int seeds = 0;     // rows with at least one present cell
  int subjects = 0;  // columns with at least one present cell
};

// differences[seed][subject]: the paired difference (arm - scratch) of one test subject's score
// in the runs of one seed; nullopt where either run has no score. Rows must have equal length.
// Nothing when no cell is present. Throws std::invalid_argument "[invalid_argument] ..." for ragged
// rows, samples < 1 or a confidence outside (0, 1).
std::optional<Interval> pairedBootstrap(
    const std::vector<std::vector<std::optional<double>>>& differences,
    const BootstrapOptions& options);

}  // namespace planelab::study
