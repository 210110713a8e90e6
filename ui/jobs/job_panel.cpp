#include "ui/jobs/job_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace planelab::ui {
namespace {
enum Column { kTitle, kProgress, kStatus, kActions };
}

JobPanel::JobPanel(JobManager* manager, QWidget* parent)
    : QWidget(parent), list_(new QTreeWidget(this)), log_(new QPlainTextEdit(this)) {
  setObjectName(QStringLiteral("jobPanel"));
  list_->setObjectName(QStringLiteral("jobList"));
  list_->setRootIsDecorated(false);
  list_->setHeaderLabels({tr("Job"), tr("Progress"), tr("Status"), QString()});
  list_->header()->setSectionResizeMode(kStatus, QHeaderView::Stretch);
  log_->setObjectName(QStringLiteral("jobLog"));
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(5000);
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(list_);
  splitter->addWidget(log_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);

  connect(manager, &JobManager::jobAdded, this, &JobPanel::addJob);
  connect(list_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    if (item != nullptr) showLog(items_.key(item, nullptr));
  });
  for (Job* job : manager->jobs()) addJob(job);
}

void JobPanel::addJob(Job* job) {
  auto* item = new QTreeWidgetItem({job->title()});
  list_->insertTopLevelItem(0, item);
  items_.insert(job, item);
  auto* bar = new QProgressBar(list_);
  bar->setTextVisible(true);
  list_->setItemWidget(item, kProgress, bar);

  auto* actions = new QWidget(list_);
  auto* row = new QHBoxLayout(actions);
  row->setContentsMargins(0, 0, 0, 0);
  auto* pause = new QPushButton(tr("Pause"), actions);
  pause->setObjectName(QStringLiteral("pauseJob"));
  pause->setVisible(job->pausable());
  auto* cancel = new QPushButton(tr("Cancel"), actions);
  cancel->setObjectName(QStringLiteral("cancelJob"));
  row->addWidget(pause);
  row->addWidget(cancel);
  list_->setItemWidget(item, kActions, actions);
  connect(pause, &QPushButton::clicked, job, [job] {
    if (job->state() == JobState::kPaused) {
      job->resume();
    } else {
      job->pause();
    }
  });
  connect(cancel, &QPushButton::clicked, job, &Job::cancel);

  connect(job, &Job::progressed, this, [this, job] { refresh(job); });
  connect(job, &Job::stateChanged, this, [this, job, pause, cancel](JobState state) {
    pause->setText(state == JobState::kPaused ? tr("Resume") : tr("Pause"));
    pause->setEnabled(!job->finished());
    cancel->setEnabled(!job->finished());
    refresh(job);
  });
  connect(job, &Job::logged, this, [this, job](const QString& line) {
    if (shown_ == job) log_->appendPlainText(line);
  });
  list_->setCurrentItem(item);
  refresh(job);
}

void JobPanel::refresh(Job* job) {
  QTreeWidgetItem* item = items_.value(job, nullptr);
  if (item == nullptr) return;
  auto* bar = qobject_cast<QProgressBar*>(list_->itemWidget(item, kProgress));
  if (job->total() > 0) {
    // Percent: QProgressBar takes int, the counts may exceed its range.
    bar->setRange(0, 1000);
    bar->setValue(static_cast<int>(1000 * job->done() / job->total()));
  } else {
    bar->setRange(0, job->finished() ? 1 : 0);  // busy indicator until a total is known
    bar->setValue(job->finished() ? 1 : 0);
  }
  const double elapsed = job->elapsedSeconds();
  QString status = jobStateName(job->state());
  if (!job->progressText().isEmpty()) status += QStringLiteral(" · ") + job->progressText();
  if (job->done() > 0 && elapsed > 0.0) {
    //: A job's rate: items (files, studies, steps) done per second.
    status += QStringLiteral(" · ") +
              tr("%1/s").arg(static_cast<double>(job->done()) / elapsed, 0, 'f', 1);
  }
  status += QStringLiteral(" · ") + tr("elapsed %1").arg(Job::formatDuration(elapsed));
  if (!job->finished()) {
    //: Estimated time left.
    status += QStringLiteral(" · ") + tr("ETA %1").arg(Job::formatDuration(job->etaSeconds()));
  }
  if (job->state() == JobState::kFailed) {
    status += QStringLiteral(" · [%1] %2").arg(job->outcome().error_key, job->outcome().message);
  }
  item->setText(kStatus, status);
}

void JobPanel::showLog(Job* job) {
  shown_ = job;
  log_->clear();
  if (job != nullptr) log_->setPlainText(job->logLines().join(QLatin1Char('\n')));
}

}  // namespace planelab::ui
