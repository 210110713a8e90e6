// Reactions (ParaView's pattern): each menu/tool action's logic and enable state in a small
// object attached to its QAction, so the main window is only wiring.
#pragma once

#include <QAction>
#include <QObject>
#include <QStringList>

namespace planelab::ui {

class CatalogSession;
class JobManager;
class MainWindow;

class Reaction : public QObject {
  Q_OBJECT

 public:
  explicit Reaction(QAction* action);
  QAction* action() const { return action_; }

 protected:
  virtual void onTriggered() = 0;
  // Called when the session opens, closes or changes.
  virtual void updateEnableState() {}
  void watch(CatalogSession* session);

 private:
  QAction* action_;
};

// File ▸ New catalog… / Open catalog…: a file dialog, then the session opens it; errors are shown
// with their key. Recent catalogs are remembered by the main window.
class OpenCatalogReaction : public Reaction {
  Q_OBJECT
 public:
  OpenCatalogReaction(QAction* action, MainWindow* window, bool create);

 protected:
  void onTriggered() override;

 private:
  MainWindow* window_;
  bool create_;
};

// File ▸ Import DICOM…: the import wizard (needs an open catalog).
class ImportReaction : public Reaction {
  Q_OBJECT
 public:
  ImportReaction(QAction* action, MainWindow* window, CatalogSession* session);

 protected:
  void onTriggered() override;
  void updateEnableState() override;

 private:
  MainWindow* window_;
  CatalogSession* session_;
};

// Experiment ▸ New experiment…: the experiment wizard (needs an open catalog).
class ExperimentWizardReaction : public Reaction {
  Q_OBJECT
 public:
  ExperimentWizardReaction(QAction* action, MainWindow* window, CatalogSession* session);

 protected:
  void onTriggered() override;
  void updateEnableState() override;

 private:
  MainWindow* window_;
  CatalogSession* session_;
};

// Catalog ▸ Curate: stacks, views, intersections, QA and misalignment for every study, as a job.
class CurateReaction : public Reaction {
  Q_OBJECT
 public:
  CurateReaction(QAction* action, CatalogSession* session, JobManager* jobs);

 protected:
  void onTriggered() override;
  void updateEnableState() override;

 private:
  CatalogSession* session_;
  JobManager* jobs_;
};

}  // namespace planelab::ui
