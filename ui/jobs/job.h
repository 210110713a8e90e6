// Long work (import, curation, prepare, training, export) as a Job: a title, a state, progress
// with an ETA, a log, cancel and (where the work supports it) pause. The work function runs on the
// job's own worker thread; everything it reports reaches the UI thread through queued calls, at
// most ~20 times per second, so a fast loop cannot flood the event loop.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QVariant>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace planelab::ui {

enum class JobState { kQueued, kRunning, kPaused, kSucceeded, kFailed, kCancelled };
QString jobStateName(JobState state);

// How the work ended. error_key is a stable snake_case key (the core's), empty on success.
struct JobOutcome {
  bool cancelled = false;
  QString error_key;
  QString message;
  QVariant result;  // what the work hands to its owner (a summary, a path, ...)
  bool ok() const { return error_key.isEmpty() && !cancelled; }
};

class Job;

// The work function's view of its job. Thread-safe; used from the worker thread.
class JobContext {
 public:
  explicit JobContext(Job* job) : job_(job) {}
  // done / total work units (total 0 = unknown yet) and a short text ("12 of 40 studies").
  void progress(std::int64_t done, std::int64_t total, const QString& text = {});
  void log(const QString& line);
  // Runs fn on the UI thread (queued, in order): how results such as training curve points reach
  // widgets while the work goes on.
  void post(std::function<void()> fn);
  bool cancelled() const;
  const std::atomic<bool>* cancelFlag() const;
  const std::atomic<bool>* pauseFlag() const;
  // For work whose library has its own flags (train::Control): called with (cancel, pause) at once
  // with the current values and then, from the UI thread, whenever they change. Set it before the
  // long call; it stays until the work ends.
  void onControl(std::function<void(bool cancel, bool pause)> listener);

 private:
  Job* job_;
};

class Job : public QObject {
  Q_OBJECT

 public:
  using Work = std::function<JobOutcome(JobContext&)>;

  // pausable: the work honours pauseFlag() (the trainer does; import and curation do not).
  Job(QString title, Work work, bool pausable = false, QObject* parent = nullptr);
  ~Job() override;

  void start();
  void cancel();
  void pause();
  void resume();
  // Waits for the worker to end (tests and shutdown); true when it ended within timeout_ms.
  bool wait(int timeout_ms);

  const QString& title() const { return title_; }
  JobState state() const { return state_; }
  bool pausable() const { return pausable_; }
  bool finished() const;
  std::int64_t done() const { return done_; }
  std::int64_t total() const { return total_; }
  const QString& progressText() const { return text_; }
  double elapsedSeconds() const;
  // Seconds left at the average rate so far; negative while unknown.
  double etaSeconds() const;
  const QStringList& logLines() const { return log_; }
  const JobOutcome& outcome() const { return outcome_; }

  // "1:05" or "1:02:03"; "--:--" when negative.
  static QString formatDuration(double seconds);

 Q_SIGNALS:
  void stateChanged(planelab::ui::JobState state);
  void progressed();
  void logged(const QString& line);
  void finishedWith(const planelab::ui::JobOutcome& outcome);

 private:
  friend class JobContext;
  void report(std::int64_t done, std::int64_t total, const QString* text, const QString* line);
  void flushReports();
  void setState(JobState state);
  void onWorkEnded(const JobOutcome& outcome);
  void notifyControl();

  QString title_;
  Work work_;
  bool pausable_;
  JobState state_ = JobState::kQueued;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> pause_{false};
  std::mutex control_mutex_;
  std::function<void(bool, bool)> control_listener_;
  QThread* thread_ = nullptr;
  QElapsedTimer clock_;
  double paused_seconds_ = 0.0;  // time spent paused, left out of the ETA rate
  QElapsedTimer pause_clock_;
  double final_elapsed_ = -1.0;

  // Reports from the worker, taken over by the UI thread in flushReports.
  std::mutex mutex_;
  std::int64_t pending_done_ = 0, pending_total_ = 0;
  QString pending_text_;
  QStringList pending_log_;
  bool flush_queued_ = false;
  QElapsedTimer last_flush_;

  std::int64_t done_ = 0, total_ = 0;
  QString text_;
  QStringList log_;
  JobOutcome outcome_;
};

}  // namespace planelab::ui

Q_DECLARE_METATYPE(planelab::ui::JobOutcome)
