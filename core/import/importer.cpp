#include "import/importer.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "dicom/file_discovery.h"
#include "dicom/header_reader.h"

namespace planelab::import {

namespace fs = std::filesystem;

std::string phaseName(Phase phase) {
  switch (phase) {
    case Phase::kDiscover:
      return "discover";
    case Phase::kRead:
      return "read";
    case Phase::kWrite:
      return "write";
    case Phase::kDone:
      return "done";
  }
  return "?";
}

std::string pseudonym(const std::string& key, const std::string& value) {
  if (value.empty()) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(value.data()), value.size(), digest, &length);
  std::string out = "PX";
  char hex[3];
  for (unsigned int i = 0; i < 8 && i < length; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", digest[i]);
    out += hex;
  }
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;

// Calls the user's progress callback at most every 200 ms (and always for a phase's last call).
class ProgressThrottle {
 public:
  ProgressThrottle(const std::function<bool(const ImportProgress&)>& callback,
                   Clock::time_point start)
      : callback_(callback), start_(start) {}
  bool operator()(Phase phase, std::size_t done, std::size_t total, bool force = false) {
    if (!callback_) return true;
    const auto now = Clock::now();
    if (!force && phase == last_phase_ && now - last_ < std::chrono::milliseconds(200)) return true;
    last_ = now;
    last_phase_ = phase;
    ImportProgress p;
    p.phase = phase;
    p.done = done;
    p.total = total;
    p.elapsed_s = std::chrono::duration<double>(now - start_).count();
    return callback_(p);
  }

 private:
  const std::function<bool(const ImportProgress&)>& callback_;
  Clock::time_point start_;
  Clock::time_point last_{};
  Phase last_phase_ = Phase::kDone;
};

// Roots of the inputs, for deciding which previously indexed files "should" have been seen.
// A folder covers everything below it, a DICOMDIR its folder, a plain file itself.
struct Roots {
  std::vector<std::string> folders;  // with a trailing separator
  std::unordered_set<std::string> files;
  bool covers(const std::string& path) const {
    if (files.count(path)) return true;
    return std::any_of(folders.begin(), folders.end(),
                       [&](const std::string& f) { return path.compare(0, f.size(), f) == 0; });
  }
};

Roots rootsOf(const std::vector<fs::path>& inputs) {
  Roots roots;
  for (const fs::path& input : inputs) {
    std::error_code ec;
    const fs::path abs = fs::absolute(input, ec).lexically_normal();
    if (fs::is_directory(abs, ec)) {
      std::string folder = abs.string();
      if (folder.empty() || folder.back() != '/') folder += '/';
      roots.folders.push_back(folder);
    } else if (abs.filename() == "DICOMDIR") {
      roots.folders.push_back(abs.parent_path().string() + "/");
    } else {
      roots.files.insert(abs.string());
    }
  }
  return roots;
}

nlohmann::json summaryJson(const ImportSummary& s) {
  nlohmann::json issues = nlohmann::json::object();
  for (const auto& [key, count] : s.issues_by_key) issues[key] = count;
  return {{"files_found", s.files_found},
          {"files_unchanged", s.files_unchanged},
          {"files_read", s.files_read},
          {"files_missing", s.files_missing},
          {"files_with_issues", s.files_with_issues},
          {"patients_added", s.added.patients_added},
          {"studies_added", s.added.studies_added},
          {"series_added", s.added.series_added},
          {"instances_added", s.added.instances_added},
          {"instances_updated", s.added.instances_updated},
          {"label_sets_added", s.added.label_sets_added},
          {"issues_by_key", issues},
          {"cancelled", s.cancelled},
          {"seconds", s.seconds}};
}

void accumulate(catalog::BatchCounts& total, const catalog::BatchCounts& batch) {
  total.patients_added += batch.patients_added;
  total.studies_added += batch.studies_added;
  total.series_added += batch.series_added;
  total.instances_added += batch.instances_added;
  total.instances_updated += batch.instances_updated;
  total.label_sets_added += batch.label_sets_added;
  total.files_added += batch.files_added;
  total.files_changed += batch.files_changed;
}

void deidentify(catalog::FileRecord& record, const std::string& key) {
  if (!record.patient) return;
  record.patient->patient_id = pseudonym(key, record.patient->patient_id);
  record.patient->name = pseudonym(key, record.patient->name);
  record.patient->birth_date = pseudonym(key, record.patient->birth_date);
}

// Reads headers on worker threads and hands them to the single writer in file order, holding at
// most `window` records in memory however many files there are. In-order delivery keeps the
// catalog content independent of thread timing (e.g. which of two files with the same SOP
// Instance UID comes first).
class OrderedReader {
 public:
  OrderedReader(const std::vector<dicom::DiscoveredFile>& files, int threads, std::size_t window,
                const ImportOptions& options)
      : files_(files), window_(std::max<std::size_t>(window, 1)), slots_(window_) {
    for (int t = 0; t < threads; ++t) {
      workers_.emplace_back([this, &options] { work(options); });
    }
  }
  ~OrderedReader() { stop(); }

