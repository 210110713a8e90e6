#include "ui/jobs/job.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QTimer>
#include <exception>

namespace planelab::ui {
namespace {
constexpr int kFlushIntervalMs = 50;  // at most ~20 UI updates per second per job
constexpr int kMaxLogLines = 5000;    // the log view keeps the latest lines
}  // namespace

QString jobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return QCoreApplication::translate("planelab::ui::Job", "queued");
    case JobState::kRunning:
      return QCoreApplication::translate("planelab::ui::Job", "running");
    case JobState::kPaused:
      return QCoreApplication::translate("planelab::ui::Job", "paused");
    case JobState::kSucceeded:
      //: A job's state: it ended successfully.
      return QCoreApplication::translate("planelab::ui::Job", "done");
    case JobState::kFailed:
      return QCoreApplication::translate("planelab::ui::Job", "failed");
    case JobState::kCancelled:
      return QCoreApplication::translate("planelab::ui::Job", "cancelled");
  }
  return {};
}

void JobContext::progress(std::int64_t done, std::int64_t total, const QString& text) {
  job_->report(done, total, text.isNull() ? nullptr : &text, nullptr);
}

void JobContext::log(const QString& line) {
  job_->report(-1, -1, nullptr, &line);
}

void JobContext::post(std::function<void()> fn) {
  QMetaObject::invokeMethod(job_, std::move(fn), Qt::QueuedConnection);
}

bool JobContext::cancelled() const {
  return job_->cancel_.load();
}
const std::atomic<bool>* JobContext::cancelFlag() const {
  return &job_->cancel_;
}
const std::atomic<bool>* JobContext::pauseFlag() const {
  return &job_->pause_;
}

void JobContext::onControl(std::function<void(bool, bool)> listener) {
  std::lock_guard<std::mutex> lock(job_->control_mutex_);
  job_->control_listener_ = std::move(listener);
  if (job_->control_listener_) job_->control_listener_(job_->cancel_.load(), job_->pause_.load());
}

void Job::notifyControl() {
  std::lock_guard<std::mutex> lock(control_mutex_);
  if (control_listener_) control_listener_(cancel_.load(), pause_.load());
}

Job::Job(QString title, Work work, bool pausable, QObject* parent)
    : QObject(parent), title_(std::move(title)), work_(std::move(work)), pausable_(pausable) {
  qRegisterMetaType<planelab::ui::JobOutcome>();
  qRegisterMetaType<planelab::ui::JobState>();
}

Job::~Job() {
  if (thread_ != nullptr) {
    cancel_ = true;
    pause_ = false;
    thread_->wait();
  }
}

void Job::start() {
  if (state_ != JobState::kQueued) return;
  clock_.start();
  last_flush_.start();
  setState(JobState::kRunning);
  thread_ = QThread::create([this] {
    JobContext context(this);
    JobOutcome outcome;
    try {
      outcome = work_(context);
    } catch (const std::exception& e) {
      outcome.error_key = QStringLiteral("internal_error");
      outcome.message = QString::fromUtf8(e.what());
    }
    if (cancel_.load() && outcome.error_key.isEmpty()) outcome.cancelled = true;
    {
      std::lock_guard<std::mutex> lock(control_mutex_);
      control_listener_ = nullptr;  // it refers to the work's locals
    }
    QMetaObject::invokeMethod(
        this, [this, outcome] { onWorkEnded(outcome); }, Qt::QueuedConnection);
  });
  thread_->setObjectName(title_);
  thread_->start();
}

void Job::cancel() {
  if (finished()) return;
  cancel_ = true;
  pause_ = false;  // a paused worker must wake up to see the cancel
  notifyControl();
  if (state_ == JobState::kQueued) {
    JobOutcome outcome;
    outcome.cancelled = true;
    onWorkEnded(outcome);
  }
}

void Job::pause() {
  if (!pausable_ || state_ != JobState::kRunning) return;
  pause_ = true;
  notifyControl();
  pause_clock_.start();
  setState(JobState::kPaused);
}

