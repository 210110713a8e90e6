#include "ui/window/main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <algorithm>

#include "sources/dicom_sources.h"
#include "ui/catalog/catalog_browser.h"
#include "ui/catalog/catalog_session.h"
#include "ui/catalog/issues_panel.h"
#include "ui/catalog/table_values.h"
#include "ui/catalog/tag_browser.h"
#include "ui/i18n/language.h"
#include "ui/jobs/job_manager.h"
#include "ui/jobs/job_panel.h"
#include "ui/scene/plane_scene_widget.h"
#include "ui/training/experiment_job.h"
#include "ui/training/results_view.h"
#include "ui/training/training_dashboard.h"
#include "ui/viewer/study_view.h"
#include "ui/window/catalog_jobs.h"
#include "ui/window/reactions.h"
#include "ui/wizards/experiment_wizard.h"
#include "ui/wizards/import_wizard.h"

namespace planelab::ui {
namespace {
constexpr int kMaxRecent = 8;
const char* const kRecentKey = "catalogs/recent";
const char* const kGeometryKey = "window/geometry";
const char* const kStateKey = "window/state";

bool isCatalogFile(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  return QFileInfo(path).isFile() &&
         (suffix == QLatin1String("sqlite") || suffix == QLatin1String("planelab") ||
          suffix == QLatin1String("db"));
}
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), session_(new CatalogSession(this)), jobs_(new JobManager(this)) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("PlaneLab"));
  setAcceptDrops(true);
  resize(1500, 950);

  study_view_ = new StudyView(this);
  scene_ = new PlaneSceneWidget(this);
  auto* planes = new QSplitter(Qt::Horizontal, this);
  planes->setObjectName(QStringLiteral("planesSplitter"));
  planes->addWidget(study_view_);
  planes->addWidget(scene_);
  planes->setStretchFactor(0, 3);
  planes->setStretchFactor(1, 2);
  planes->setSizes({760, 520});
  tabs_ = new QTabWidget(this);
  tabs_->setObjectName(QStringLiteral("mainTabs"));
  tabs_->addTab(planes, tr("Planes"));
  dashboard_ = new TrainingDashboard(jobs_, this);
  tabs_->addTab(dashboard_, tr("Training"));
  results_ = new ResultsView(this);
  connect(results_, &ResultsView::studyRequested, this,
          [this](const QString& path) { startStudy(path); });
  tabs_->addTab(results_, tr("Results"));
  setCentralWidget(tabs_);

  buildDocks();
  buildMenus();
  statusBar()->showMessage(tr("Open a catalog (File ▸ Open catalog…) or drop DICOM folders here"));

  connect(session_, &CatalogSession::opened, this, [this](const QString& path) {
    setWindowTitle(tr("PlaneLab — %1").arg(QFileInfo(path).fileName()));
    rememberCatalog(path);
    current_.reset();
    study_view_->setScene(nullptr, nullptr, {});
    scene_->clearScene();
    images_.clear();
  });
  connect(session_, &CatalogSession::changed, this, &MainWindow::reloadCurrentStudy);
  connect(browser_, &CatalogBrowser::studySelected, this,
          [this](qlonglong study) { showStudy(study); });
  connect(browser_, &CatalogBrowser::seriesSelected, this,
          [this](qlonglong study, const QString& series) { showStudy(study, series); });
  connect(browser_, &CatalogBrowser::tagsRequested, this, [this](const QString& file) {
    auto* tags = new TagBrowser(file, this);
    tags->setAttribute(Qt::WA_DeleteOnClose);
    tags->show();
  });
  connect(browser_->model(), &CatalogTreeModel::viewCorrectionRequested, this,
          &MainWindow::onViewCorrection);
  connect(browser_->model(), &CatalogTreeModel::queryFailed, this, &MainWindow::showError);
  connect(study_view_->viewer(), &PlaneViewer::planeChanged, this, &MainWindow::onPlaneChanged);
  connect(study_view_->viewer(), &PlaneViewer::hoveredPlaneChanged, this, [this](int plane) {
    if (plane < 0 || !current_) {
      statusBar()->clearMessage();
      return;
    }
    const auto& p = current_->curation.planes[static_cast<std::size_t>(plane)];
    const auto& series = current_->curation.series[static_cast<std::size_t>(p.series)];
    statusBar()->showMessage(
        tr("%1 · %2%3 (double-click the line to go there)")
            .arg(QString::fromStdString(curation::planeView(current_->curation, plane)),
                 QString::fromStdString(series.description),
                 p.slice_index >= 0 ? tr(" · slice %1").arg(p.slice_index + 1) : QString()));
  });
  connect(scene_, &PlaneSceneWidget::planePicked, this,
          [this](int plane) { study_view_->viewer()->setPlane(plane); });
  restoreSettings();
}

