// The jobs dock: one row per job (title, progress bar, counts, rate, elapsed, ETA, Pause/Resume,
// Cancel) and the selected job's log.
#pragma once

#include <QHash>
#include <QWidget>

#include "ui/jobs/job_manager.h"

class QPlainTextEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace planelab::ui {

class JobPanel : public QWidget {
  Q_OBJECT

 public:
  explicit JobPanel(JobManager* manager, QWidget* parent = nullptr);

 private:
  void addJob(Job* job);
  void refresh(Job* job);
  void showLog(Job* job);

  QTreeWidget* list_;
  QPlainTextEdit* log_;
  QHash<Job*, QTreeWidgetItem*> items_;
  Job* shown_ = nullptr;
};

}  // namespace planelab::ui
