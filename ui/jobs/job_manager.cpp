#include "ui/jobs/job_manager.h"

namespace planelab::ui {

JobManager::~JobManager() {
  cancelAllAndWait();
}

Job* JobManager::start(const QString& title, Job::Work work, bool pausable) {
  auto* job = new Job(title, std::move(work), pausable, this);
  jobs_.append(job);
  Q_EMIT jobAdded(job);
  job->start();
  return job;
}

int JobManager::activeCount() const {
  int n = 0;
  for (const Job* job : jobs_) n += job->finished() ? 0 : 1;
  return n;
}

void JobManager::cancelAllAndWait() {
  for (Job* job : jobs_) job->cancel();
  for (Job* job : jobs_) job->wait(60000);
}

}  // namespace planelab::ui