MainWindow::~MainWindow() {
  jobs_->cancelAllAndWait();
}

void MainWindow::buildDocks() {
  browser_ = new CatalogBrowser(session_, this);
  auto* catalog_dock = new QDockWidget(tr("Catalog"), this);
  catalog_dock->setObjectName(QStringLiteral("catalogDock"));
  catalog_dock->setWidget(browser_);
  addDockWidget(Qt::LeftDockWidgetArea, catalog_dock);

  issues_ = new IssuesPanel(session_, this);
  auto* issues_dock = new QDockWidget(tr("Import issues"), this);
  issues_dock->setObjectName(QStringLiteral("issuesDock"));
  issues_dock->setWidget(issues_);
  addDockWidget(Qt::BottomDockWidgetArea, issues_dock);

  job_panel_ = new JobPanel(jobs_, this);
  auto* jobs_dock = new QDockWidget(tr("Jobs"), this);
  jobs_dock->setObjectName(QStringLiteral("jobsDock"));
  jobs_dock->setWidget(job_panel_);
  addDockWidget(Qt::BottomDockWidgetArea, jobs_dock);
  tabifyDockWidget(issues_dock, jobs_dock);
  // The docks start small: the planes are what the window is for.
  resizeDocks({catalog_dock}, {320}, Qt::Horizontal);
  resizeDocks({issues_dock, jobs_dock}, {170, 170}, Qt::Vertical);
  connect(jobs_, &JobManager::jobAdded, jobs_dock, [jobs_dock] {
    jobs_dock->show();
    jobs_dock->raise();
  });
  connect(issues_, &IssuesPanel::fileActivated, this, [this](const QString& file) {
    auto* tags = new TagBrowser(file, this);
    tags->setAttribute(Qt::WA_DeleteOnClose);
    tags->show();
  });
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* create = file->addAction(tr("&New catalog…"));
  create->setObjectName(QStringLiteral("newCatalogAction"));
  new OpenCatalogReaction(create, this, true);
  QAction* open = file->addAction(tr("&Open catalog…"));
  open->setObjectName(QStringLiteral("openCatalogAction"));
  open->setShortcut(QKeySequence::Open);
  new OpenCatalogReaction(open, this, false);
  recent_menu_ = file->addMenu(tr("Open &recent"));
  recent_menu_->setObjectName(QStringLiteral("recentMenu"));
  file->addSeparator();
  QAction* import = file->addAction(tr("&Import DICOM…"));
  import->setObjectName(QStringLiteral("importAction"));
  import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
  new CatalogActionReaction(import, session_, [this] { showImportWizard({}); });
  file->addSeparator();
  QAction* close = file->addAction(tr("&Close catalog"));
  connect(close, &QAction::triggered, session_, &CatalogSession::close);
  QAction* quit = file->addAction(tr("&Quit"));
  quit->setShortcut(QKeySequence::Quit);
  connect(quit, &QAction::triggered, this, &QWidget::close);

  QMenu* cat = menuBar()->addMenu(tr("&Catalog"));
  QAction* curate = cat->addAction(tr("&Curate (stacks, views, QA, misalignment)"));
  curate->setObjectName(QStringLiteral("curateAction"));
  new CurateReaction(curate, session_, jobs_);
  QAction* reload = cat->addAction(tr("&Reload"));
  reload->setShortcut(QKeySequence::Refresh);
  connect(reload, &QAction::triggered, session_, &CatalogSession::notifyChanged);

  QMenu* exp = menuBar()->addMenu(tr("&Experiment"));
  QAction* new_experiment = exp->addAction(tr("&New experiment…"));
  new_experiment->setObjectName(QStringLiteral("newExperimentAction"));
  new_experiment->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  new CatalogActionReaction(new_experiment, session_, [this] { showExperimentWizard(); });
  QAction* run_experiment = exp->addAction(tr("&Run or resume experiment…"));
  run_experiment->setObjectName(QStringLiteral("runExperimentAction"));
  connect(run_experiment, &QAction::triggered, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Experiment config"), QString(),
                                                      tr("Experiment (experiment.json *.json)"));
    if (!path.isEmpty()) startExperiment(path);
  });
  exp->addSeparator();
  QAction* open_run = exp->addAction(tr("&Open training run…"));
  open_run->setObjectName(QStringLiteral("openRunAction"));
  connect(open_run, &QAction::triggered, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Training run folder"));
    if (dir.isEmpty()) return;
    dashboard_->openRun(dir);
    tabs_->setCurrentWidget(dashboard_);
  });
  QAction* open_results = exp->addAction(tr("Open &results folder…"));
  connect(open_results, &QAction::triggered, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Experiment or runs folder"));
    if (dir.isEmpty()) return;
    results_->setFolder(dir);
    tabs_->setCurrentWidget(results_);
  });

  view_menu_ = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* dock : findChildren<QDockWidget*>())
    view_menu_->addAction(dock->toggleViewAction());
  view_menu_->addSeparator();
  QAction* reset_camera = view_menu_->addAction(tr("Reset 3-D camera"));
  connect(reset_camera, &QAction::triggered, scene_, &PlaneSceneWidget::resetCamera);

  QMenu* settings = menuBar()->addMenu(tr("&Settings"));
  settings->setObjectName(QStringLiteral("settingsMenu"));
  buildLanguageMenu(settings->addMenu(tr("&Language")));

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  QAction* about = help->addAction(tr("&About PlaneLab"));
  connect(about, &QAction::triggered, this, [this] {
    QMessageBox::about(this, tr("About PlaneLab"),
                       tr("<b>PlaneLab %1</b><p>Self-supervised learning on anatomy-oriented MR "
                          "imaging planes (Zhang et al., Medical Image Analysis 2024).</p>")
                           .arg(QApplication::applicationVersion()));
  });
  refreshRecentMenu();
}

