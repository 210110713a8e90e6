// The application's jobs: starts them, keeps them (finished ones too, for their logs) and tells
// the job panel about new ones.
#pragma once

#include <QObject>
#include <QVector>

#include "ui/jobs/job.h"

namespace planelab::ui {

class JobManager : public QObject {
  Q_OBJECT

 public:
  explicit JobManager(QObject* parent = nullptr) : QObject(parent) {}
  ~JobManager() override;

  // Creates the job, announces it and starts it on its worker thread.
  Job* start(const QString& title, Job::Work work, bool pausable = false);
  const QVector<Job*>& jobs() const { return jobs_; }
  // Jobs not finished yet.
  int activeCount() const;
  // Cancels every running job and waits for their workers (application shutdown).
  void cancelAllAndWait();

 Q_SIGNALS:
  void jobAdded(planelab::ui::Job* job);

 private:
  QVector<Job*> jobs_;
};

}  // namespace planelab::ui
