// An experiment or a study of several (study::runStudy). An experiment (experiment::runExperiment:
// prepare once, pretrain per arm and seed, fine-tune per arm × budget × seed, resuming what an
// earlier session left) as one pausable Job. Each training step gets its own TrainingFeed,
// announced on the UI thread by ExperimentFeed:: runStarted before any of its events, so the
// dashboard can watch every run as it starts. The job's progress counts steps (each step one unit,
// split by its own progress), its pause and cancel act on the step that is running: cancelling
// keeps every finished run.
#pragma once

#include <QObject>
#include <QString>

#include "experiment/experiment.h"
#include "study/study.h"
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
  // The experiment (study) ended: status completed | cancelled | failed, and results.csv
  // (report.md) or "" if none.
  void finished(const QString& status, const QString& results_file);
};

// "pretrain multitask, seed 1", "fine-tune scratch, 2 labelled subjects, seed 3", ...
QString stepTitle(const experiment::Step& step);

// Starts the experiment. Catalog images are read with core/sources (DCMTK). The job's result is
// the experiment folder.
Job* startExperimentJob(JobManager& jobs, const experiment::ExperimentConfig& config);

// Starts a study (study::runStudy: its experiments in order, then the report). Progress counts
// the steps of every experiment; the plots are drawn on the UI thread. The job's result is the
// study folder; the feed's finished() gives report.md.
Job* startStudyJob(JobManager& jobs, const study::StudyConfig& config);

// The feed of a job startExperimentJob or startStudyJob made; nullptr for other jobs.
ExperimentFeed* experimentFeed(Job* job);

}  // namespace planelab::ui