void MainWindow::buildLanguageMenu(QMenu* menu) {
  menu->setObjectName(QStringLiteral("languageMenu"));
  auto* group = new QActionGroup(menu);
  const QString current = languageSetting();
  auto add = [&](const QString& code, const QString& text) {
    QAction* action = menu->addAction(text);
    action->setCheckable(true);
    action->setData(code);
    action->setChecked(code == current);
    group->addAction(action);
  };
  add(QString(), tr("System language (%1)").arg(QLocale::system().nativeLanguageName()));
  menu->addSeparator();
  for (const Language& language : availableLanguages()) add(language.code, language.native_name);
  // Menus, docks and wizards are built once, so the new language shows from the next start.
  connect(group, &QActionGroup::triggered, this, [this](QAction* action) {
    const QString code = action->data().toString();
    if (code == languageSetting()) return;
    setLanguageSetting(code);
    const QString name = code.isEmpty() ? QLocale::system().nativeLanguageName() : action->text();
    statusBar()->showMessage(tr("PlaneLab will use %1 the next time it starts.").arg(name));
  });
}

void MainWindow::restoreSettings() {
  QSettings settings;
  restoreGeometry(settings.value(QLatin1String(kGeometryKey)).toByteArray());
  restoreState(settings.value(QLatin1String(kStateKey)).toByteArray());
}

QStringList MainWindow::recentCatalogs() const {
  return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void MainWindow::rememberCatalog(const QString& path) {
  QStringList recent = recentCatalogs();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent.removeAll(absolute);
  recent.prepend(absolute);
  while (recent.size() > kMaxRecent) recent.removeLast();
  QSettings().setValue(QLatin1String(kRecentKey), recent);
  refreshRecentMenu();
}

void MainWindow::refreshRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = recentCatalogs();
  for (const QString& path : recent) {
    QAction* action = recent_menu_->addAction(path);
    connect(action, &QAction::triggered, this, [this, path] { openCatalog(path); });
  }
  recent_menu_->setEnabled(!recent.isEmpty());
}

bool MainWindow::openCatalog(const QString& path) {
  const catalog::Status status = session_->open(path);
  if (!status.ok()) {
    showError(QString::fromStdString(status.error_key), QString::fromStdString(status.message));
    return false;
  }
  statusBar()->showMessage(tr("Opened %1").arg(path), 5000);
  return true;
}