void Job::resume() {
  if (state_ != JobState::kPaused) return;
  pause_ = false;
  notifyControl();
  paused_seconds_ += static_cast<double>(pause_clock_.elapsed()) / 1000.0;
  setState(JobState::kRunning);
}

bool Job::wait(int timeout_ms) {
  QElapsedTimer timer;
  timer.start();
  while (!finished()) {
    if (timer.elapsed() > timeout_ms) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(2);
  }
  return true;
}

bool Job::finished() const {
  return state_ == JobState::kSucceeded || state_ == JobState::kFailed ||
         state_ == JobState::kCancelled;
}

double Job::elapsedSeconds() const {
  if (final_elapsed_ >= 0.0) return final_elapsed_;
  if (!clock_.isValid()) return 0.0;
  return static_cast<double>(clock_.elapsed()) / 1000.0;
}

double Job::etaSeconds() const {
  if (finished() || done_ <= 0 || total_ <= 0 || done_ > total_) return -1.0;
  double active = elapsedSeconds() - paused_seconds_;
  if (state_ == JobState::kPaused) active -= static_cast<double>(pause_clock_.elapsed()) / 1000.0;
  return active * static_cast<double>(total_ - done_) / static_cast<double>(done_);
}

QString Job::formatDuration(double seconds) {
  if (seconds < 0.0) return QStringLiteral("--:--");
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) {
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
  }
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

void Job::report(std::int64_t done, std::int64_t total, const QString* text, const QString* line) {
  bool queue = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (done >= 0) {
      pending_done_ = done;
      pending_total_ = total;
    }
    if (text != nullptr) pending_text_ = *text;
    if (line != nullptr) pending_log_.append(*line);
    if (!flush_queued_) {
      flush_queued_ = true;
      queue = true;
    }
  }
  if (queue) {
    // The first report after a flush schedules the next one no sooner than kFlushIntervalMs
    // after the previous: later reports in between only update the pending values.
    QMetaObject::invokeMethod(
        this,
        [this] {
          const qint64 since = last_flush_.elapsed();
          if (since >= kFlushIntervalMs) {
            flushReports();
          } else {
            QTimer::singleShot(static_cast<int>(kFlushIntervalMs - since), this,
                               [this] { flushReports(); });
          }
        },
        Qt::QueuedConnection);
  }
}

void Job::flushReports() {
  QStringList lines;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    flush_queued_ = false;
    done_ = pending_done_;
    total_ = pending_total_;
    if (!pending_text_.isNull()) text_ = pending_text_;
    lines.swap(pending_log_);
  }
  last_flush_.restart();
  for (const QString& line : lines) {
    log_.append(line);
    Q_EMIT logged(line);
  }
  while (log_.size() > kMaxLogLines) log_.removeFirst();
  Q_EMIT progressed();
}

void Job::setState(JobState state) {
  if (state_ == state) return;
  state_ = state;
  Q_EMIT stateChanged(state);
}

void Job::onWorkEnded(const JobOutcome& outcome) {
  if (finished()) return;
  if (thread_ != nullptr) {
    thread_->wait();
    delete thread_;
    thread_ = nullptr;
  }
  flushReports();
  final_elapsed_ = clock_.isValid() ? static_cast<double>(clock_.elapsed()) / 1000.0 : 0.0;
  outcome_ = outcome;
  if (!outcome.message.isEmpty()) {
    log_.append(outcome.error_key.isEmpty()
                    ? outcome.message
                    : QStringLiteral("[%1] %2").arg(outcome.error_key, outcome.message));
    Q_EMIT logged(log_.back());
  }
  setState(outcome.cancelled ? JobState::kCancelled
           : outcome.ok()    ? JobState::kSucceeded
                             : JobState::kFailed);
  Q_EMIT finishedWith(outcome_);
}

}  // namespace planelab::ui