  // The record of file `index` (must be called with index 0, 1, 2, ...), or null when stopped.
  // Waits at most `timeout` and returns null with *timed_out set if the record is not ready.
  std::unique_ptr<catalog::FileRecord> take(std::size_t index, std::chrono::milliseconds timeout,
                                            bool* timed_out) {
    std::unique_lock<std::mutex> lock(mutex_);
    Slot& slot = slots_[index % window_];
    *timed_out = !ready_cv_.wait_for(lock, timeout, [&] { return slot.ready || stopping_; });
    if (*timed_out || !slot.ready) return nullptr;
    slot.ready = false;
    consumed_ = index + 1;
    // Taken while locked: once consumed_ moves on, a worker may refill this slot.
    std::unique_ptr<catalog::FileRecord> record = std::move(slot.record);
    lock.unlock();
    space_cv_.notify_all();
    return record;
  }

  std::size_t readCount() const { return read_count_.load(); }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    space_cv_.notify_all();
    ready_cv_.notify_all();
    for (auto& w : workers_) {
      if (w.joinable()) w.join();
    }
  }

 private:
  struct Slot {
    bool ready = false;
    std::unique_ptr<catalog::FileRecord> record;
  };

  void work(const ImportOptions& options) {
    for (;;) {
      std::size_t index = 0;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        space_cv_.wait(lock, [&] {
          return stopping_ || next_ >= files_.size() || next_ < consumed_ + window_;
        });
        if (stopping_ || next_ >= files_.size()) return;
        index = next_++;
      }
      auto record = std::make_unique<catalog::FileRecord>(
          dicom::readDicomHeader(files_[index], dicom::HeaderReadOptions{}));
      if (options.deidentify) deidentify(*record, options.deidentify_key);
      ++read_count_;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        Slot& slot = slots_[index % window_];
        slot.record = std::move(record);
        slot.ready = true;
      }
      ready_cv_.notify_all();
    }
  }

  const std::vector<dicom::DiscoveredFile>& files_;
  const std::size_t window_;
  std::vector<Slot> slots_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::condition_variable space_cv_;
  std::size_t next_ = 0;
  std::size_t consumed_ = 0;
  bool stopping_ = false;
  std::atomic<std::size_t> read_count_{0};
};

}  // namespace