void MainWindow::showError(const QString& key, const QString& message) {
  last_error_key_ = key;
  statusBar()->showMessage(QStringLiteral("[%1] %2").arg(key, message));
  // Window-modal but not blocking: the event loop (and running jobs' updates) keep going.
  auto* box =
      new QMessageBox(QMessageBox::Warning, tr("PlaneLab"),
                      QStringLiteral("%1\n\n[%2]").arg(message, key), QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::showImportWizard(const QStringList& paths) {
  if (!session_->isOpen()) {
    showError(QStringLiteral("no_catalog"),
              tr("Open or create a catalog first (File ▸ New catalog…), then import."));
    return;
  }
  auto* wizard = new ImportWizard(session_, jobs_, paths, this);
  wizard->setAttribute(Qt::WA_DeleteOnClose);
  connect(wizard, &ImportWizard::showIssuesRequested, this, [this] {
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("issuesDock"))) {
      dock->show();
      dock->raise();
    }
  });
  wizard->show();
}

ExperimentWizard* MainWindow::showExperimentWizard() {
  if (!session_->isOpen()) {
    showError(QStringLiteral("no_catalog"),
              tr("Open a catalog first: an experiment draws its data from one."));
    return nullptr;
  }
  auto* wizard = new ExperimentWizard(session_, this);
  wizard->setAttribute(Qt::WA_DeleteOnClose);
  connect(wizard, &ExperimentWizard::experimentSaved, this,
          [this](const QString& path, bool start) {
            statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
            if (start) startExperiment(path);
          });
  wizard->show();
  return wizard;
}

Job* MainWindow::startExperiment(const QString& config_path) {
  experiment::ExperimentConfig config;
  try {
    config = experiment::loadExperimentConfig(config_path.toStdString());
  } catch (const std::exception& e) {
    const JobOutcome refused = failedOutcome(e.what(), QStringLiteral("invalid_config"));
    showError(refused.error_key, refused.message);
    return nullptr;
  }
  Job* job = startExperimentJob(*jobs_, config);
  const QString out = QString::fromStdString(config.out);
  ExperimentFeed* feed = experimentFeed(job);
  connect(feed, &ExperimentFeed::runStarted, this,
          [this, job, out](TrainingFeed* run, const QString& dir) {
            dashboard_->watch(job, run, dir, QDir(out).relativeFilePath(dir));
          });
  connect(feed, &ExperimentFeed::finished, this, [this, out](const QString& status) {
    results_->setFolder(out);
    statusBar()->showMessage(tr("Experiment %1: %2").arg(out, status));
  });
  connect(job, &Job::finishedWith, this, [this, job] {
    const JobOutcome& outcome = job->outcome();
    if (!outcome.ok() && !outcome.cancelled) showError(outcome.error_key, outcome.message);
  });
  tabs_->setCurrentWidget(dashboard_);
  return job;
}

Job* MainWindow::startStudy(const QString& config_path) {
  study::StudyConfig config;
  try {
    config = study::loadStudyConfig(config_path.toStdString());
  } catch (const std::exception& e) {
    const JobOutcome refused = failedOutcome(e.what(), QStringLiteral("invalid_config"));
    showError(refused.error_key, refused.message);
    return nullptr;
  }
  Job* job = startStudyJob(*jobs_, config);
  const QString out = QString::fromStdString(config.out);
  const QString first = QString::fromStdString(config.experiments.front().config.out);
  ExperimentFeed* feed = experimentFeed(job);
  connect(feed, &ExperimentFeed::runStarted, this,
          [this, job, out](TrainingFeed* run, const QString& dir) {
            dashboard_->watch(job, run, dir, QDir(out).relativeFilePath(dir));
          });
  connect(feed, &ExperimentFeed::finished, this,
          [this, out, first](const QString& status, const QString& report) {
            results_->setFolder(first);
            results_->setReport(report);
            statusBar()->showMessage(tr("Study %1: %2").arg(out, status));
          });
  connect(job, &Job::finishedWith, this, [this, job] {
    const JobOutcome& outcome = job->outcome();
    if (!outcome.ok() && !outcome.cancelled) showError(outcome.error_key, outcome.message);
  });
  tabs_->setCurrentWidget(dashboard_);
  return job;
}

