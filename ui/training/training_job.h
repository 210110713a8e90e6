// A training run (train::runTraining, as the CLI's pretrain/finetune/--resume run it) as a
// pausable Job. The trainer reports on the job's worker thread; its events reach the UI thread
// through the run's TrainingFeed: iteration points at most every ~100 ms (the latest one; every
// epoch's last one is always delivered) and every epoch, so a fast run cannot flood the event loop.
// The job's progress counts the optimiser steps of this session (a resumed run counts from where
// it resumed), so the job panel's rate and ETA describe the steps still to go.
#pragma once

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <cstdint>
#include <functional>
#include <string>

#include "train/config.h"
#include "train/events.h"
#include "train/trainer.h"
#include "ui/jobs/job.h"
#include "ui/jobs/job_manager.h"

namespace planelab::ui {

// What one run reports, on the UI thread. Owned by the run's Job (a child of it).
class TrainingFeed : public QObject {
  Q_OBJECT

 public:
  explicit TrainingFeed(QObject* parent = nullptr);

 Q_SIGNALS:
  void iteration(const planelab::train::IterationEvent& event);
  void epoch(const planelab::train::EpochEvent& event);
  // level: info | warning | error (the trainer's)
  void message(const QString& level, const QString& text);
  // Before the job's own end (the job then succeeds, is cancelled or fails with the result's key).
  // A run refused before it started (e.g. [run_exists]) ends with status "failed".
  void finished(const planelab::train::RunResult& result);
};

// The trainer's observer on a job's worker thread: progress to the job (or to `progress`, for work
// of which the run is one part), events to the feed through JobContext::post (queued, in order,
// on the UI thread; dropped if the job is gone, which also owns the feed). Iteration points reach
// the feed at most every ~100 ms (the latest one; every epoch's last one always).
class FeedObserver : public train::Observer {
 public:
  using Progress = std::function<void(std::int64_t done, std::int64_t total, const QString& text)>;
  FeedObserver(JobContext& context, TrainingFeed* feed, Progress progress = {});

  void iteration(const train::IterationEvent& e) override;
  void epoch(const train::EpochEvent& e) override;
  void message(const std::string& level, const std::string& text) override;
  // Delivers the pending iteration point now.
  void flush();
  // The run ended: the pending point, then the feed's finished(result).
  void finish(const train::RunResult& result);

 private:
  JobContext& context_;
  TrainingFeed* feed_;
  Progress progress_;
  std::int64_t session_first_step_ = -1;
  train::IterationEvent pending_;
  bool has_pending_ = false;
  QElapsedTimer clock_;
};

// Starts the run (resume: continue config.out from its last checkpoint; the config is then read
// from the run folder by the trainer). The software version written to run.json is the
// application's (QCoreApplication::applicationVersion).
Job* startTrainingJob(JobManager& jobs, const train::TrainConfig& config, bool resume);

// Mirrors the job's cancel and pause into the trainer's flags until the work ends (call
// context.onControl({}) before `control` goes out of scope).
void bindControl(JobContext& context, train::Control& control);

// The feed of a job startTrainingJob made; nullptr for other jobs.
TrainingFeed* trainingFeed(Job* job);

// A core message in its "[error_key] text" form as a failed job's outcome; fallback_key when the
// message has no key.
JobOutcome failedOutcome(const std::string& message, const QString& fallback_key);
// A core run's end (status completed | cancelled | anything else = failed, with its "[key] ..."
// message) as a job's outcome carrying `result`.
JobOutcome statusOutcome(const std::string& status, const std::string& message,
                         const QString& fallback_key, const QString& result = {});

}  // namespace planelab::ui

Q_DECLARE_METATYPE(planelab::train::IterationEvent)
Q_DECLARE_METATYPE(planelab::train::EpochEvent)
Q_DECLARE_METATYPE(planelab::train::RunResult)
