#include "ui/window/reactions.h"

#include <utility>

#include <QFileDialog>
#include <QThread>

#include "ui/catalog/catalog_session.h"
#include "ui/jobs/job_manager.h"
#include "ui/window/catalog_jobs.h"
#include "ui/window/main_window.h"

namespace planelab::ui {

Reaction::Reaction(QAction* action) : QObject(action), action_(action) {
  connect(action, &QAction::triggered, this, [this] { onTriggered(); });
}

void Reaction::watch(CatalogSession* session) {
  connect(session, &CatalogSession::opened, this, [this] { updateEnableState(); });
  connect(session, &CatalogSession::closed, this, [this] { updateEnableState(); });
  connect(session, &CatalogSession::changed, this, [this] { updateEnableState(); });
}

OpenCatalogReaction::OpenCatalogReaction(QAction* action, MainWindow* window, bool create)
    : Reaction(action), window_(window), create_(create) {}

void OpenCatalogReaction::onTriggered() {
  const QString filter = tr("PlaneLab catalogs (*.sqlite *.planelab);;All files (*)");
  const QString path =
      create_ ? QFileDialog::getSaveFileName(window_, tr("New catalog"), QString(), filter)
              : QFileDialog::getOpenFileName(window_, tr("Open catalog"), QString(), filter);
  if (!path.isEmpty()) window_->openCatalog(path);
}

CatalogActionReaction::CatalogActionReaction(QAction* action, CatalogSession* session,
                                             std::function<void()> trigger)
    : Reaction(action), session_(session), trigger_(std::move(trigger)) {
  watch(session);
  updateEnableState();
}

void CatalogActionReaction::onTriggered() {
  trigger_();
}

void CatalogActionReaction::updateEnableState() {
  action()->setEnabled(session_->isOpen());
}

CurateReaction::CurateReaction(QAction* action, CatalogSession* session, JobManager* jobs)
    : Reaction(action), session_(session), jobs_(jobs) {
  watch(session);
  updateEnableState();
}

void CurateReaction::onTriggered() {
  if (!session_->isOpen()) return;
  Job* job = jobs_->start(tr("Curate %1").arg(session_->path()),
                          curationWork(session_->path(), QString(), QThread::idealThreadCount()));
  connect(job, &Job::finishedWith, session_, [session = session_] { session->notifyChanged(); });
}

void CurateReaction::updateEnableState() {
  action()->setEnabled(session_->isOpen());
}

}  // namespace planelab::ui