void MainWindow::showStudy(qlonglong study_id, const QString& series_instance_uid) {
  if (!session_->isOpen()) return;
  if (!current_ || current_->study.id != study_id) {
    catalog::Status status;
    auto scene = curation::loadStudyScene(*session_->catalog(), study_id, status);
    if (!scene) {
      showError(QString::fromStdString(status.error_key), QString::fromStdString(status.message));
      return;
    }
    current_ = std::make_shared<const curation::StudyScene>(std::move(*scene));
    // Labels of this study's images from the SEG files the catalog links (read on demand).
    auto labels = std::make_shared<sources::DicomLabels>(*session_->catalog(),
                                                         std::vector<std::int64_t>{study_id});
    study_view_->setScene(current_, &images_, [labels](const curation::PlaneImage& image) {
      return labels->load(image);
    });
    scene_->setScene(current_, &images_);
  }
  const auto& curation = current_->curation;
  // The plane to show: the middle kept plane of the series, else the first kept SAX (or any) plane.
  std::vector<int> candidates;
  for (std::size_t p = 0; p < curation.planes.size(); ++p) {
    const auto& plane = curation.planes[p];
    if (!plane.kept) continue;
    const auto& series = curation.series[static_cast<std::size_t>(plane.series)];
    if (series_instance_uid.isEmpty() ||
        QString::fromStdString(series.series_instance_uid) == series_instance_uid) {
      candidates.push_back(static_cast<int>(p));
    }
  }
  if (series_instance_uid.isEmpty()) {
    const auto sax = std::find_if(candidates.begin(), candidates.end(),
                                  [&](int p) { return curation::planeView(curation, p) == "sax"; });
    if (sax != candidates.end()) candidates = {*sax};
  }
  if (candidates.empty()) return;
  std::sort(candidates.begin(), candidates.end(), [&](int a, int b) {
    return curation.planes[static_cast<std::size_t>(a)].slice_index <
           curation.planes[static_cast<std::size_t>(b)].slice_index;
  });
  mirroring_ = true;  // the browser already shows this series
  study_view_->viewer()->setPlane(candidates[candidates.size() / 2]);
  mirroring_ = false;
}

void MainWindow::onPlaneChanged(int plane) {
  scene_->setSelectedPlane(plane);
  if (mirroring_ || !current_ || plane < 0) return;
  const auto& p = current_->curation.planes[static_cast<std::size_t>(plane)];
  const auto& series = current_->curation.series[static_cast<std::size_t>(p.series)];
  browser_->selectSeries(QString::fromStdString(current_->study.patient_id),
                         QString::fromStdString(current_->study.study_instance_uid),
                         QString::fromStdString(series.series_instance_uid));
}

void MainWindow::onViewCorrection(const QString& series_instance_uid, const QString& view) {
  catalog::Filters filters;
  filters.series_instance_uid = series_instance_uid.toStdString();
  const catalog::Table series = session_->catalog()->list(catalog::Level::kSeries, filters);
  if (series.rows.empty()) return;
  const QString study = cellText(series, 0, "study_instance_uid");
  Job* job = jobs_->start(
      tr("Set view of %1 to %2").arg(series_instance_uid, view.isEmpty() ? tr("automatic") : view),
      viewCorrectionWork(session_->path(), series_instance_uid, view, study));
  connect(job, &Job::finishedWith, this, [this](const JobOutcome& outcome) {
    if (!outcome.ok() && !outcome.cancelled) showError(outcome.error_key, outcome.message);
    session_->notifyChanged();
  });
}

void MainWindow::reloadCurrentStudy() {
  if (!current_ || !session_->isOpen()) return;
  const qlonglong study = current_->study.id;
  const int plane = study_view_->viewer()->plane();
  std::string sop;
  int frame = 0;
  if (plane >= 0) {
    const auto& image = current_->curation.planes[static_cast<std::size_t>(plane)].images.front();
    sop = image.sop_instance_uid;
    frame = image.frame_number;
  }
  current_.reset();
  showStudy(study);
  if (current_ && !sop.empty()) {
    const int again = curation::planeOfImage(current_->curation, sop, frame);
    if (again >= 0) study_view_->viewer()->setPlane(again);
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (jobs_->activeCount() > 0) {
    const auto answer = QMessageBox::question(
        this, tr("PlaneLab"),
        tr("%n job(s) still running. Cancel them and quit? (Imports keep what they committed; "
           "training runs can be resumed from their folders.)",
           nullptr, jobs_->activeCount()));
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
    jobs_->cancelAllAndWait();
  }
  QSettings settings;
  settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
  settings.setValue(QLatin1String(kStateKey), saveState());
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (url.isLocalFile()) paths << url.toLocalFile();
  }
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  openDroppedPaths(paths);
}

void MainWindow::openDroppedPaths(const QStringList& paths) {
  if (paths.size() == 1 && isCatalogFile(paths.front())) {
    openCatalog(paths.front());
  } else {
    showImportWizard(paths);
  }
}

}  // namespace planelab::ui
