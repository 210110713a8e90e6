// A training run (train::runTraining, as the CLI's pretrain/finetune/--resume run it) as a
// pausable Job. The trainer reports on the job's worker thread; its events reach the UI thread
// through the run's TrainingFeed: iteration points at most every ~100 ms (the latest one; every
// epoch's last one is always delivered) and every epoch, so a fast run cannot flood the event loop.
// The job's progress counts the optimiser steps of this session (a resumed run counts from where
// it resumed), so the job panel's rate and ETA describe the steps still to go.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>
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

// Starts the run (resume: continue config.out from its last checkpoint; the config is then read
// from the run folder by the trainer). The software version written to run.json is the
// application's (QCoreApplication::applicationVersion).
Job* startTrainingJob(JobManager& jobs, const train::TrainConfig& config, bool resume);

// The feed of a job startTrainingJob made; nullptr for other jobs.
TrainingFeed* trainingFeed(Job* job);

// A core message in its "[error_key] text" form as a failed job's outcome; fallback_key when the
// message has no key.
JobOutcome failedOutcome(const std::string& message, const QString& fallback_key);

}  // namespace planelab::ui

Q_DECLARE_METATYPE(planelab::train::IterationEvent)
Q_DECLARE_METATYPE(planelab::train::EpochEvent)
Q_DECLARE_METATYPE(planelab::train::RunResult)