ImportSummary importIntoCatalog(const fs::path& catalog_file, const std::vector<fs::path>& inputs,
                                const ImportOptions& options,
                                const std::function<bool(const ImportProgress&)>& progress) {
  const auto start = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  ImportSummary summary;
  if (inputs.empty()) {
    summary.status = {"no_inputs", "nothing to import: give at least one folder, file or DICOMDIR"};
    return summary;
  }
  auto catalog = catalog::Catalog::open(catalog_file, summary.status);
  if (!catalog) return summary;

  nlohmann::json inputs_json = nlohmann::json::array();
  for (const auto& input : inputs) inputs_json.push_back(input.string());
  const nlohmann::json options_json = {{"jobs", options.jobs},
                                       {"batch_files", options.batch_files},
                                       {"skip_hidden", options.skip_hidden},
                                       {"deidentify", options.deidentify}};
  summary.run = catalog->beginRun(inputs_json.dump(), options_json.dump(), summary.status);
  if (!summary.ok()) return summary;

  ProgressThrottle report(progress, start);
  std::size_t planned = 0;  // files to read, once known (the final report's total)
  const auto cancel_requested = [&] { return options.cancel != nullptr && options.cancel->load(); };
  const auto finish = [&](const std::string& state) {
    summary.seconds = elapsed();
    summary.files_per_second =
        summary.seconds > 0 ? static_cast<double>(summary.files_read) / summary.seconds : 0.0;
    const catalog::Status fin = catalog->finishRun(summary.run, state, summaryJson(summary).dump());
    if (summary.ok() && !fin.ok()) summary.status = fin;
    summary.catalog_after = catalog->counts();
    report(Phase::kDone, summary.files_read, planned, true);
    return summary;
  };

  // 1. Discover.
  dicom::DiscoveryOptions discovery_options;
  discovery_options.skip_hidden = options.skip_hidden;
  bool cancelled = false;
  const dicom::DiscoveryResult found =
      dicom::discoverInputs(inputs, discovery_options, [&](std::size_t n) {
        cancelled = cancelled || cancel_requested() || !report(Phase::kDiscover, n, 0);
        return !cancelled;
      });
  summary.files_found = found.files.size();
  if (cancelled) {
    summary.cancelled = true;
    return finish("cancelled");
  }

  // 2. Decide what to read: new or changed files (path, size, mtime); note files that are gone.
  const auto known = catalog->knownFiles();
  std::vector<dicom::DiscoveredFile> to_read;
  std::vector<std::string> back, missing;
  std::unordered_set<std::string> seen;
  for (const auto& f : found.files) {
    seen.insert(f.path);
    const auto it = known.find(f.path);
    if (it != known.end() && it->second.size_bytes == f.size_bytes &&
        it->second.mtime_ns == f.mtime_ns) {
      ++summary.files_unchanged;
      if (it->second.missing) back.push_back(f.path);
    } else {
      to_read.push_back(f);
    }
  }
  for (const auto& [path, issue] : found.issues) seen.insert(path);
  const Roots roots = rootsOf(inputs);
  for (const auto& [path, file] : known) {
    if (!file.missing && !seen.count(path) && roots.covers(path)) missing.push_back(path);
  }
  planned = to_read.size();
  std::sort(missing.begin(), missing.end());
  std::sort(back.begin(), back.end());
  summary.files_missing = missing.size();
  if (!missing.empty()) summary.status = catalog->markMissing(summary.run, missing, true);
  if (summary.ok() && !back.empty())
    summary.status = catalog->markMissing(summary.run, back, false);
  if (!summary.ok()) return finish("failed");

  // Problems met while discovering (a DICOMDIR path leaving its folder, a missing input) are
  // recorded like any file's issues.
  std::vector<catalog::FileRecord> batch;
  for (const auto& [path, issue] : found.issues) {
    catalog::FileRecord r;
    r.path = path;
    r.issues.push_back(issue);
    batch.push_back(std::move(r));
  }

  // 3. Read on N threads, write from this thread in file order, one transaction per batch.
  const int threads = options.jobs > 0
                          ? options.jobs
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::size_t batch_files = static_cast<std::size_t>(std::max(1, options.batch_files));
  std::size_t written = 0;
  const auto commit = [&]() {
    if (batch.empty()) return true;
    catalog::BatchCounts counts;
    summary.status = catalog->writeBatch(summary.run, batch, &counts);
    if (!summary.ok()) return false;
    accumulate(summary.added, counts);
    written += batch.size();
    for (const auto& r : batch) {
      summary.files_with_issues += r.issues.empty() ? 0 : 1;
      for (const auto& issue : r.issues) ++summary.issues_by_key[issue.key];
    }
    for (const auto& [path, issue] : counts.issues) ++summary.issues_by_key[issue.key];
    batch.clear();
    if (options.on_commit) options.on_commit(written);
    return true;
  };
  if (!found.issues.empty() && !commit()) return finish("failed");

  dicom::initializeDicomReading();  // DCMTK's global state, once, before the reader threads
  OrderedReader reader(to_read, threads, 4 * batch_files, options);
  for (std::size_t i = 0; i < to_read.size();) {
    bool timed_out = false;
    auto record = reader.take(i, std::chrono::milliseconds(100), &timed_out);
    if (cancel_requested() || !report(Phase::kRead, reader.readCount(), to_read.size())) {
      cancelled = true;
      break;
    }
    if (!record) continue;  // not read yet: keep waiting (progress and cancel stay live)
    batch.push_back(std::move(*record));
    ++summary.files_read;
    ++i;
    if ((batch.size() >= batch_files || i == to_read.size()) && !commit()) {
      reader.stop();
      return finish("failed");
    }
  }
  reader.stop();
  // A cancel keeps the files of the batch being filled: they are complete records, so writing
  // them is as consistent as dropping them, and saves reading them again next time.
  if (!commit()) return finish("failed");
  summary.cancelled = cancelled;
  return finish(cancelled ? "cancelled" : "complete");
}

}  // namespace planelab::import
