// Reactions (ParaView's pattern): each menu/tool action's logic and enable state in a small
// object attached to its QAction, so the main window is only wiring.
#pragma once

#include <QAction>
#include <QObject>
#include <QStringList>
#include <functional>

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

// An action that needs an open catalog (File ▸ Import DICOM…, Experiment ▸ New experiment…):
// enabled while one is open, runs `trigger` (which opens the wizard) when chosen.
class CatalogActionReaction : public Reaction {
  Q_OBJECT
 public:
  CatalogActionReaction(QAction* action, CatalogSession* session, std::function<void()> trigger);

 protected:
  void onTriggered() override;
  void updateEnableState() override;

 private:
  CatalogSession* session_;
  std::function<void()> trigger_;
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
