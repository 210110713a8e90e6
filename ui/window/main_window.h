// The main window: the catalog browser (dock), tabs for the study (2-D plane viewer beside the 3-D
// plane scene), the training dashboard and the results view, the import-issues and jobs docks,
// menus whose actions are reactions. Selection is
// mirrored between the browser, the 2-D viewer and the 3-D scene. Settings, recent catalogs and
// the window layout persist (QSettings); folders dropped on the window start the import wizard.
#pragma once

#include <QMainWindow>
#include <memory>

#include "curation/study_scene.h"
#include "ui/viewer/image_cache.h"

class QMenu;
class QTabWidget;

namespace planelab::ui {

class CatalogBrowser;
class ExperimentWizard;
class Job;
class ResultsView;
class TrainingDashboard;
class CatalogSession;
class IssuesPanel;
class JobManager;
class JobPanel;
class PlaneSceneWidget;
class StudyView;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens (or creates) a catalog; on failure shows the key and message and returns false.
  bool openCatalog(const QString& path);
  void showImportWizard(const QStringList& paths);
  // Experiment ▸ New experiment…: the wizard (non-modal); Finish with "start" runs it here.
  ExperimentWizard* showExperimentWizard();
  // Runs (or resumes) the experiment of a saved config as a job; its training runs appear on the
  // Training tab as they start, its results on the Results tab when it ends. nullptr (error
  // shown) when the config cannot be read.
  Job* startExperiment(const QString& config_path);
  // Runs (or resumes) a study (Results ▸ Run study…): like an experiment, its runs on the
  // Training tab; at the end the Results tab shows its first experiment and links report.md.
  Job* startStudy(const QString& config_path);
  // What a drop of files/folders does: one catalog file opens it; anything else starts the import
  // wizard with those paths.
  void openDroppedPaths(const QStringList& paths);
  // Shows a study (catalog id) and, if given, the middle kept plane of a series.
  void showStudy(qlonglong study_id, const QString& series_instance_uid = {});
  QStringList recentCatalogs() const;

  CatalogSession* session() const { return session_; }
  JobManager* jobs() const { return jobs_; }
  CatalogBrowser* browser() const { return browser_; }
  StudyView* studyView() const { return study_view_; }
  PlaneSceneWidget* planeScene() const { return scene_; }
  IssuesPanel* issuesPanel() const { return issues_; }
  TrainingDashboard* dashboard() const { return dashboard_; }
  ResultsView* resultsView() const { return results_; }
  QTabWidget* tabs() const { return tabs_; }
  const curation::StudyScene* currentScene() const { return current_.get(); }
  // The last error shown (key), for tests and the status bar.
  const QString& lastErrorKey() const { return last_error_key_; }

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void buildDocks();
  void restoreSettings();
  void buildLanguageMenu(QMenu* menu);
  void rememberCatalog(const QString& path);
  void refreshRecentMenu();
  void showError(const QString& key, const QString& message);
  void onPlaneChanged(int plane);
  void onViewCorrection(const QString& series_instance_uid, const QString& view);
  void reloadCurrentStudy();

  CatalogSession* session_;
  JobManager* jobs_;
  ImageCache images_;
  CatalogBrowser* browser_ = nullptr;
  IssuesPanel* issues_ = nullptr;
  JobPanel* job_panel_ = nullptr;
  StudyView* study_view_ = nullptr;
  PlaneSceneWidget* scene_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  TrainingDashboard* dashboard_ = nullptr;
  ResultsView* results_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QMenu* view_menu_ = nullptr;
  std::shared_ptr<const curation::StudyScene> current_;
  QString last_error_key_;
  bool mirroring_ = false;  // selection being mirrored between widgets
};

}  // namespace planelab::ui
