#include "ui/training/training_job.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <exception>
#include <filesystem>
#include <utility>

namespace planelab::ui {
namespace {

// At most one iteration point per interval reaches the UI thread: a live curve needs no more
// than ~10 points per second, and each point costs the chart a repaint.
constexpr qint64 kIterationIntervalMs = 100;

}  // namespace

FeedObserver::FeedObserver(JobContext& context, TrainingFeed* feed, Progress progress)
    : context_(context), feed_(feed), progress_(std::move(progress)) {
  if (!progress_) {
    progress_ = [&context](std::int64_t done, std::int64_t total, const QString& text) {
      context.progress(done, total, text);
    };
  }
}

void FeedObserver::iteration(const train::IterationEvent& e) {
  // This session's steps: a resumed run starts counting at its first epoch, so the job's
  // average rate (its ETA) covers only steps this session ran.
  if (session_first_step_ < 0) session_first_step_ = std::int64_t{e.epoch} * e.batches;
  const std::int64_t done = std::int64_t{e.epoch} * e.batches + e.batch - session_first_step_;
  const std::int64_t total = std::int64_t{e.epochs} * e.batches - session_first_step_;
  progress_(done, total, TrainingFeed::tr("epoch %1 of %2").arg(e.epoch + 1).arg(e.epochs));
  pending_ = e;
  has_pending_ = true;
  // Pausing or cancelling: the trainer waits or stops before its next iteration, so this one
  // is the last to show for now.
  if (!clock_.isValid() || clock_.elapsed() >= kIterationIntervalMs ||
      context_.pauseFlag()->load() || context_.cancelled())
    flush();
}

void FeedObserver::epoch(const train::EpochEvent& e) {
  flush();  // the epoch's last iteration, so every epoch's curve ends where its point is drawn
  context_.post([feed = feed_, e] { Q_EMIT feed->epoch(e); });
}

void FeedObserver::message(const std::string& level, const std::string& text) {
  const QString line = QString::fromStdString(text);
  context_.log(level == "info" ? line
                               : QStringLiteral("%1: %2").arg(QString::fromStdString(level), line));
  context_.post([feed = feed_, level = QString::fromStdString(level), line] {
    Q_EMIT feed->message(level, line);
  });
}

void FeedObserver::flush() {
  if (!has_pending_) return;
  has_pending_ = false;
  clock_.start();
  context_.post([feed = feed_, e = pending_] { Q_EMIT feed->iteration(e); });
}

void FeedObserver::finish(const train::RunResult& result) {
  flush();
  context_.post([feed = feed_, result] { Q_EMIT feed->finished(result); });
}

JobOutcome failedOutcome(const std::string& message, const QString& fallback_key) {
  static const QRegularExpression keyed(QStringLiteral(R"(^\[([a-z0-9_]+)\]\s*(.*)$)"),
                                        QRegularExpression::DotMatchesEverythingOption);
  const QString text = QString::fromStdString(message);
  const auto match = keyed.match(text);
  JobOutcome outcome;
  outcome.error_key = match.hasMatch() ? match.captured(1) : fallback_key;
  outcome.message = match.hasMatch() ? match.captured(2) : text;
  return outcome;
}

JobOutcome statusOutcome(const std::string& status, const std::string& message,
                         const QString& fallback_key, const QString& result) {
  JobOutcome outcome;
  if (status == "cancelled") {
    outcome.cancelled = true;
  } else if (status != "completed") {
    outcome = failedOutcome(message, fallback_key);
  }
  outcome.result = result;
  return outcome;
}

TrainingFeed::TrainingFeed(QObject* parent) : QObject(parent) {
  qRegisterMetaType<planelab::train::IterationEvent>();
  qRegisterMetaType<planelab::train::EpochEvent>();
  qRegisterMetaType<planelab::train::RunResult>();
}

Job* startTrainingJob(JobManager& jobs, const train::TrainConfig& config, bool resume) {
  auto* feed = new TrainingFeed;
  const QString name =
      QString::fromStdString(std::filesystem::path(config.out).filename().string());
  const QString title =
      resume ? TrainingFeed::tr("Resume training %1").arg(name)
             : TrainingFeed::tr("Train %1 (%2)").arg(name, QString::fromStdString(config.task));
  const std::string version = QCoreApplication::applicationVersion().toStdString();
  Job* job = jobs.start(
      title,
      [config, resume, feed, version](JobContext& context) {
        train::Control control;
        bindControl(context, control);
        FeedObserver observer(context, feed);
        train::RunOptions options;
        options.resume = resume;
        options.observer = &observer;
        options.control = &control;
        options.software_version = version;
        train::RunResult result;
        try {
          result = train::runTraining(config, options);
        } catch (const std::exception& e) {
          // Refused before training started ([run_exists], [nothing_to_resume], ...).
          result.status = "failed";
          result.message = e.what();
          result.run_dir = config.out;
        }
        context.onControl({});  // `control` ends with this function
        observer.finish(result);
        return statusOutcome(result.status, result.message, QString::fromStdString(result.status),
                             QString::fromStdString(result.run_dir));
      },
      true);
  feed->setParent(job);  // before any posted event can run: they run on this (the UI) thread
  return job;
}

void bindControl(JobContext& context, train::Control& control) {
  context.onControl([&control](bool cancel, bool pause) {
    control.cancel = cancel;
    control.pause = pause;
  });
}

TrainingFeed* trainingFeed(Job* job) {
  return job == nullptr ? nullptr
                        : job->findChild<TrainingFeed*>(QString(), Qt::FindDirectChildrenOnly);
}

}  // namespace planelab::ui
