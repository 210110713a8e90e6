// An experiment (experiment::runExperiment: prepare once, pretrain per arm and seed, fine-tune
// per arm × budget × seed, resuming what an earlier session left) as one pausable Job. Each
// training step gets its own TrainingFeed, announced on the UI thread by ExperimentFeed::
// runStarted before any of its events, so the dashboard can watch every run as it starts. The
// job's progress counts steps (each step one unit, split by its own progress), its pause and
// cancel act on the step that is running: cancelling keeps every finished run.
#pragma once

#include <QObject>
#include <QString>

#include "experiment/experiment.h"
#include "ui/jobs/job.h"
#include "ui/jobs/job_manager.h"
#include "ui/training/training_job.h"

namespace planelab::ui {

// What the experiment reports, on the UI thread. Owned by the experiment's Job (a child of it).
class ExperimentFeed : public QObject {
  Q_OBJECT

 public:
  explicit ExperimentFeed(QObject* parent = nullptr) : QObject(parent) {}

 Q_SIGNALS:
  // A pretraining or fine-tuning step started: its run's feed (a child of this feed) and folder.
  void runStarted(planelab::ui::TrainingFeed* feed, const QString& run_dir);
  // The experiment ended: status completed | cancelled | failed, and results.csv ("" if none).
  void finished(const QString& status, const QString& results_csv);
};

// "pretrain multitask, seed 1", "fine-tune scratch, 2 labelled subjects, seed 3", ...
QString stepTitle(const experiment::Step& step);

// Starts the experiment. Catalog images are read with core/sources (DCMTK). The job's result is
// the experiment folder.
Job* startExperimentJob(JobManager& jobs, const experiment::ExperimentConfig& config);

// The feed of a job startExperimentJob made; nullptr for other jobs.
ExperimentFeed* experimentFeed(Job* job);

}  // namespace planelab::ui
